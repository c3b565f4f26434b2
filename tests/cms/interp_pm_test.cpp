// Protected-mode mechanisms of the interpreter (docs/interpreter.md): segment loads and
// their error codes, call gates, IDT delivery with the TSS stack switch, IRET to ring 3,
// paging (#PF error codes, CR2, A/D, WP, 4 MiB pages, RSVD, page-crossing writes), V86
// IOPL-sensitive #GP, the I/O permission bitmap, CPUID/RDTSC/MSRs and a PM triple fault.
#include <gtest/gtest.h>

#include "pm_test_util.h"

namespace codemorph::cms::test {
namespace {

TEST(PmSegments, SelectorBeyondGdtLimitIsGpWithSelector) {
  PmMachine m;
  m.code({0x66, 0xB8, 0x80, 0x00, 0x8E, 0xD8});  // mov ax,80h; mov ds,ax
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecGP);
  EXPECT_EQ(m.stackWord(0), 0x80u);               // error code
  EXPECT_EQ(m.stackWord(1), PmMachine::kCode + 4);  // EIP of the faulting MOV DS
  EXPECT_EQ(m.s().seg[kDS].selector, 0x10);       // unchanged
}

TEST(PmSegments, NotPresentDataIsNpAndStackIsSs) {
  PmMachine m;
  m.desc(0x30, 0, 0xFFFFF, 0xC013 & 0xFF7F);      // P = 0
  m.code({0x66, 0xB8, 0x30, 0x00, 0x8E, 0xD8});   // mov ds
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecNP);
  EXPECT_EQ(m.stackWord(0), 0x30u);
  PmMachine m2;
  m2.desc(0x30, 0, 0xFFFFF, 0xC013 & 0xFF7F);
  m2.code({0x66, 0xB8, 0x30, 0x00, 0x8E, 0xD0});  // mov ss
  m2.run();
  EXPECT_EQ(m2.haltedVector(), kVecSS);
  EXPECT_EQ(m2.stackWord(0), 0x30u);
}

TEST(PmSegments, LoadSetsAccessedBitAndLimitFaults) {
  PmMachine m;
  m.desc(0x30, 0x200000, 0xFFF, 0x4092);          // accessed clear, limit FFFh
  m.code({0x66, 0xB8, 0x30, 0x00, 0x8E, 0xE0,     // mov fs,ax
          0x64, 0xA1, 0xFD, 0x0F, 0x00, 0x00});   // mov eax,[fs:0FFDh] -> #GP(0)
  m.run();
  EXPECT_EQ(m.bus.ram()[PmMachine::kGdt + 0x30 + 5] & 1, 1);
  EXPECT_EQ(m.haltedVector(), kVecGP);
  EXPECT_EQ(m.stackWord(0), 0u);
  EXPECT_EQ(m.stackWord(1), PmMachine::kCode + 6);
}

// Puts the machine at CPL 3 with flat ring-3 segments and ESP = 8000h.
void toRing3(PmMachine& m) {
  CpuState& s = m.s();
  for (auto& sc : s.seg) sc = SegmentCache{0x23, 0xC0F3, 0, 0xFFFFFFFFu};
  s.seg[kCS] = SegmentCache{0x1B, 0xC0FB, 0, 0xFFFFFFFFu};
  s.cpl = 3;
  s.gpr[kESP] = 0x8000;
}

TEST(PmGates, CallGateToRing0SwitchesStackAndCopiesParameters) {
  PmMachine m;
  m.writeGate(PmMachine::kGdt + 0x30, 0x11000, 0x08, 0xEC, 1);  // DPL 3, 1 parameter
  m.code({0xF4}, 0x11000);
  m.code({0x68, 0x44, 0x33, 0x22, 0x11, 0x9A, 0, 0, 0, 0, 0x33, 0x00});
  toRing3(m);
  m.run();
  const CpuState& s = m.s();
  EXPECT_EQ(s.eip, 0x11001u);
  EXPECT_EQ(s.cpl, 0);
  EXPECT_EQ(s.seg[kCS].selector, 0x08);
  EXPECT_EQ(s.seg[kSS].selector, 0x10);
  EXPECT_EQ(s.gpr[kESP], PmMachine::kStack0 - 20);
  EXPECT_EQ(m.stackWord(0), PmMachine::kCode + 12);  // return EIP
  EXPECT_EQ(m.stackWord(1), 0x1Bu);
  EXPECT_EQ(m.stackWord(2), 0x11223344u);            // copied parameter
  EXPECT_EQ(m.stackWord(3), 0x7FFCu);                // caller ESP
  EXPECT_EQ(m.stackWord(4), 0x23u);                  // caller SS
}

