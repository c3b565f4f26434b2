// Decoder unit tests: prefixes, immediates and operand sizes, groups, LOCK legality,
// x87, MMX, invalid opcodes, NeedMore/TooLong and the 15-byte limit.
#include <gtest/gtest.h>

#include "decode_helpers.h"

namespace codemorph::x86 {
namespace {
using test::dec;
using test::dec16;

// --- Prefixes (SDM Vol. 2A 2.1.1)

TEST(X86Prefixes, LastSegmentOverrideWinsAndAllAreRecorded) {
  auto r = dec({0x26, 0x2E, 0x3E, 0x8B, 0x00});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.insn.length, 5);
  EXPECT_EQ(r.insn.numPrefixes, 3);
  EXPECT_EQ(r.insn.segOverride, Seg::DS);
  EXPECT_EQ(r.insn.prefixes, kPfxES | kPfxCS | kPfxDS);
  EXPECT_EQ(r.insn.op[1].seg, Seg::DS);
  r = dec({0x64, 0x65, 0x89, 0x00});
  EXPECT_EQ(r.text(), "mov dword ptr gs:[eax], eax");
}

TEST(X86Prefixes, OperandSizeToggles) {
  EXPECT_EQ(dec({0x66, 0xB8, 0x34, 0x12}).text(), "mov ax, 0x1234");
  EXPECT_EQ(dec({0x66, 0xB8, 0x34, 0x12}).insn.length, 4);
  EXPECT_EQ(dec16({0x66, 0xB8, 0x78, 0x56, 0x34, 0x12}).text(), "mov eax, 0x12345678");
  EXPECT_EQ(dec16({0xB8, 0x34, 0x12}).insn.opSize, 2);
  auto r = dec({0x66, 0x66, 0x40});  // repeated 66 still means "toggle once"
  EXPECT_EQ(r.text(), "inc ax");
}

TEST(X86Prefixes, AddressSizeToggles) {
  EXPECT_EQ(dec({0x67, 0x8B, 0x00}).text(), "mov eax, dword ptr [bx+si]");
  EXPECT_EQ(dec16({0x67, 0x8B, 0x00}).text(), "mov ax, word ptr [eax]");
  EXPECT_EQ(dec({0x67, 0x8B, 0x00}).insn.addrSize, 2);
}

TEST(X86Prefixes, RepPrefixes) {
  EXPECT_EQ(dec({0xF3, 0xA4}).text(), "rep movsb");
  EXPECT_EQ(dec({0xF2, 0xAE}).text(), "repne scasb");
  EXPECT_EQ(dec({0xF3, 0xA7}).text(), "repe cmpsd");
  auto r = dec({0xF3, 0xF2, 0xA4});
  EXPECT_EQ(r.insn.rep, 0xF2);  // the last of F2/F3 decides
  EXPECT_EQ(r.insn.prefixes, kPfxRep | kPfxRepne);
  EXPECT_EQ(dec({0x66, 0xA5}).text(), "movsw");
  EXPECT_EQ(dec16({0x66, 0xAD}).text(), "lodsd");
}

TEST(X86Prefixes, FifteenByteLimit) {
  std::vector<uint8_t> b(14, 0x3E);
  b.push_back(0x90);
  auto r = dec(b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.insn.length, 15);
  b.insert(b.begin(), 0x26);  // 16 bytes
  r = dec(b);
  EXPECT_EQ(r.status, DecodeStatus::TooLong);
  EXPECT_EQ(exceptionVector(r.status, CpuProfile::PentiumII), 13);
  // 11 prefixes + a 5-byte MOV = 16 bytes.
  r = dec({0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0xB8, 1, 2, 3, 4});
  EXPECT_EQ(r.status, DecodeStatus::TooLong);
  // Exactly 15: 10 prefixes + B8 imm32.
  r = dec({0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0xB8, 1, 2, 3, 4});
  EXPECT_TRUE(r.ok());
  // A 15-byte span of prefixes: the limit, not the span, ends it.
  r = dec(std::vector<uint8_t>(15, 0x66));
  EXPECT_EQ(r.status, DecodeStatus::TooLong);
}

TEST(X86Prefixes, NeedMoreIsDistinctFromInvalid) {
  EXPECT_EQ(dec({}).status, DecodeStatus::NeedMore);
  EXPECT_EQ(dec({0x66}).status, DecodeStatus::NeedMore);
  EXPECT_EQ(dec({0x0F}).status, DecodeStatus::NeedMore);
  EXPECT_EQ(dec({0x8B}).status, DecodeStatus::NeedMore);
  EXPECT_EQ(dec({0x8B, 0x84}).status, DecodeStatus::NeedMore);          // SIB missing
  EXPECT_EQ(dec({0x8B, 0x80, 0x00, 0x00}).status, DecodeStatus::NeedMore);  // disp32 cut
  EXPECT_EQ(dec({0x8B, 0x80, 0x00, 0x00, 0x00, 0x00}).status, DecodeStatus::Ok);
  EXPECT_EQ(dec({0xE8, 1, 2, 3}).status, DecodeStatus::NeedMore);
  EXPECT_EQ(dec({0x0F, 0x0F}).status, DecodeStatus::Invalid);  // known invalid without more
  // An interpreter at a page end: decode the part, then the whole.
  const std::vector<uint8_t> insn = {0x3E, 0xC7, 0x84, 0x88, 1, 2, 3, 4, 5, 6, 7, 8};
  for (size_t cut = 0; cut < insn.size(); ++cut) {
    const auto r = dec(std::vector<uint8_t>(insn.begin(), insn.begin() + static_cast<long>(cut)));
    EXPECT_EQ(r.status, DecodeStatus::NeedMore) << cut;
  }
  EXPECT_EQ(dec(insn).insn.length, 12);
}

// --- LOCK (SDM Vol. 2A "LOCK—Assert LOCK# Signal Prefix")

TEST(X86Lock, LegalOnlyOnListedInstructionsWithMemoryDestination) {
  const auto ok = [](std::vector<uint8_t> b) { return dec(b).ok(); };
  EXPECT_TRUE(ok({0xF0, 0x01, 0x00}));          // lock add [eax], eax
  EXPECT_FALSE(ok({0xF0, 0x01, 0xC0}));         // register destination
  EXPECT_FALSE(ok({0xF0, 0x03, 0x00}));         // add eax, [eax]: destination is a register
  EXPECT_FALSE(ok({0xF0, 0x90}));               // nop
  EXPECT_FALSE(ok({0xF0, 0x8B, 0x00}));         // mov
  EXPECT_TRUE(ok({0xF0, 0x87, 0x00}));          // xchg
  EXPECT_TRUE(ok({0xF0, 0x80, 0x00, 0x05}));    // Grp1 /0 add
  EXPECT_FALSE(ok({0xF0, 0x80, 0x38, 0x05}));   // Grp1 /7 cmp
  EXPECT_TRUE(ok({0xF0, 0xF6, 0x10}));          // not
  EXPECT_FALSE(ok({0xF0, 0xF6, 0x00, 0x05}));   // test
  EXPECT_TRUE(ok({0xF0, 0xFE, 0x00}));          // inc
  EXPECT_FALSE(ok({0xF0, 0xFF, 0x30}));         // push
  EXPECT_TRUE(ok({0xF0, 0x0F, 0xAB, 0x00}));    // bts
  EXPECT_FALSE(ok({0xF0, 0x0F, 0xA3, 0x00}));   // bt
  EXPECT_TRUE(ok({0xF0, 0x0F, 0xBA, 0x28, 1})); // Grp8 bts
  EXPECT_FALSE(ok({0xF0, 0x0F, 0xBA, 0x20, 1}));// Grp8 bt
  EXPECT_TRUE(ok({0xF0, 0x0F, 0xB1, 0x00}));    // cmpxchg
  EXPECT_TRUE(ok({0xF0, 0x0F, 0xC1, 0x00}));    // xadd
  EXPECT_TRUE(ok({0xF0, 0x0F, 0xC7, 0x08}));    // cmpxchg8b
  auto r = dec({0x87, 0x00});
  EXPECT_TRUE(r.insn.flags & kInsnImplicitLock);
  EXPECT_TRUE(r.insn.flags & kInsnLockable);
  EXPECT_FALSE(dec({0x87, 0xC0}).insn.flags & kInsnLockable);
  EXPECT_EQ(dec({0xF0, 0x01, 0x00}).text(), "lock add dword ptr [eax], eax");
}

// --- Immediates and operand sizes

TEST(X86Immediates, BySize) {
  EXPECT_EQ(dec({0x81, 0xC0, 0x78, 0x56, 0x34, 0x12}).text(), "add eax, 0x12345678");
  EXPECT_EQ(dec({0x66, 0x81, 0xC0, 0x34, 0x12}).insn.length, 5);
  EXPECT_EQ(dec16({0x81, 0xC0, 0x34, 0x12}).insn.length, 4);
  EXPECT_EQ(dec({0x05, 1, 2, 3, 4}).insn.length, 5);          // eAX, Iz
  EXPECT_EQ(dec({0x04, 1}).insn.length, 2);                   // AL, Ib
  EXPECT_EQ(dec({0xA9, 1, 2, 3, 4}).insn.length, 5);
  EXPECT_EQ(dec({0xC2, 0x08, 0x00}).text(), "ret 0x8");      // Iw
  EXPECT_EQ(dec({0xCA, 0x08, 0x00}).insn.length, 3);
  EXPECT_EQ(dec({0xC8, 0x10, 0x00, 0x01}).text(), "enter 0x10, 0x1");
  EXPECT_EQ(dec({0xCD, 0x21}).text(), "int 0x21");
  EXPECT_EQ(dec({0xD4, 0x0A}).insn.length, 2);
  EXPECT_EQ(dec({0xB0, 0x7F}).text(), "mov al, 0x7f");
  EXPECT_EQ(dec({0xBF, 1, 0, 0, 0}).text(), "mov edi, 0x1");
  EXPECT_EQ(dec16({0xBF, 1, 0}).text(), "mov di, 0x1");
  EXPECT_EQ(dec({0xE4, 0x60}).text(), "in al, 0x60");
  EXPECT_EQ(dec({0xEF}).text(), "out dx, eax");
}

TEST(X86Immediates, SignExtendedByte) {
  auto r = dec({0x83, 0xC0, 0xFF});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.insn.op[1].kind, OpKind::Imm);
  EXPECT_EQ(r.insn.op[1].value, 0xFFFFFFFFu);
  EXPECT_EQ(r.insn.op[1].size, 4);
  EXPECT_EQ(r.text(), "add eax, 0xffffffff");
  EXPECT_EQ(dec16({0x83, 0xC0, 0xFF}).text(), "add ax, 0xffff");
  EXPECT_EQ(dec({0x6A, 0x80}).text(), "push 0xffffff80");
  EXPECT_EQ(dec({0x6B, 0xC1, 0xFE}).text(), "imul eax, ecx, 0xfffffffe");
  EXPECT_EQ(dec({0x69, 0xC1, 1, 0, 0, 0}).insn.length, 6);
  // Not sign-extended: the port of IN and a shift count.
  EXPECT_EQ(dec({0xE4, 0x80}).insn.op[1].value, 0x80u);
  EXPECT_EQ(dec({0xC1, 0xE0, 0x85}).insn.op[1].value, 0x85u);
}

