// Interpreter behaviour: #DE through the IVT, string ops with REP and DF, triple fault,
// 32-bit operand/address paths on the Pentium-class model, the 286 profile differences,
// unimplemented stops, checkpoints.
#include <codemorph/support/serialize.h>
#include <gtest/gtest.h>

#include "interp_test_util.h"

namespace codemorph::cms::test {
namespace {

const CpuModel& i286() { return *findCpuModel("286"); }

TEST(Exceptions, DivideErrorGoesThroughIvtAsFault) {
  Machine m;
  m.code({0xF6, 0xF3, 0xF4});  // DIV BL with BL = 0
  m.s().gpr[kEAX] = 0x1234;
  const RunResult r = m.run();
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(m.s().seg[kCS].selector, 0x0050);
  EXPECT_EQ(m.s().eip, 0x01u);  // after the HLT at 0050:0000
  const uint32_t top = 0x40000 + 0xFFF0 - 6;
  EXPECT_EQ(m.peek16(top), 0x0100);      // IP of the DIV (a fault)
  EXPECT_EQ(m.peek16(top + 2), 0x1000);  // CS
  EXPECT_EQ(m.s().gpr[kEAX], 0x1234u);   // unchanged
}

TEST(Exceptions, IntPushesReturnAfterInstructionAndClearsIf) {
  Machine m;
  m.code({0xCD, 0x21, 0xF4});
  m.s().eflags = kFixed1 | kIF | kTF * 0;
  m.run();
  EXPECT_EQ(m.s().seg[kCS].selector, 0x0050);
  EXPECT_EQ(m.s().eip, 0x22u);
  EXPECT_FALSE(m.flags() & kIF);
  EXPECT_EQ(m.peek16(0x40000 + 0xFFF0 - 6), 0x0102);
  EXPECT_TRUE(m.peek16(0x40000 + 0xFFF0 - 2) & kIF);
}

TEST(Exceptions, UndefinedOpcodeRaisesUd) {
  Machine m(i286());
  m.code({0x0F, 0xFF, 0xF4});
  m.run();
  EXPECT_EQ(m.s().eip, 0x07u);  // handler of vector 6 at 0050:0006, after its HLT
}

TEST(Exceptions, BoundRaisesBr) {
  Machine m;
  m.code({0x62, 0x07, 0xF4});  // BOUND AX,[BX]
  m.poke16(0x20000, 10);
  m.poke16(0x20002, 20);
  m.s().gpr[kEAX] = 21;
  m.run();
  EXPECT_EQ(m.s().eip, 0x06u);
}

TEST(Exceptions, TripleFaultStopsWithChain) {
  Machine m;
  // LIDT [0]: limit 0 -> every delivery is #GP, then #DF, then shutdown.
  m.code({0x0F, 0x01, 0x1E, 0x00, 0x00, 0xCD, 0x21, 0xF4});
  m.poke16(0x20000, 0);
  m.poke16(0x20002, 0);
  m.poke16(0x20004, 0);
  const RunResult r = m.run();
  EXPECT_EQ(r.reason, StopReason::TripleFault);
  const StopInfo& st = m.cpu.stopInfo();
  EXPECT_EQ(st.cs, 0x1000);
  EXPECT_EQ(st.eip, 0x105u);
  ASSERT_GE(st.exceptionChain.size(), 3u);
  EXPECT_EQ(st.exceptionChain[0], 0x21);
  EXPECT_EQ(st.exceptionChain[1], kVecGP);
  EXPECT_EQ(st.exceptionChain.back(), kVecGP);
  EXPECT_NE(st.message.find("triple fault"), std::string::npos);
  EXPECT_EQ(m.run().reason, StopReason::TripleFault);  // stays stopped
}

TEST(Strings, RepMovsbBackwards) {
  Machine m;
  m.code({0xFD, 0xF3, 0xA4, 0xF4});  // STD; REP MOVSB
  for (unsigned i = 0; i < 4; ++i) m.bus.storage()[0x20010 + i] = static_cast<uint8_t>(0xA0 + i);
  m.s().gpr[kESI] = 0x13;
  m.s().gpr[kEDI] = 0x23;
  m.s().gpr[kECX] = 4;
  m.run();
  for (unsigned i = 0; i < 4; ++i) EXPECT_EQ(m.bus.storage()[0x30020 + i], 0xA0 + i);
  EXPECT_EQ(m.s().gpr[kECX], 0u);
  EXPECT_EQ(m.s().gpr[kESI], 0x0Fu);
  EXPECT_EQ(m.s().gpr[kEDI], 0x1Fu);
}

TEST(Strings, RepeCmpsbStopsAtDifference) {
  Machine m;
  m.code({0xF3, 0xA6, 0xF4});
  const uint8_t a[] = {1, 2, 3, 4}, b[] = {1, 2, 9, 4};
  for (unsigned i = 0; i < 4; ++i) {
    m.bus.storage()[0x20000 + i] = a[i];
    m.bus.storage()[0x30000 + i] = b[i];
  }
  m.s().gpr[kECX] = 4;
  m.run();
  EXPECT_EQ(m.s().gpr[kECX], 1u);
  EXPECT_EQ(m.s().gpr[kESI], 3u);
  EXPECT_FALSE(m.flags() & kZF);
}

TEST(Strings, RepStosZeroCountDoesNothing) {
  Machine m;
  m.code({0xF3, 0xAA, 0xF4});
  m.s().gpr[kEAX] = 0x55;
  m.run();
  EXPECT_EQ(m.bus.storage()[0x30000], 0);
  EXPECT_EQ(m.s().gpr[kEDI], 0u);
}

TEST(Strings, InsReadsPortsOutsWrites) {
  Machine m;
  m.code({0x6C, 0x6E, 0xF4});  // INSB; OUTSB
  m.s().gpr[kEDX] = 0x60;
  m.bus.storage()[0x20000] = 0x42;
  m.run();
  EXPECT_EQ(m.bus.storage()[0x30000], 0xFF);
  ASSERT_EQ(m.bus.portWrites.size(), 1u);
  EXPECT_EQ(m.bus.portWrites[0].port, 0x60);
  EXPECT_EQ(m.bus.portWrites[0].value, 0x42u);
}

TEST(ThirtyTwoBit, OperandSizePrefixOnPentium) {
  Machine m;
  // MOV EAX,0xFFFFFFFF; ADD EAX,1 (66 83 C0 01); MOV EBX,[EAX+ESI*2+0x10] (67 66 8B 5C 70 10)
  m.code({0x66, 0xB8, 0xFF, 0xFF, 0xFF, 0xFF, 0x66, 0x83, 0xC0, 0x01,
          0x67, 0x66, 0x8B, 0x5C, 0x70, 0x10, 0xF4});
  m.s().gpr[kESI] = 0x8;
  m.poke16(0x20020, 0x5678);
  m.poke16(0x20022, 0x1234);
  EXPECT_EQ(m.run().reason, StopReason::Halted);
  EXPECT_EQ(m.s().gpr[kEAX], 0u);
  EXPECT_TRUE(m.flags() & kCF);
  EXPECT_TRUE(m.flags() & kZF);
  EXPECT_EQ(m.s().gpr[kEBX], 0x12345678u);
}

TEST(ThirtyTwoBit, AddressBeyondLimitFaults) {
  Machine m;
  m.code({0x67, 0x8B, 0x00, 0xF4});  // MOV AX,[EAX] with EAX = 0x10000
  m.s().gpr[kEAX] = 0x10000;
  m.run();
  EXPECT_EQ(m.s().eip, 0x0Eu);  // #GP handler
}

TEST(ThirtyTwoBit, MulDivWide) {
  Machine m;
  m.code({0x66, 0xF7, 0xE3, 0x66, 0xF7, 0xF3, 0xF4});  // MUL EBX; DIV EBX
  m.s().gpr[kEAX] = 0x80000000u;
  m.s().gpr[kEBX] = 0x10;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX], 0x80000000u);
  EXPECT_EQ(m.s().gpr[kEDX], 0u);
}

