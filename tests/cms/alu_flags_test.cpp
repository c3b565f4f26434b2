// Flags of ALU, shift and BCD instructions at their edges (SDM Vol. 1 App. A), and the
// undefined-flags table.
#include <codemorph/cms/flags.h>
#include <gtest/gtest.h>

#include "interp_test_util.h"

namespace codemorph::cms::test {
namespace {

constexpr uint32_t kArith = kCF | kPF | kAF | kZF | kSF | kOF;

uint32_t runFlags(std::initializer_list<uint8_t> bytes, uint32_t eax = 0, uint32_t ebx = 0,
                  uint32_t flagsIn = kFixed1) {
  Machine m;
  m.code(bytes);
  m.s().gpr[kEAX] = eax;
  m.s().gpr[kEBX] = ebx;
  m.s().eflags = flagsIn;
  EXPECT_EQ(m.run().reason, StopReason::Halted);
  return m.flags() & kArith;
}

TEST(AluFlags, AddByteEdges) {
  EXPECT_EQ(runFlags({0x04, 0x01, 0xF4}, 0x7F), kOF | kSF | kAF);          // 7F+1
  EXPECT_EQ(runFlags({0x04, 0x01, 0xF4}, 0xFF), kCF | kZF | kAF | kPF);    // FF+1
  EXPECT_EQ(runFlags({0x04, 0x00, 0xF4}, 0x00), kZF | kPF);
}

TEST(AluFlags, SubAndCmpBorrow) {
  EXPECT_EQ(runFlags({0x2C, 0x01, 0xF4}, 0x00), kCF | kSF | kAF | kPF);     // 0-1 = FF
  EXPECT_EQ(runFlags({0x3C, 0x01, 0xF4}, 0x80), kOF | kAF);                 // 80-1 = 7F
}

TEST(AluFlags, AdcSbbUseCarry) {
  EXPECT_EQ(runFlags({0x14, 0x00, 0xF4}, 0xFF, 0, kFixed1 | kCF), kCF | kZF | kAF | kPF);
  EXPECT_EQ(runFlags({0x1C, 0x00, 0xF4}, 0x00, 0, kFixed1 | kCF), kCF | kSF | kAF | kPF);
}

TEST(AluFlags, IncPreservesCarry) {
  EXPECT_EQ(runFlags({0xFE, 0xC0, 0xF4}, 0xFF, 0, kFixed1 | kCF), kCF | kZF | kAF | kPF);
}

TEST(AluFlags, LogicClearsCarryAndOverflow) {
  EXPECT_EQ(runFlags({0x24, 0x80, 0xF4}, 0xFF, 0, kFixed1 | kCF | kOF), kSF);
}

TEST(AluFlags, WordAddOverflow) {
  EXPECT_EQ(runFlags({0x05, 0x01, 0x00, 0xF4}, 0x7FFF), kOF | kSF | kAF | kPF);
}

TEST(Shifts, ShlOneSetsOverflowFromCarryAndMsb) {
  EXPECT_EQ(runFlags({0xD0, 0xE0, 0xF4}, 0x40) & (kCF | kOF), kOF);  // 40<<1 = 80
  EXPECT_EQ(runFlags({0xD0, 0xE0, 0xF4}, 0xC0) & (kCF | kOF), kCF);  // C0<<1 = 80, CF=1
}

TEST(Shifts, RcrThroughCarry) {
  Machine m;
  m.code({0xD0, 0xD8, 0xF4});  // RCR AL,1
  m.s().gpr[kEAX] = 0x01;
  m.s().eflags = kFixed1 | kCF;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFF, 0x80u);
  EXPECT_TRUE(m.flags() & kCF);
  EXPECT_TRUE(m.flags() & kOF);  // MSB(r) ^ bit6(r) = 1 ^ 0
}

TEST(Shifts, CountZeroChangesNothing) {
  Machine m;
  m.code({0xD2, 0xE0, 0xF4});  // SHL AL,CL with CL = 32 (masked to 0)
  m.s().gpr[kEAX] = 0x81;
  m.s().gpr[kECX] = 32;
  m.s().eflags = kFixed1 | kOF | kCF;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX], 0x81u);
  EXPECT_EQ(m.flags() & kArith, kOF | kCF);
}

TEST(Bcd, DaaAfterPackedAdd) {
  Machine m;
  m.code({0x04, 0x38, 0x27, 0xF4});  // 0x49 + 0x38 = 0x81 -> DAA -> 0x87
  m.s().gpr[kEAX] = 0x49;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFF, 0x87u);
  EXPECT_FALSE(m.flags() & kCF);
}

TEST(Bcd, AamSplitsDigits) {
  Machine m;
  m.code({0xD4, 0x0A, 0xF4});
  m.s().gpr[kEAX] = 57;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 0x0507u);
}

TEST(UndefinedFlagsTable, MatchesSdm) {
  x86::DecodedInsn in{};
  in.mnemonic = x86::Mnemonic::AND;
  EXPECT_EQ(undefinedFlags(in, 0), kAF);
  in.mnemonic = x86::Mnemonic::SHL;
  in.op[0].size = 1;
  EXPECT_EQ(undefinedFlags(in, 0), 0u);
  EXPECT_EQ(undefinedFlags(in, 1), kAF);
  EXPECT_EQ(undefinedFlags(in, 3), kAF | kOF);
  EXPECT_EQ(undefinedFlags(in, 8), kAF | kOF | kCF);
  in.mnemonic = x86::Mnemonic::DIV;
  EXPECT_EQ(undefinedFlags(in, 0), kArith);
  in.mnemonic = x86::Mnemonic::ADD;
  EXPECT_EQ(undefinedFlags(in, 0), 0u);
}

}  // namespace
}  // namespace codemorph::cms::test
