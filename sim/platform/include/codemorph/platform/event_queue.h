// A deterministic event queue in simulated time. Devices own Timers; arming a timer puts it
// in the queue at an absolute SimTime. Events fire in (deadline, arm sequence) order, so
// two timers due at the same instant always fire in the order they were armed — on every
// host and under any temporal-decoupling quantum. runUntil(t) is idempotent: whoever
// synchronizes first (the SystemC driver, the I/O bus before an access, the core at the
// end of its quantum) fires the due events, and the others find nothing left to do.
#pragma once
#include <functional>
#include <set>
#include <utility>

#include "codemorph/platform/sim_time.h"
#include "codemorph/support/serialize.h"

namespace codemorph::platform {

class EventQueue;

class Timer {
 public:
  Timer(EventQueue& queue, std::function<void(SimTime)> callback);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void arm(SimTime deadline);  // re-arming moves the timer
  void disarm();
  bool armed() const { return deadline_ != kNever; }
  SimTime deadline() const { return deadline_; }
  // Checkpoint: the deadline and its sequence number (ties keep their order after load).
  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

 private:
  friend class EventQueue;
  EventQueue& queue_;
  std::function<void(SimTime)> callback_;
  SimTime deadline_ = kNever;
  uint64_t seq_ = 0;
};

class EventQueue {
 public:
  SimTime now() const { return now_; }
  // Deadline of the earliest armed timer, kNever if none: where a quantum must end.
  SimTime nextDeadline() const;
  // Fires every timer due at or before t in order, then sets now() = max(now(), t).
  // Callbacks may arm timers; one due at or before t fires in the same call.
  void runUntil(SimTime t);
  // Called whenever the earliest deadline may have moved earlier (a SystemC driver
  // uses it to wake its thread).
  void setRearmHook(std::function<void()> hook) { rearmHook_ = std::move(hook); }

  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

 private:
  friend class Timer;
  void insert(Timer& timer);
  void remove(Timer& timer);
  struct Order {
    bool operator()(const Timer* a, const Timer* b) const {
      return a->deadline_ != b->deadline_ ? a->deadline_ < b->deadline_ : a->seq_ < b->seq_;
    }
  };
  std::set<Timer*, Order> armed_;
  SimTime now_ = 0;
  uint64_t nextSeq_ = 0;
  std::function<void()> rearmHook_;
};

}  // namespace codemorph::platform