TEST(Profile286, FlagsHighNibbleStaysClearAndNo386Opcodes) {
  Machine m(i286());
  m.code({0x68, 0x00, 0xF0, 0x9D, 0x9C, 0x66, 0xF4});  // PUSH F000; POPF; PUSHF; 66 -> #UD
  m.run();
  EXPECT_EQ(m.peek16(0x40000 + 0xFFF0 - 2) & 0xF000, 0);  // PUSHF saw 12-15 clear
  EXPECT_EQ(m.s().eip, 0x07u);                             // #UD handler
}

// IDIV r/m8 bit-14 quirk (CpuModel::idiv8Bit14Quirk), SST 80286 F6.7 idx 952:
// AX = 81C1h / 7Ch overflows (quotient -260); the 286 returns AL = 80h, AH = C1h as if
// AX were C1C1h. A quotient that stays out of range with bit 14 flipped still faults.
TEST(Profile286, IdivByteBit14Quirk) {
  Machine m(i286());
  m.code({0xF6, 0xFB, 0xF4});  // IDIV BL
  m.s().gpr[kEAX] = 0x81C1;
  m.s().gpr[kEBX] = 0x7C;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 0xC180u);
  EXPECT_EQ(m.s().seg[kCS].selector, 0x1000);  // no #DE

  Machine other(i286());
  other.code({0xF6, 0xFB, 0xF4});
  other.s().gpr[kEAX] = 0x7000;  // 28672 / 2: out of range either way
  other.s().gpr[kEBX] = 0x02;
  other.run();
  EXPECT_EQ(other.s().seg[kCS].selector, 0x0050);  // #DE through the IVT
}

