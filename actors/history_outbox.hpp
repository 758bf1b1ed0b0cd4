// What an actor hands the history store, gathered into one message. The store runs on its own
// thread, and every message to it while it sleeps wakes that thread (a futex call on the
// sender's and a context switch on the node's core): one message per publication or result
// cost more than the store's SQLite writes. The first item waiting asks its actor for a
// flush_atom, so whatever that actor's mailbox already holds joins the same message.
#pragma once

#include "actors/interfaces.hpp"

#include <caf/send.hpp>

#include <utility>
#include <vector>

namespace rtd {

template <class T> class history_outbox {
public:
  /// Keeps `item` for the next send; the first one asks `self` for a flush_atom.
  template <class Self> void add(Self* self, T item) {
    if (items_.empty())
      self->send(self, caf::flush_atom::value);
    items_.push_back(std::move(item));
  }

  /// At the flush_atom, before any request to the store (which must see all sent before it),
  /// and when the actor exits.
  void send(const history_store_actor& store) {
    if (!items_.empty())
      caf::anon_send(store, std::exchange(items_, {}));
  }

private:
  std::vector<T> items_;
};

} // namespace rtd