TEST(X86Immediates, FarPointersAndMoffs) {
  auto r = dec({0x9A, 0x78, 0x56, 0x34, 0x12, 0xCD, 0xAB});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.insn.length, 7);
  EXPECT_EQ(r.insn.op[0].kind, OpKind::Far);
  EXPECT_EQ(r.insn.op[0].selector, 0xABCD);
  EXPECT_EQ(r.insn.op[0].value, 0x12345678u);
  EXPECT_EQ(dec16({0xEA, 0x34, 0x12, 0x00, 0xF0}).text(), "ljmp 0xf000:0x1234");
  EXPECT_EQ(dec({0x66, 0xEA, 0x34, 0x12, 0x00, 0xF0}).insn.length, 6);
  EXPECT_EQ(dec({0xA1, 0x78, 0x56, 0x34, 0x12}).text(), "mov eax, dword ptr [0x12345678]");
  EXPECT_EQ(dec({0x67, 0xA1, 0x34, 0x12}).insn.length, 4);   // moffs by address size
  EXPECT_EQ(dec({0x66, 0xA1, 0x78, 0x56, 0x34, 0x12}).text(), "mov ax, word ptr [0x12345678]");
  EXPECT_EQ(dec16({0xA2, 0x34, 0x12}).text(), "mov byte ptr [0x1234], al");
  EXPECT_EQ(dec16({0x2E, 0xA2, 0x34, 0x12}).insn.op[0].seg, Seg::CS);
}

