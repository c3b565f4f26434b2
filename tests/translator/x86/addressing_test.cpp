// ModRM/SIB addressing forms (SDM Vol. 2A 2.1.5, Tables 2-1, 2-2, 2-3) in 16- and 32-bit
// address size: every mod/rm cell, SIB with and without base/index, disp8/16/32, default
// segments (SS for BP/EBP/ESP bases) and overrides, and the implicit string operands.
#include <gtest/gtest.h>

#include "decode_helpers.h"

namespace codemorph::x86 {
namespace {
using test::dec;
using test::dec16;

struct Form {
  std::vector<uint8_t> modrmAndRest;  // after opcode 8B (MOV Gv,Ev)
  Reg base, index;
  uint8_t scale;
  uint32_t disp;
  Seg seg;
  uint8_t length;  // including the opcode byte
};

void check(unsigned codeSize, const Form& f) {
  std::vector<uint8_t> b = {0x8B};
  b.insert(b.end(), f.modrmAndRest.begin(), f.modrmAndRest.end());
  const auto r = dec(b, codeSize);
  ASSERT_TRUE(r.ok()) << r.text();
  const Operand& m = r.insn.op[1];
  EXPECT_EQ(m.kind, OpKind::Mem) << r.text();
  EXPECT_EQ(m.reg, f.base) << r.text();
  EXPECT_EQ(m.index, f.index) << r.text();
  EXPECT_EQ(m.scale, f.scale) << r.text();
  EXPECT_EQ(m.value, f.disp) << r.text();
  EXPECT_EQ(m.seg, f.seg) << r.text();
  EXPECT_EQ(r.insn.length, f.length) << r.text();
  // A shorter span never decodes: it asks for more bytes.
  b.pop_back();
  EXPECT_EQ(dec(b, codeSize).status, DecodeStatus::NeedMore) << r.text();
}

TEST(X86Addressing, SixteenBitAllModRmCells) {
  using enum Reg;
  const Reg base[8] = {BX, BX, BP, BP, SI, DI, BP, BX};
  const Reg index[8] = {SI, DI, SI, DI, None, None, None, None};
  for (unsigned mod = 0; mod < 3; ++mod)
    for (unsigned rm = 0; rm < 8; ++rm) {
      SCOPED_TRACE(testing::Message() << "mod " << mod << " rm " << rm);
      const uint8_t modrm = static_cast<uint8_t>(mod << 6 | rm);
      if (mod == 0 && rm == 6) {  // disp16 only
        check(16, {{modrm, 0x34, 0x12}, None, None, 1, 0x1234, Seg::DS, 4});
        continue;
      }
      const Seg seg = base[rm] == BP ? Seg::SS : Seg::DS;
      if (mod == 0) check(16, {{modrm}, base[rm], index[rm], 1, 0, seg, 2});
      if (mod == 1) check(16, {{modrm, 0xFE}, base[rm], index[rm], 1, 0xFFFFFFFEu, seg, 3});
      if (mod == 2) check(16, {{modrm, 0x34, 0x92}, base[rm], index[rm], 1, 0xFFFF9234u, seg, 4});
    }
  EXPECT_EQ(dec16({0x8B, 0x46, 0xFE}).text(), "mov ax, word ptr [bp-0x2]");
  EXPECT_EQ(dec16({0x8B, 0x87, 0x34, 0x12}).text(), "mov ax, word ptr [bx+0x1234]");
}

TEST(X86Addressing, ThirtyTwoBitModRmAndSib) {
  using enum Reg;
  for (unsigned mod = 0; mod < 3; ++mod)
    for (unsigned rm = 0; rm < 8; ++rm) {
      if (rm == 4) continue;  // SIB below
      SCOPED_TRACE(testing::Message() << "mod " << mod << " rm " << rm);
      const uint8_t modrm = static_cast<uint8_t>(mod << 6 | rm);
      const Seg seg = rm == 5 ? Seg::SS : Seg::DS;
      if (mod == 0 && rm == 5) {
        check(32, {{modrm, 0x78, 0x56, 0x34, 0x12}, None, None, 1, 0x12345678, Seg::DS, 6});
        continue;
      }
      if (mod == 0) check(32, {{modrm}, gpr32(rm), None, 1, 0, seg, 2});
      if (mod == 1) check(32, {{modrm, 0x80}, gpr32(rm), None, 1, 0xFFFFFF80u, seg, 3});
      if (mod == 2) check(32, {{modrm, 1, 0, 0, 0x80}, gpr32(rm), None, 1, 0x80000001u, seg, 6});
    }
  // SIB: every scale, no index (100b), no base (mod 00, base 101b), ESP/EBP bases -> SS.
  check(32, {{0x04, 0x24}, ESP, None, 1, 0, Seg::SS, 3});
  check(32, {{0x04, 0x88}, EAX, ECX, 4, 0, Seg::DS, 3});
  check(32, {{0x04, 0x48}, EAX, ECX, 2, 0, Seg::DS, 3});
  check(32, {{0x04, 0xC8}, EAX, ECX, 8, 0, Seg::DS, 3});
  check(32, {{0x04, 0x08}, EAX, ECX, 1, 0, Seg::DS, 3});
  check(32, {{0x04, 0xE0}, EAX, None, 1, 0, Seg::DS, 3});            // index 100b: none
  check(32, {{0x04, 0x25, 0x78, 0x56, 0x34, 0x12}, None, None, 1, 0x12345678, Seg::DS, 7});
  check(32, {{0x04, 0x8D, 0, 0, 0, 0}, None, ECX, 4, 0, Seg::DS, 7});  // [ecx*4+disp32]
  check(32, {{0x44, 0x24, 0x08}, ESP, None, 1, 8, Seg::SS, 4});
  check(32, {{0x44, 0x25, 0x08}, EBP, None, 1, 8, Seg::SS, 4});        // mod 01 base 101b: EBP
  check(32, {{0x84, 0xC8, 0x78, 0x56, 0x34, 0x12}, EAX, ECX, 8, 0x12345678, Seg::DS, 7});
  check(32, {{0x04, 0x2C}, ESP, EBP, 1, 0, Seg::SS, 3});
  check(32, {{0x04, 0x65, 0, 0, 0, 0}, None, None, 1, 0, Seg::DS, 7});  // neither base nor index
  EXPECT_EQ(dec({0x8B, 0x84, 0xC8, 0x78, 0x56, 0x34, 0x12}).text(),
            "mov eax, dword ptr [eax+ecx*8+0x12345678]");
}

TEST(X86Addressing, SegmentOverridesReplaceDefaults) {
  EXPECT_EQ(dec16({0x26, 0x8B, 0x46, 0x00}).insn.op[1].seg, Seg::ES);   // was SS
  EXPECT_EQ(dec({0x36, 0x8B, 0x00}).insn.op[1].seg, Seg::SS);
  EXPECT_EQ(dec({0x64, 0x8B, 0x04, 0x24}).insn.op[1].seg, Seg::FS);      // was SS
  EXPECT_EQ(dec({0x2E, 0x8B, 0x00}).text(), "mov eax, dword ptr cs:[eax]");
}

TEST(X86Addressing, StringOperands) {
  auto r = dec16({0xA4});
  EXPECT_EQ(r.insn.op[0].reg, Reg::DI);
  EXPECT_EQ(r.insn.op[0].seg, Seg::ES);
  EXPECT_EQ(r.insn.op[1].reg, Reg::SI);
  EXPECT_EQ(r.insn.op[1].seg, Seg::DS);
  r = dec16({0x67, 0x2E, 0xA5});
  EXPECT_EQ(r.insn.op[0].reg, Reg::EDI);
  EXPECT_EQ(r.insn.op[0].seg, Seg::ES);  // ES:rDI cannot be overridden
  EXPECT_EQ(r.insn.op[1].reg, Reg::ESI);
  EXPECT_EQ(r.insn.op[1].seg, Seg::CS);
  EXPECT_EQ(r.insn.op[1].size, 2);
  r = dec({0x6C});
  EXPECT_EQ(r.insn.op[0].reg, Reg::EDI);
  EXPECT_EQ(r.insn.op[1].reg, Reg::DX);
  EXPECT_EQ(dec({0x6F}).insn.op[1].size, 4);
  EXPECT_EQ(dec({0xAC}).insn.op[1].reg, Reg::ESI);
}

}  // namespace
}  // namespace codemorph::x86
