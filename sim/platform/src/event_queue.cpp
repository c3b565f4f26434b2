// The deterministic event queue (event_queue.h).
#include "codemorph/platform/event_queue.h"

namespace codemorph::platform {

Timer::Timer(EventQueue& queue, std::function<void(SimTime)> callback)
    : queue_(queue), callback_(std::move(callback)) {}

Timer::~Timer() { disarm(); }

void Timer::arm(SimTime deadline) {
  disarm();
  if (deadline == kNever) return;
  deadline_ = deadline;
  seq_ = queue_.nextSeq_++;
  queue_.insert(*this);
}

void Timer::disarm() {
  if (!armed()) return;
  queue_.remove(*this);
  deadline_ = kNever;
}

void Timer::save(support::OutArchive& out) const {
  out.put(deadline_);
  out.put(seq_);
}

void Timer::load(support::InArchive& in) {
  disarm();
  const auto deadline = in.get<SimTime>();
  const auto seq = in.get<uint64_t>();
  if (deadline == kNever) return;
  deadline_ = deadline;
  seq_ = seq;
  queue_.insert(*this);
}

SimTime EventQueue::nextDeadline() const { return armed_.empty() ? kNever : (*armed_.begin())->deadline_; }

void EventQueue::insert(Timer& timer) {
  const SimTime before = nextDeadline();
  armed_.insert(&timer);
  if (timer.deadline_ < before && rearmHook_) rearmHook_();
}

void EventQueue::remove(Timer& timer) { armed_.erase(&timer); }

void EventQueue::runUntil(SimTime t) {
  while (!armed_.empty() && (*armed_.begin())->deadline_ <= t) {
    Timer* timer = *armed_.begin();
    armed_.erase(armed_.begin());
    const SimTime when = timer->deadline_;
    timer->deadline_ = kNever;
    if (when > now_) now_ = when;
    timer->callback_(when);
  }
  if (t > now_) now_ = t;
}

void EventQueue::save(support::OutArchive& out) const {
  out.beginSection("platform.events", 1);
  out.put(now_);
  out.put(nextSeq_);
}

void EventQueue::load(support::InArchive& in) {
  in.beginSection("platform.events", 1);
  now_ = in.get<SimTime>();
  nextSeq_ = in.get<uint64_t>();
}

}  // namespace codemorph::platform
