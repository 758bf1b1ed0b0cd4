// A scripted stand-in for redis-server on a loopback port, on the test's io_context: each
// connection it accepts takes the next script, a list of commands (as the RESP bytes a client
// writes) each answered with given bytes, in order; then the connection closes or stays open.
// It accepts one connection per script given, then stops listening (later ones are refused).
// For the adapter's and the connection's tests: no real server, every step deterministic.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rtd::test {

/// A command as a client writes it: an array of bulk strings.
inline std::string resp(std::initializer_list<std::string_view> args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (auto a : args)
    out.append("$").append(std::to_string(a.size())).append("\r\n").append(a).append("\r\n");
  return out;
}

struct script {
  std::vector<std::pair<std::string, std::string>> steps; ///< command, answer
  bool close_after = false; ///< close once every step is answered; else stay open
};

class fake_redis {
public:
  explicit fake_redis(boost::asio::io_context& io)
      : io_(io), acceptor_(io, {boost::asio::ip::address_v4::loopback(), 0}) {}

  /// Starts accepting, one connection per script given.
  void listen() { accept(); }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  /// The script of the next connection accepted.
  void then(script s) { scripts_.push_back(std::move(s)); }

  std::size_t accepted() const { return accepted_; }

  /// Bytes received on the current connection and not yet matched by a step.
  const std::string& unmatched() const { return peer_ ? peer_->buffer : empty_; }

private:
  struct peer {
    explicit peer(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    script plan;
    std::string buffer;
    char chunk[65536];
  };

  void accept() {
    auto p = std::make_shared<peer>(io_);
    acceptor_.async_accept(p->socket, [this, p](const boost::system::error_code& ec) {
      if (ec)
        return;
      ++accepted_;
      p->plan = std::move(scripts_.front());
      scripts_.pop_front();
      peer_ = p;
      if (p->plan.steps.empty() && p->plan.close_after)
        p->socket.close(); // drops this one at once
      else
        read(p);
      if (scripts_.empty())
        acceptor_.close();
      else
        accept();
    });
  }

  void read(const std::shared_ptr<peer>& p) {
    p->socket.async_read_some(boost::asio::buffer(p->chunk),
                              [this, p](const boost::system::error_code& ec, std::size_t n) {
                                if (ec)
                                  return;
                                p->buffer.append(p->chunk, n);
                                answer(*p);
                                if (p->socket.is_open())
                                  read(p);
                              });
  }

  void answer(peer& p) {
    auto& steps = p.plan.steps;
    while (!steps.empty() &&
           p.buffer.compare(0, steps.front().first.size(), steps.front().first) == 0) {
      p.buffer.erase(0, steps.front().first.size());
      boost::asio::write(p.socket, boost::asio::buffer(steps.front().second));
      steps.erase(steps.begin());
    }
    if (steps.empty() && p.plan.close_after)
      p.socket.close();
  }

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::deque<script> scripts_;
  std::shared_ptr<peer> peer_;
  std::size_t accepted_ = 0;
  std::string empty_;
};

} // namespace rtd::test