TEST(X86Immediates, RelativeBranches) {
  auto r = dec({0xEB, 0xFE});
  EXPECT_EQ(branchTarget(r.insn, r.insn.op[0], 0x1000), 0x1000u);
  r = dec({0xE8, 0x00, 0x01, 0x00, 0x00});
  EXPECT_EQ(branchTarget(r.insn, r.insn.op[0], 0x1000), 0x1105u);
  EXPECT_TRUE(r.insn.flags & kInsnBranch);
  r = dec({0x66, 0xE9, 0x00, 0x80});  // rel16, EIP truncated to 16 bits (Vol. 2A JMP)
  EXPECT_EQ(r.insn.length, 4);
  EXPECT_EQ(branchTarget(r.insn, r.insn.op[0], 0x12340000), 0x8004u);
  r = dec16({0x0F, 0x84, 0xFC, 0xFF});
  EXPECT_EQ(r.text(), "je 0x0");
  EXPECT_EQ(r.insn.cond, 4);
  EXPECT_EQ(dec({0x0F, 0x8F, 0, 0, 0, 0}).insn.length, 6);
  EXPECT_EQ(dec({0xE3, 0x00}).text(), "jecxz 0x2");
  EXPECT_EQ(dec({0x67, 0xE3, 0x00}).text(), "jcxz 0x3");
  EXPECT_EQ(dec({0x7C, 0x00}).text(), "jl 0x2");
}