TEST(PmGates, InterruptFromRing3UsesTssStackAndIretReturns) {
  PmMachine m;
  m.gate(0x40, 0x11000, 0x08, 0xEE);
  m.code({0xCF}, 0x11000);                           // handler: IRET
  m.code({0xCD, 0x40, 0xF4});                        // int 40h; hlt (CPL 3 -> #GP)
  toRing3(m);
  m.s().eflags |= kIF;
  m.cpu.step();  // INT 40h delivered
  EXPECT_EQ(m.s().cpl, 0);
  EXPECT_EQ(m.s().gpr[kESP], PmMachine::kStack0 - 20);
  EXPECT_FALSE(m.s().eflags & kIF);                  // interrupt gate
  EXPECT_EQ(m.stackWord(0), PmMachine::kCode + 2);
  EXPECT_EQ(m.stackWord(3), 0x8000u);
  m.cpu.step();  // IRET
  EXPECT_EQ(m.s().cpl, 3);
  EXPECT_EQ(m.s().gpr[kESP], 0x8000u);
  EXPECT_TRUE(m.s().eflags & kIF);
  EXPECT_EQ(m.s().seg[kDS].selector, 0x23);          // DPL 3 data stays
  m.run();                                           // HLT at CPL 3: #GP(0)
  EXPECT_EQ(m.haltedVector(), kVecGP);
  EXPECT_EQ(m.stackWord(0), 0u);
  EXPECT_EQ(m.stackWord(2), 0x1Bu);
}

TEST(PmGates, SoftwareIntToDpl0GateFromRing3IsGp) {
  PmMachine m;
  m.code({0xCD, 0x40});
  toRing3(m);
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecGP);
  EXPECT_EQ(m.stackWord(0), 0x40u * 8 + 2);
}

TEST(PmGates, NotPresentGateDuringExceptionGivesDoubleFault) {
  PmMachine m;
  m.gate(kVecGP, PmMachine::kStubs + 16 * kVecGP, 0x08, 0x0E);  // P = 0
  m.code({0x66, 0xB8, 0x80, 0x00, 0x8E, 0xD8});
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecDF);
  EXPECT_EQ(m.stackWord(0), 0u);
}

TEST(PmGates, TripleFaultReportsChain) {
  PmMachine m;
  m.s().idtr.limit = 0;
  m.code({0x0F, 0x0B});  // UD2
  EXPECT_EQ(m.run().reason, StopReason::TripleFault);
  const StopInfo& st = m.cpu.stopInfo();
  EXPECT_EQ(st.cs, 0x08);
  EXPECT_EQ(st.eip, PmMachine::kCode);
  // #UD is benign: its #GP is delivered serially; that #GP faults again -> #DF -> #GP.
  const std::vector<uint8_t> want{kVecUD, kVecGP, kVecGP, kVecDF, kVecGP};
  EXPECT_EQ(st.exceptionChain, want);
}

// Identity-maps 0-4 MiB (user, writable) with PD at 100000h, PT at 101000h.
void identityPaging(PmMachine& m) {
  m.put32(0x100000, 0x101000 | 7);
  for (uint32_t i = 0; i < 1024; ++i) m.put32(0x101000 + 4 * i, (i << 12) | 7);
  m.s().cr[3] = 0x100000;
  m.s().cr[0] |= kCr0PG;
}

TEST(Paging, NotPresentReadAndWriteErrorCodesAndCr2) {
  PmMachine m;
  identityPaging(m);
  m.put32(0x101000 + 4 * 0x200, 0);
  m.code({0xA3, 0x08, 0x00, 0x20, 0x00});  // mov [200008h],eax
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecPF);
  EXPECT_EQ(m.stackWord(0), 2u);
  EXPECT_EQ(m.s().cr[2], 0x200008u);
}

TEST(Paging, AccessedAndDirtyBits) {
  PmMachine m;
  identityPaging(m);
  const uint32_t pte = 0x101000 + 4 * 0x201;
  m.code({0xA1, 0x00, 0x10, 0x20, 0x00, 0xF4, 0xA3, 0x00, 0x10, 0x20, 0x00, 0xF4});
  m.run();
  EXPECT_EQ(m.get32(pte) & 0x60, 0x20u);
  EXPECT_EQ(m.get32(0x100000) & 0x20, 0x20u);
  m.cont();
  EXPECT_EQ(m.get32(pte) & 0x60, 0x60u);
}

