// Batches writes: anything that queued bytes during a loop turn asks to be flushed, and all of
// them write once, after every read of that turn was handled (a uv_check handle runs right
// after the poll phase). Many pipelined requests or replies thus leave in one uv_write.
// Work scheduled outside the poll phase (a retry timer) also starts an idle handle, which makes
// the coming poll return at once instead of blocking before the check phase can flush.
#pragma once

#include <uv.h>

#include <vector>

namespace slotgate {

class Flushable {
 public:
  virtual void Flush() = 0;

 protected:
  virtual ~Flushable() = default;
  friend class FlushScheduler;
  bool flush_scheduled_ = false;
};

class FlushScheduler {
 public:
  explicit FlushScheduler(uv_loop_t* loop);
  FlushScheduler(const FlushScheduler&) = delete;
  FlushScheduler& operator=(const FlushScheduler&) = delete;

  // Idempotent within a turn. Objects are deleted only in close callbacks, which libuv runs
  // after the check phase, so every scheduled object is alive when it is flushed.
  void Schedule(Flushable* target);
  // Stops the check handle; the loop then closes it with the rest.
  void Close();

 private:
  static void OnCheck(uv_check_t* handle);

  uv_check_t check_;
  uv_idle_t idle_;
  std::vector<Flushable*> pending_;
  std::vector<Flushable*> running_;
};

}  // namespace slotgate