// --- Groups (SDM Vol. 2D Table A-6)

TEST(X86Groups, MembersAndInvalidCells) {
  EXPECT_EQ(dec({0x80, 0x38, 0x05}).text(), "cmp byte ptr [eax], 0x5");
  EXPECT_EQ(dec({0x82, 0xC0, 0x05}).text(), "add al, 0x5");    // 82 = 80 alias
  EXPECT_EQ(dec({0xC0, 0xE0, 0x03}).text(), "shl al, 0x3");
  EXPECT_EQ(dec({0xD1, 0xF8}).text(), "sar eax, 0x1");
  EXPECT_EQ(dec({0xD3, 0xE0}).text(), "shl eax, cl");
  auto sal = dec({0xD0, 0xF0});                                // Grp2 /6
  EXPECT_EQ(sal.text(), "sal al, 0x1");
  EXPECT_TRUE(sal.insn.flags & kInsnUndocumented);
  EXPECT_EQ(dec({0xF6, 0xC0, 0x12}).text(), "test al, 0x12");
  EXPECT_EQ(dec({0xF6, 0xC8, 0x12}).insn.length, 3);           // /1 alias of TEST
  EXPECT_EQ(dec({0xF7, 0xC0, 1, 2, 3, 4}).insn.length, 6);
  EXPECT_EQ(dec({0xF7, 0xE1}).text(), "mul ecx");
  EXPECT_EQ(dec({0xF7, 0x38}).text(), "idiv dword ptr [eax]");
  EXPECT_EQ(dec({0xFE, 0xC0}).text(), "inc al");
  EXPECT_EQ(dec({0xFE, 0xD0}).status, DecodeStatus::Invalid);
  EXPECT_EQ(dec({0xFF, 0xD0}).text(), "call eax");
  EXPECT_EQ(dec({0xFF, 0x18}).text(), "lcall fword ptr [eax]");
  EXPECT_EQ(dec({0xFF, 0xD8}).status, DecodeStatus::Invalid);  // far call needs memory
  EXPECT_EQ(dec({0xFF, 0x38}).status, DecodeStatus::Invalid);  // /7
  EXPECT_EQ(dec({0xFF, 0x30}).text(), "push dword ptr [eax]");
  EXPECT_EQ(dec({0x8F, 0xC0}).text(), "pop eax");
  EXPECT_EQ(dec({0x8F, 0xC8}).status, DecodeStatus::Invalid);
  EXPECT_EQ(dec({0xC6, 0x00, 0x01}).text(), "mov byte ptr [eax], 0x1");
  EXPECT_EQ(dec({0xC7, 0xC8, 1, 2, 3, 4}).status, DecodeStatus::Invalid);
}

