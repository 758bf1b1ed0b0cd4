// Where heavy calculations run: worker threads that never serve clients or channels. A job
// actor hands its next chunk of work to the executor and carries on when the chunk tells it
// it is done, so the actor itself only ever takes a scheduler thread for a moment.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rtd {

/// The node's calculation threads.
struct calculation_pool_config {
  std::size_t threads = 0; ///< 0: one per usable core
  int nice = 10;           ///< how much lower than the process their priority is, 0..19
};

/// Runs chunks of calculation work away from the actors' scheduler.
class calculation_executor {
public:
  virtual ~calculation_executor() = default;

  /// Runs `chunk` on a worker, chunks in the order submitted; dropped once stopped.
  virtual void submit(std::function<void()> chunk) = 0;
};

/// A fixed number of worker threads at a lower priority (a higher nice value) than the rest
/// of the process, sharing one queue: the node's cap on calculation CPU. Heavy jobs take
/// turns chunk by chunk, and the scheduler favours the threads that serve clients.
class calculation_pool final : public calculation_executor {
public:
  /// Starts `config.threads` workers (at least one), each `config.nice` steps lower than the
  /// process (at most nice 19; the process's own priority when lowering it is refused).
  explicit calculation_pool(calculation_pool_config config);
  ~calculation_pool() override;

  calculation_pool(const calculation_pool&) = delete;
  calculation_pool& operator=(const calculation_pool&) = delete;

  void submit(std::function<void()> chunk) override;

  /// Drops the chunks not started and joins the workers once their current chunk ends.
  void stop();

  std::size_t threads() const { return workers_.size(); }

  /// Chunks waiting for a thread.
  std::size_t queued() const;

private:
  void work(int nice);

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

} // namespace rtd