TEST(ProfilePentium, IdivByteOverflowAlwaysFaults) {
  Machine m;
  m.code({0xF6, 0xFB, 0xF4});
  m.s().gpr[kEAX] = 0x81C1;
  m.s().gpr[kEBX] = 0x7C;
  m.run();
  EXPECT_EQ(m.s().seg[kCS].selector, 0x0050);  // #DE (SDM Vol. 2A IDIV)
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 0x81C1u);
}

TEST(ProfilePentium, FlagsIoplWritableInRealMode) {
  Machine m;
  m.code({0x68, 0x00, 0x30, 0x9D, 0xF4});
  m.run();
  EXPECT_EQ(m.flags() & kIOPL, kIOPL);
}

TEST(Unimplemented, SysenterStopsWithMessage) {
  Machine m;
  m.code({0x0F, 0x34, 0xF4});
  const RunResult r = m.run();
  EXPECT_EQ(r.reason, StopReason::Unimplemented);
  EXPECT_NE(m.cpu.stopInfo().message.find("SYSENTER"), std::string::npos);
  EXPECT_EQ(m.s().eip, 0x100u);
}

TEST(Interrupts, IntrWakesHalt) {
  Machine m;
  m.code({0xFB, 0xF4, 0xF4});  // STI; HLT
  EXPECT_EQ(m.run().reason, StopReason::Halted);
  m.cpu.setIntr(true, 0x08);
  m.cpu.step();
  m.cpu.setIntr(false);
  EXPECT_EQ(m.s().seg[kCS].selector, 0x0050);
  EXPECT_EQ(m.peek16(0x40000 + 0xFFF0 - 6), 0x0102);  // return after the HLT
}