TEST(X86Groups, SystemGroups) {
  auto r = dec({0x0F, 0x00, 0xC0});
  EXPECT_EQ(r.text(), "sldt eax");  // Rv/Mw: register of operand size
  EXPECT_TRUE(r.insn.flags & kInsnPmOnly);
  EXPECT_EQ(dec({0x0F, 0x00, 0x00}).text(), "sldt word ptr [eax]");
  EXPECT_EQ(dec({0x0F, 0x00, 0xD8}).text(), "ltr ax");
  EXPECT_TRUE(dec({0x0F, 0x00, 0xD8}).insn.flags & kInsnPrivileged);
  EXPECT_EQ(dec({0x0F, 0x00, 0x30}).status, DecodeStatus::Invalid);
  EXPECT_EQ(dec({0x0F, 0x01, 0x10}).text(), "lgdt fword ptr [eax]");
  EXPECT_EQ(dec({0x0F, 0x01, 0xD0}).status, DecodeStatus::Invalid);  // lgdt needs memory
  EXPECT_EQ(dec({0x0F, 0x01, 0xE0}).text(), "smsw eax");
  EXPECT_EQ(dec({0x0F, 0x01, 0xF0}).text(), "lmsw ax");
  EXPECT_EQ(dec({0x0F, 0x01, 0x38}).text(), "invlpg [eax]");
  EXPECT_EQ(dec({0x0F, 0x01, 0xF8}).status, DecodeStatus::Invalid);
  EXPECT_EQ(dec({0x0F, 0xBA, 0xE0, 0x05}).text(), "bt eax, 0x5");
  EXPECT_EQ(dec({0x0F, 0xBA, 0xC0, 0x05}).status, DecodeStatus::Invalid);
  EXPECT_EQ(dec({0x0F, 0xC7, 0x08}).text(), "cmpxchg8b qword ptr [eax]");
  EXPECT_EQ(dec({0x0F, 0xC7, 0xC8}).status, DecodeStatus::Invalid);
}