TEST(Paging, WriteProtectAndUserSupervisor) {
  PmMachine m;
  identityPaging(m);
  m.put32(0x101000 + 4 * 0x202, 0x202000 | 5);  // user, read-only
  m.code({0xA3, 0x00, 0x20, 0x20, 0x00, 0xF4, 0xA3, 0x00, 0x20, 0x20, 0x00});
  m.run();
  EXPECT_EQ(m.s().eip, PmMachine::kCode + 6);    // WP=0: supervisor write allowed
  m.s().cr[0] |= kCr0WP;
  m.cont();
  EXPECT_EQ(m.haltedVector(), kVecPF);
  EXPECT_EQ(m.stackWord(0), 3u);
  PmMachine u;
  identityPaging(u);
  u.put32(0x101000 + 4 * 0x202, 0x202000 | 3);  // supervisor only
  u.code({0xA1, 0x00, 0x20, 0x20, 0x00});
  toRing3(u);
  u.run();
  EXPECT_EQ(u.haltedVector(), kVecPF);
  EXPECT_EQ(u.stackWord(0), 5u);
}

TEST(Paging, FourMegPagesAndReservedBit) {
  PmMachine m;
  identityPaging(m);
  m.s().cr[4] = 0x10;                            // PSE
  m.put32(0x100000 + 4, 0x00000087);             // 400000h -> 0 (4 MiB)
  m.put32(0x100000 + 8, 0x00200087);             // bit 21 reserved
  m.put32(0x7000, 0xCAFEF00D);
  m.code({0xA1, 0x00, 0x70, 0x40, 0x00, 0xF4, 0xA1, 0x00, 0x00, 0x80, 0x00});
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX], 0xCAFEF00Du);
  EXPECT_EQ(m.get32(0x100004) & 0x60, 0x20u);
  m.cont();
  EXPECT_EQ(m.haltedVector(), kVecPF);
  EXPECT_EQ(m.stackWord(0), 9u);                 // RSVD | P
  EXPECT_EQ(m.s().cr[2], 0x800000u);
}

TEST(Paging, PageCrossingWriteFaultsBeforeWriting) {
  PmMachine m;
  identityPaging(m);
  m.put32(0x101000 + 4 * 0x201, 0);
  m.put32(0x200FFC, 0x11223344);
  m.code({0xC7, 0x05, 0xFE, 0x0F, 0x20, 0x00, 0xDD, 0xCC, 0xBB, 0xAA});
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecPF);
  EXPECT_EQ(m.s().cr[2], 0x201000u);
  EXPECT_EQ(m.get32(0x200FFC), 0x11223344u);
}

TEST(V86, CliWithIopl0IsGpWithV86Frame) {
  PmMachine m;
  CpuState& s = m.s();
  s.eflags = kFixed1 | kVM;
  for (auto& sc : s.seg) sc = SegmentCache{0x1000, 0x00F3, 0x10000, 0xFFFF};
  s.cpl = 3;
  s.eip = 0;
  s.gpr[kESP] = 0x100;
  m.code({0xFA});  // CLI at 1000:0000
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecGP);
  EXPECT_EQ(m.stackWord(0), 0u);          // error code
  EXPECT_EQ(m.stackWord(2), 0x1000u);     // CS
  EXPECT_TRUE(m.stackWord(3) & kVM);      // EFLAGS
  EXPECT_EQ(m.stackWord(9), 0x1000u);     // GS
  EXPECT_EQ(m.s().seg[kDS].selector, 0);  // nulled
  EXPECT_FALSE(m.s().eflags & kVM);
}

TEST(IoPermission, BitmapCheckedAtCpl3) {
  PmMachine m;
  m.bus.storage()[PmMachine::kTss + 0x68 + 0x60 / 8] = 1;  // deny 60h
  m.code({0xE4, 0x61, 0xE4, 0x60});
  toRing3(m);
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecGP);
  EXPECT_EQ(m.stackWord(1), PmMachine::kCode + 2);
  EXPECT_EQ(m.s().gpr[kEAX] & 0xFF, 0xFFu);  // IN 61h happened
}

class FixedTime : public TimeSource {
 public:
  uint64_t ticks() const override { return 0x123456789ull; }
};