TEST(Checkpoint, StateRoundTrips) {
  Machine m;
  m.s().gpr[kEDI] = 0xDEADBEEF;
  m.s().seg[kFS].base = 0x123456;
  support::OutArchive out;
  m.s().save(out);
  CpuState copy;
  support::InArchive in(out.bytes());
  copy.load(in);
  EXPECT_EQ(copy.gpr[kEDI], 0xDEADBEEFu);
  EXPECT_EQ(copy.seg[kFS].base, 0x123456u);
  EXPECT_EQ(copy.eip, m.s().eip);
}

// ---- Decoded-instruction cache: self-modifying code and other changes to cached code ----

// Each iteration patches the immediate of the very next instruction (already executed,
// hence cached, in the previous iteration); the patched value must be what executes.
TEST(DecodeCache, StoreToNextInstructionTakesEffect) {
  Machine m;
  m.code({
      0xB9, 0x03, 0x00,              // 0100: mov cx,3
      0x30, 0xDB,                    // 0103: xor bl,bl
      0x2E, 0x88, 0x0E, 0x0B, 0x01,  // 0105: mov [cs:010Bh],cl  (imm of the next insn)
      0xB0, 0x00,                    // 010A: mov al,0
      0x00, 0xC3,                    // 010C: add bl,al
      0xE2, 0xF5,                    // 010E: loop 0105
      0xF4,                          // 0110: hlt
  });
  const RunResult r = m.run();
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(m.s().gpr[kEBX] & 0xFF, 3u + 2u + 1u);  // a stale "mov al,3" would give 9
}

// An instruction in a loop body is rewritten (INC AX -> DEC AX) by a later instruction of
// the body after it has run (and been cached) twice.
TEST(DecodeCache, StoreIntoLoopBodyTakesEffect) {
  Machine m;
  m.code({
      0xB9, 0x04, 0x00,                    // 0100: mov cx,4
      0x31, 0xC0,                          // 0103: xor ax,ax
      0x40,                                // 0105: inc ax   (patched to 48: dec ax)
      0x83, 0xF9, 0x02,                    // 0106: cmp cx,2
      0x75, 0x06,                          // 0109: jne 0111
      0x2E, 0xC6, 0x06, 0x05, 0x01, 0x48,  // 010B: mov byte [cs:0105h],48h
      0xE2, 0xF2,                          // 0111: loop 0105
      0xF4,                                // 0113: hlt
  });
  const RunResult r = m.run();
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 2u);  // +1 +1 +1 -1; stale INC would give 4
  EXPECT_EQ(m.bus.ram()[0x10105], 0x48);
}

// The host writes RAM directly between runs (as the SST harness and loaders do): the new
// bytes execute, not the cached decode of the old ones.
TEST(DecodeCache, HostWriteToRamTakesEffect) {
  Machine m;
  m.code({0xB8, 0x11, 0x11, 0xF4});  // mov ax,1111h ; hlt
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 0x1111u);
  m.code({0xB8, 0x22, 0x22, 0xF4});  // same address, same length, new immediate
  m.s().eip = 0x100;
  m.s().halted = false;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 0x2222u);
  m.code({0x40, 0x40, 0xF4});  // shorter instructions at the same address
  m.s().eip = 0x100;
  m.s().halted = false;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 0x2224u);
}

// A cached instruction that no longer fits below the CS limit is a #GP(0), as uncached.
TEST(DecodeCache, CsLimitStillChecksCachedInstruction) {
  Machine m;
  m.code({0xB8, 0x34, 0x12, 0xF4});  // mov ax,1234h ; hlt
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFFFF, 0x1234u);
  m.s().gpr[kEAX] = 0;
  m.s().eip = 0x100;
  m.s().halted = false;
  m.s().seg[kCS].limit = 0x101;  // the 3-byte MOV would end at 0102h
  m.run();
  EXPECT_EQ(m.s().seg[kCS].selector, 0x0050);
  EXPECT_EQ(m.s().eip, 0x0Eu);  // after the HLT of vector 13 (#GP)
  EXPECT_EQ(m.s().gpr[kEAX], 0u);
}

}  // namespace
}  // namespace codemorph::cms::test