TEST(X86Decoder, SpecialOperandForms) {
  // MOV CRn/DRn: mod is ignored, always a register (Vol. 2B MOV—Move to/from CRs).
  EXPECT_EQ(dec({0x0F, 0x20, 0xC0}).text(), "mov eax, cr0");
  EXPECT_EQ(dec({0x0F, 0x20, 0x00}).text(), "mov eax, cr0");
  EXPECT_EQ(dec({0x0F, 0x20, 0x80}).insn.length, 3);
  EXPECT_EQ(dec({0x0F, 0x22, 0xE0}).text(), "mov cr4, eax");
  EXPECT_EQ(dec({0x0F, 0x22, 0xC8}).status, DecodeStatus::Invalid);  // CR1
  EXPECT_EQ(dec({0x0F, 0x23, 0xF8}).text(), "mov dr7, eax");
  EXPECT_EQ(dec({0x0F, 0x24, 0xC0}).status, DecodeStatus::Invalid);  // MOV TRn: 386/486
  // MOV Sreg.
  EXPECT_EQ(dec({0x8C, 0x00}).text(), "mov word ptr [eax], es");
  EXPECT_EQ(dec({0x8C, 0xD8}).text(), "mov eax, ds");
  EXPECT_EQ(dec({0x8E, 0xD8}).text(), "mov ds, ax");
  EXPECT_EQ(dec({0x8E, 0xC8}).status, DecodeStatus::Invalid);  // mov cs, ax
  EXPECT_EQ(dec({0x8E, 0xF0}).status, DecodeStatus::Invalid);  // sreg 6
  // Memory-only forms.
  EXPECT_EQ(dec({0x8D, 0x04, 0x88}).text(), "lea eax, [eax+ecx*4]");
  EXPECT_EQ(dec({0x8D, 0xC0}).status, DecodeStatus::Invalid);
  EXPECT_EQ(dec({0xC4, 0x00}).text(), "les eax, fword ptr [eax]");
  EXPECT_EQ(dec({0xC4, 0xC0}).status, DecodeStatus::Invalid);  // VEX on later CPUs
  EXPECT_EQ(dec({0x62, 0x00}).text(), "bound eax, qword ptr [eax]");
  EXPECT_EQ(dec({0x62, 0xC0}).status, DecodeStatus::Invalid);
  EXPECT_EQ(dec({0x0F, 0xB2, 0x00}).text(), "lss eax, fword ptr [eax]");
  // Other 0F forms.
  EXPECT_EQ(dec({0x0F, 0xB6, 0xC1}).text(), "movzx eax, cl");
  EXPECT_EQ(dec({0x0F, 0xBF, 0x01}).text(), "movsx eax, word ptr [ecx]");
  EXPECT_EQ(dec({0x0F, 0xA4, 0xC8, 0x04}).text(), "shld eax, ecx, 0x4");
  EXPECT_EQ(dec({0x0F, 0xAD, 0xC8}).text(), "shrd eax, ecx, cl");
  EXPECT_EQ(dec({0x0F, 0xC9}).text(), "bswap ecx");
  EXPECT_EQ(dec({0x0F, 0x44, 0xC1}).text(), "cmove eax, ecx");
  EXPECT_EQ(dec({0x0F, 0x95, 0xC0}).text(), "setne al");
  EXPECT_EQ(dec({0x0F, 0x1F, 0x44, 0x00, 0x00}).text(), "nop dword ptr [eax+eax]");
  EXPECT_EQ(dec({0x0F, 0xA2}).text(), "cpuid");
  EXPECT_EQ(dec({0x0F, 0x31}).text(), "rdtsc");
  EXPECT_EQ(dec({0x0F, 0x34}).text(), "sysenter");
  EXPECT_EQ(dec({0x0F, 0x0B}).text(), "ud2");
  EXPECT_EQ(dec({0x0F, 0xB9, 0xC0}).text(), "ud1 eax, eax");
  EXPECT_EQ(dec({0x0F, 0xA0}).text(), "push fs");
  EXPECT_EQ(dec({0xD6}).text(), "salc");
  EXPECT_EQ(dec({0xF1}).text(), "int1");
  EXPECT_EQ(dec({0x98}).text(), "cwde");
  EXPECT_EQ(dec16({0x98}).text(), "cbw");
  EXPECT_EQ(dec({0x60}).text(), "pushad");
}

// --- x87 (SDM Vol. 2D A.4.2)

