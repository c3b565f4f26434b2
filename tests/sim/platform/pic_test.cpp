// 8259A pair: the initialization SeaBIOS and Linux do, IRR/ISR/IMR, priorities, EOI forms,
// cascade, spurious interrupts, ELCR level triggering, poll.
#include "codemorph/platform/dual_pic.h"

#include <gtest/gtest.h>

namespace codemorph::platform {
namespace {

// SeaBIOS pic_setup(): ICW1 0x11, ICW2 0x08/0x70, ICW3 0x04/0x02, ICW4 0x01, mask all but 2.
void initPc(DualPic& pic, uint8_t masterBase = 0x08, uint8_t slaveBase = 0x70) {
  auto& m = pic.masterPorts();
  auto& s = pic.slavePorts();
  m.ioWrite(0, 1, 0x11);
  s.ioWrite(0, 1, 0x11);
  m.ioWrite(1, 1, masterBase);
  s.ioWrite(1, 1, slaveBase);
  m.ioWrite(1, 1, 0x04);
  s.ioWrite(1, 1, 0x02);
  m.ioWrite(1, 1, 0x01);
  s.ioWrite(1, 1, 0x01);
  m.ioWrite(1, 1, 0x00);
  s.ioWrite(1, 1, 0x00);
}

TEST(Pic, InitSequenceAndImrReadBack) {
  DualPic pic;
  initPc(pic);
  pic.masterPorts().ioWrite(1, 1, 0xFB);
  pic.slavePorts().ioWrite(1, 1, 0xFF);
  EXPECT_EQ(pic.masterPorts().ioRead(1, 1), 0xFBu);
  EXPECT_EQ(pic.slavePorts().ioRead(1, 1), 0xFFu);
  EXPECT_FALSE(pic.intr());
}

TEST(Pic, EdgeRequestAckVectorAndEoi) {
  DualPic pic;
  initPc(pic);
  pic.setIrq(1, true);
  EXPECT_TRUE(pic.intr());
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x02u);  // IRR by default
  EXPECT_EQ(pic.interruptAcknowledge(), 0x09);
  EXPECT_FALSE(pic.intr());
  pic.masterPorts().ioWrite(0, 1, 0x0B);  // OCW3: read ISR
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x02u);
  pic.setIrq(1, false);
  pic.setIrq(1, true);  // a new edge while in service: pending but blocked (same level)
  EXPECT_FALSE(pic.intr());
  pic.masterPorts().ioWrite(0, 1, 0x20);  // non-specific EOI
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x00u);
  EXPECT_TRUE(pic.intr());
}

TEST(Pic, EdgeNeedsALowToHighTransition) {
  DualPic pic;
  initPc(pic);
  pic.setIrq(3, true);
  pic.interruptAcknowledge();
  pic.masterPorts().ioWrite(0, 1, 0x20);
  pic.setIrq(3, true);  // still high: no new edge
  EXPECT_FALSE(pic.intr());
}

TEST(Pic, FixedPriorityAndNesting) {
  DualPic pic;
  initPc(pic);
  pic.setIrq(5, true);
  pic.setIrq(3, true);
  EXPECT_EQ(pic.interruptAcknowledge(), 0x0B);  // IRQ3 before IRQ5
  EXPECT_FALSE(pic.intr());                      // IRQ5 is lower than IRQ3 in service
  pic.setIrq(1, true);
  EXPECT_TRUE(pic.intr());  // IRQ1 preempts
  EXPECT_EQ(pic.interruptAcknowledge(), 0x09);
  pic.masterPorts().ioWrite(0, 1, 0x20);  // EOI clears IRQ1 (highest in service)
  pic.masterPorts().ioWrite(0, 1, 0x63);  // specific EOI for IRQ3
  EXPECT_EQ(pic.interruptAcknowledge(), 0x0D);
}

TEST(Pic, MaskedRequestsStayInIrr) {
  DualPic pic;
  initPc(pic);
  pic.masterPorts().ioWrite(1, 1, 0x01);
  pic.setIrq(0, true);
  EXPECT_FALSE(pic.intr());
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x01u);
  pic.masterPorts().ioWrite(1, 1, 0x00);
  EXPECT_TRUE(pic.intr());
}

