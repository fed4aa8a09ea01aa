#include "proxy/flush_scheduler.h"

namespace slotgate {

FlushScheduler::FlushScheduler(uv_loop_t* loop) {
  uv_check_init(loop, &check_);
  check_.data = this;
  uv_check_start(&check_, &FlushScheduler::OnCheck);
  // The check handle alone must not keep the loop alive at shutdown.
  uv_unref(reinterpret_cast<uv_handle_t*>(&check_));
  uv_idle_init(loop, &idle_);
  idle_.data = this;
}

void FlushScheduler::Schedule(Flushable* target) {
  if (target->flush_scheduled_) return;
  target->flush_scheduled_ = true;
  if (pending_.empty()) uv_idle_start(&idle_, [](uv_idle_t*) {});
  pending_.push_back(target);
}

void FlushScheduler::Close() {
  uv_check_stop(&check_);
  uv_idle_stop(&idle_);
  uv_close(reinterpret_cast<uv_handle_t*>(&check_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&idle_), nullptr);
}

void FlushScheduler::OnCheck(uv_check_t* handle) {
  auto* self = static_cast<FlushScheduler*>(handle->data);
  // A flush may schedule more (a backend reply completing a client's turn): run until quiet.
  while (!self->pending_.empty()) {
    self->running_.swap(self->pending_);
    for (Flushable* target : self->running_) {
      target->flush_scheduled_ = false;
      target->Flush();
    }
    self->running_.clear();
  }
  uv_idle_stop(&self->idle_);
}

}  // namespace slotgate
