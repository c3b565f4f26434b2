// EventQueue: ordering by deadline then arm order, idempotent runUntil, checkpoint.
#include "codemorph/platform/event_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace codemorph::platform {
namespace {

TEST(EventQueue, FiresInDeadlineThenArmOrder) {
  EventQueue q;
  std::string log;
  Timer a(q, [&](SimTime t) { log.append("a").append(std::to_string(t)).append(" "); });
  Timer b(q, [&](SimTime t) { log.append("b").append(std::to_string(t)).append(" "); });
  Timer c(q, [&](SimTime t) { log.append("c").append(std::to_string(t)).append(" "); });
  c.arm(20);
  b.arm(10);
  a.arm(10);
  EXPECT_EQ(q.nextDeadline(), 10u);
  q.runUntil(15);
  EXPECT_EQ(log, "b10 a10 ");
  EXPECT_EQ(q.now(), 15u);
  q.runUntil(15);  // idempotent
  EXPECT_EQ(log, "b10 a10 ");
  q.runUntil(100);
  EXPECT_EQ(log, "b10 a10 c20 ");
  EXPECT_EQ(q.nextDeadline(), kNever);
}

TEST(EventQueue, CallbackMayRearmWithinTheSameRun) {
  EventQueue q;
  int fired = 0;
  Timer t(q, [&](SimTime when) {
    ++fired;
    t.arm(when + 10);
  });
  t.arm(0);
  q.runUntil(35);
  EXPECT_EQ(fired, 4);  // 0, 10, 20, 30
  EXPECT_EQ(t.deadline(), 40u);
}

TEST(EventQueue, DisarmAndRearmMove) {
  EventQueue q;
  int fired = 0;
  Timer t(q, [&](SimTime) { ++fired; });
  t.arm(10);
  t.arm(50);
  q.runUntil(20);
  EXPECT_EQ(fired, 0);
  t.disarm();
  q.runUntil(100);
  EXPECT_EQ(fired, 0);
}

TEST(EventQueue, CheckpointKeepsDeadlinesAndTieOrder) {
  EventQueue q1, q2;
  std::string log;
  Timer a1(q1, [](SimTime) {}), b1(q1, [](SimTime) {});
  Timer a2(q2, [&](SimTime) { log += "a"; }), b2(q2, [&](SimTime) { log += "b"; });
  b1.arm(7);
  a1.arm(7);
  q1.runUntil(3);
  support::OutArchive out;
  q1.save(out);
  a1.save(out);
  b1.save(out);
  support::InArchive in(out.bytes());
  q2.load(in);
  a2.load(in);
  b2.load(in);
  EXPECT_EQ(q2.now(), 3u);
  q2.runUntil(10);
  EXPECT_EQ(log, "ba");
}

}  // namespace
}  // namespace codemorph::platform