TEST(Pic, CascadeThroughIr2) {
  DualPic pic;
  initPc(pic);
  pic.setIrq(14, true);
  EXPECT_TRUE(pic.intr());
  EXPECT_EQ(pic.interruptAcknowledge(), 0x76);
  pic.slavePorts().ioWrite(0, 1, 0x0B);
  pic.masterPorts().ioWrite(0, 1, 0x0B);
  EXPECT_EQ(pic.slavePorts().ioRead(0, 1), 0x40u);
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x04u);
  // The handler EOIs the slave then the master.
  pic.slavePorts().ioWrite(0, 1, 0x20);
  pic.masterPorts().ioWrite(0, 1, 0x20);
  EXPECT_EQ(pic.slavePorts().ioRead(0, 1), 0x00u);
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x00u);
}

TEST(Pic, SpuriousWhenRequestVanishesIsIrq7WithoutIsr) {
  DualPic pic;
  initPc(pic);
  EXPECT_EQ(pic.interruptAcknowledge(), 0x0F);
  pic.masterPorts().ioWrite(0, 1, 0x0B);
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x00u);
}

TEST(Pic, RotateOnNonSpecificEoiAndSetPriority) {
  DualPic pic;
  initPc(pic);
  pic.masterPorts().ioWrite(0, 1, 0xC4);  // set priority: IR4 lowest -> IR5 highest
  pic.setIrq(1, true);
  pic.setIrq(6, true);
  EXPECT_EQ(pic.interruptAcknowledge(), 0x0E);  // IRQ6 beats IRQ1 now
  pic.masterPorts().ioWrite(0, 1, 0xA0);         // rotate on EOI: IR6 becomes lowest
  EXPECT_EQ(pic.interruptAcknowledge(), 0x09);
}

TEST(Pic, AutoEoiLeavesIsrClear) {
  DualPic pic;
  auto& m = pic.masterPorts();
  m.ioWrite(0, 1, 0x11);
  m.ioWrite(1, 1, 0x20);
  m.ioWrite(1, 1, 0x04);
  m.ioWrite(1, 1, 0x03);  // AEOI
  m.ioWrite(1, 1, 0x00);
  pic.setIrq(0, true);
  EXPECT_EQ(pic.interruptAcknowledge(), 0x20);
  m.ioWrite(0, 1, 0x0B);
  EXPECT_EQ(m.ioRead(0, 1), 0x00u);
}

TEST(Pic, ElcrLevelTriggeredAndReservedBits) {
  DualPic pic;
  initPc(pic);
  pic.elcrPorts().ioWrite(0, 1, 0xFF);
  pic.elcrPorts().ioWrite(1, 1, 0xFF);
  EXPECT_EQ(pic.elcrPorts().ioRead(0, 1), 0xF8u);  // IRQ0-2 always edge
  EXPECT_EQ(pic.elcrPorts().ioRead(1, 1), 0xDEu);  // IRQ8, IRQ13 always edge
  pic.elcrPorts().ioWrite(1, 1, 0x08);  // IRQ11 level (SeaBIOS "elcr=00 0c" style)
  pic.setIrq(11, true);
  EXPECT_EQ(pic.interruptAcknowledge(), 0x73);
  pic.slavePorts().ioWrite(0, 1, 0x20);
  pic.masterPorts().ioWrite(0, 1, 0x20);
  EXPECT_TRUE(pic.intr());  // line still high: level request again
  pic.setIrq(11, false);
  EXPECT_FALSE(pic.intr());
}

TEST(Pic, PollCommand) {
  DualPic pic;
  initPc(pic);
  pic.setIrq(5, true);
  pic.masterPorts().ioWrite(0, 1, 0x0C);  // OCW3 poll
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x85u);
  pic.masterPorts().ioWrite(0, 1, 0x0C);
  EXPECT_EQ(pic.masterPorts().ioRead(0, 1), 0x00u);  // IRQ5 in service, nothing else
}

TEST(Pic, IntrHookReportsChanges) {
  DualPic pic;
  initPc(pic);
  int rises = 0;
  pic.setIntrHook([&](bool level) { rises += level; });
  pic.setIrq(4, true);
  pic.interruptAcknowledge();
  pic.masterPorts().ioWrite(0, 1, 0x20);
  pic.setIrq(4, false);
  pic.setIrq(4, true);
  EXPECT_EQ(rises, 2);
}

}  // namespace
}  // namespace codemorph::platform