TEST(CpuidMsr, CpuidRdtscAndMsrs) {
  PmMachine m;
  FixedTime t;
  m.cpu.setTimeSource(&t);
  m.s().gpr[kEAX] = 0;
  m.code({0x0F, 0xA2, 0xF4, 0xB8, 1, 0, 0, 0, 0x0F, 0xA2, 0xF4, 0x0F, 0x31, 0xF4,
          0xB9, 0x10, 0, 0, 0, 0xB8, 5, 0, 0, 0, 0x0F, 0x30, 0x0F, 0x32, 0xF4,
          0xB9, 0x11, 0, 0, 0, 0x0F, 0x32});
  m.run();
  EXPECT_EQ(m.s().gpr[kEBX], 0x756E6547u);
  EXPECT_EQ(m.s().gpr[kECX], 0x3638784Du);
  m.cont();
  EXPECT_EQ(m.s().gpr[kEAX], 0x543u);
  EXPECT_EQ(m.s().gpr[kEDX], (1u << 3) | (1u << 4) | (1u << 5) | (1u << 8) | (1u << 15));
  m.cont();
  EXPECT_EQ(m.s().gpr[kEAX], 0x23456789u);
  EXPECT_EQ(m.s().gpr[kEDX], 0x1u);
  m.cont();  // WRMSR TSC := 5 (high half cleared), RDMSR
  EXPECT_EQ(m.s().gpr[kEAX], 5u);
  EXPECT_EQ(m.s().gpr[kEDX], 0u);
  m.cont();  // RDMSR 11h: #GP(0)
  EXPECT_EQ(m.haltedVector(), kVecGP);
}

TEST(ControlRegisters, Cr4ReservedBitIsGp) {
  PmMachine m;
  m.code({0xB8, 0x80, 0, 0, 0, 0x0F, 0x22, 0xE0});  // mov eax,80h (PGE); mov cr4,eax
  m.run();
  EXPECT_EQ(m.haltedVector(), kVecGP);
  EXPECT_EQ(m.s().cr[4], 0u);
}

// ---- Decoded-instruction cache under paging ----

// The loop body is patched through a second linear mapping (200000h -> the code page):
// the store hits the code's physical page under another linear address.
TEST(DecodeCache, StoreThroughAliasMappingTakesEffect) {
  PmMachine m;
  identityPaging(m);
  m.put32(0x101000 + 4 * 0x200, PmMachine::kCode | 7);  // 200000h -> 10000h
  m.code({
      0xB9, 0x04, 0x00, 0x00, 0x00,              // 10000: mov ecx,4
      0x31, 0xC0,                                // 10005: xor eax,eax
      0x40,                                      // 10007: inc eax  (patched to dec eax)
      0x83, 0xF9, 0x02,                          // 10008: cmp ecx,2
      0x75, 0x07,                                // 1000B: jne 10014
      0xC6, 0x05, 0x07, 0x00, 0x20, 0x00, 0x48,  // 1000D: mov byte [200007h],48h
      0xE2, 0xF1,                                // 10014: loop 10007
      0xF4,                                      // 10016: hlt
  });
  m.run();
  EXPECT_EQ(m.haltedVector(), -1);
  EXPECT_EQ(m.s().eip, 0x10017u);
  EXPECT_EQ(m.s().gpr[kEAX], 2u);
}

// The same linear address remapped to another physical page runs the other page's code;
// unmapped, the fetch takes #PF with CR2 = EIP even though the code was decoded before.
TEST(DecodeCache, RemapAndUnmapOfCachedCode) {
  PmMachine m;
  identityPaging(m);
  const uint32_t pte = 0x101000 + 4 * 0x200;
  m.code({0xB8, 0x11, 0x11, 0x00, 0x00, 0xF4}, 0x30000);  // mov eax,1111h ; hlt
  m.code({0xB8, 0x22, 0x22, 0x00, 0x00, 0xF4}, 0x31000);  // mov eax,2222h ; hlt
  m.put32(pte, 0x30000 | 7);
  m.s().eip = 0x200000;
  m.run();
  EXPECT_EQ(m.s().gpr[kEAX], 0x1111u);
  m.put32(pte, 0x31000 | 7);
  m.s().eip = 0x200000;
  m.cont();
  EXPECT_EQ(m.s().gpr[kEAX], 0x2222u);
  m.put32(pte, 0);
  m.s().eip = 0x200000;
  m.cont();
  EXPECT_EQ(m.haltedVector(), kVecPF);
  EXPECT_EQ(m.s().cr[2], 0x200000u);
  EXPECT_EQ(m.stackWord(0), 0u);           // not present, supervisor read (fetch)
  EXPECT_EQ(m.stackWord(1), 0x200000u);    // faulting EIP
}

}  // namespace
}  // namespace codemorph::cms::test