TEST(X87, MemoryAndRegisterForms) {
  auto r = dec({0xD8, 0x00});
  EXPECT_EQ(r.text(), "fadd dword ptr [eax]");
  EXPECT_TRUE(r.insn.flags & kInsnX87);
  EXPECT_EQ(dec({0xDC, 0x05, 0, 0, 0, 0}).insn.length, 6);
  EXPECT_EQ(dec({0xDD, 0x00}).text(), "fld qword ptr [eax]");
  EXPECT_EQ(dec({0xDB, 0x28}).text(), "fld tbyte ptr [eax]");
  EXPECT_EQ(dec({0xDF, 0x28}).text(), "fild qword ptr [eax]");
  EXPECT_EQ(dec({0xDE, 0x00}).text(), "fiadd word ptr [eax]");
  EXPECT_EQ(dec({0xD9, 0x20}).insn.op[0].size, 28);            // fldenv
  EXPECT_EQ(dec({0x66, 0xD9, 0x20}).insn.op[0].size, 14);
  EXPECT_EQ(dec({0xDD, 0x30}).insn.op[0].size, 108);           // fnsave
  EXPECT_EQ(dec16({0xDD, 0x30}).insn.op[0].size, 94);
  EXPECT_EQ(dec({0xD9, 0xE8}).text(), "fld1");
  EXPECT_EQ(dec({0xD8, 0xC1}).text(), "fadd st(0), st(1)");
  EXPECT_EQ(dec({0xDC, 0xE9}).text(), "fsub st(1), st(0)");
  EXPECT_EQ(dec({0xDE, 0xD9}).text(), "fcompp");
  EXPECT_EQ(dec({0xDF, 0xE0}).text(), "fnstsw ax");
  EXPECT_EQ(dec({0xDA, 0xC1}).text(), "fcmovb st(0), st(1)");
  EXPECT_EQ(dec({0xDB, 0xE9}).text(), "fucomi st(0), st(1)");
  EXPECT_TRUE(dec({0xDF, 0xC1}).insn.flags & kInsnUndocumented);  // ffreep
  for (auto bad : {std::vector<uint8_t>{0xD9, 0xD1}, {0xD9, 0x08}, {0xDB, 0x08}, {0xDE, 0xD8},
                   {0xDA, 0xE0}, {0xDF, 0xE1}, {0xDD, 0x28}})
    EXPECT_EQ(dec(bad).status, DecodeStatus::Invalid) << dec(bad).text();
  EXPECT_EQ(dec({0xDA, 0xC1}, 32, CpuProfile::Pentium).status, DecodeStatus::Invalid);  // P6
}

// --- MMX (decoded for length, flagged, not executed)

TEST(Mmx, DecodedAndFlagged) {
  auto r = dec({0x0F, 0x6F, 0xC1});
  EXPECT_EQ(r.text(), "movq mm0, mm1");
  EXPECT_TRUE(r.insn.flags & kInsnMmx);
  EXPECT_EQ(dec({0x0F, 0x6E, 0xC0}).text(), "movd mm0, eax");
  EXPECT_EQ(dec({0x0F, 0x7E, 0x00}).text(), "movd dword ptr [eax], mm0");
  EXPECT_EQ(dec({0x0F, 0xFE, 0x48, 0x10}).text(), "paddd mm1, qword ptr [eax+0x10]");
  EXPECT_EQ(dec({0x0F, 0x71, 0xD0, 0x05}).text(), "psrlw mm0, 0x5");
  EXPECT_EQ(dec({0x0F, 0x73, 0xF1, 0x05}).text(), "psllq mm1, 0x5");
  EXPECT_EQ(dec({0x0F, 0x71, 0x10, 0x05}).status, DecodeStatus::Invalid);  // Nq: register only
  EXPECT_EQ(dec({0x0F, 0x73, 0xD8, 0x05}).status, DecodeStatus::Invalid);  // /3 is SSE2
  EXPECT_EQ(dec({0x0F, 0x77}).text(), "emms");
  EXPECT_EQ(dec({0x0F, 0xD4, 0xC0}).status, DecodeStatus::Invalid);        // PADDQ (SSE2)
  EXPECT_EQ(dec({0x0F, 0x70, 0xC0, 0x00}).status, DecodeStatus::Invalid);  // PSHUFW (SSE)
  EXPECT_EQ(dec({0x66, 0x0F, 0x6F, 0xC1}).insn.length, 4);                 // 66 ignored
}

// --- Undefined opcodes

TEST(X86Decoder, InvalidOpcodes) {
  for (auto bad : {std::vector<uint8_t>{0x0F, 0x0F, 0, 0}, {0x0F, 0x38, 0x00, 0xC0},
                   {0x0F, 0xFF}, {0x0F, 0x05}, {0x0F, 0x07}, {0x0F, 0x10, 0xC0},
                   {0x0F, 0xAE, 0x00}, {0x0F, 0x0D, 0x00}, {0x0F, 0xB8, 0xC0}, {0x0F, 0x37},
                   {0x0F, 0xC2, 0xC0, 0}}) {
    const auto r = dec(bad);
    EXPECT_EQ(r.status, DecodeStatus::Invalid) << r.text();
    EXPECT_EQ(exceptionVector(r.status, CpuProfile::PentiumII), 6);
  }
  EXPECT_EQ(toString(DecodedInsn{}), "(bad)");
}

}  // namespace
}  // namespace codemorph::x86
