// Checks on the opcode tables themselves (white-box: includes translator/x86/tables.h),
// in the spirit of Spike's opcode-overlap check: every cell is well-formed, the prefix
// and escape cells are exactly where the SDM puts them, the 286 sees exactly the 286's
// 0F rows, and every opcode x ModRM x profile x mode decodes without crashing into a
// self-consistent result.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <set>

#include "decode_helpers.h"
#include "tables.h"

namespace codemorph::x86 {
namespace {
using namespace detail;

void checkEntry(const OpcodeEntry& e, const char* where, unsigned i) {
  SCOPED_TRACE(testing::Message() << where << " " << std::hex << i);
  if (e.kind == EntryKind::Normal) {
    EXPECT_NE(e.mnemonic, Mnemonic::INVALID);
    EXPECT_FALSE((e.flags & kEfMemOnly) && (e.flags & kEfRegOnly));
  }
  if (e.kind == EntryKind::Invalid) {
    EXPECT_EQ(e.mnemonic, Mnemonic::INVALID);
  }
  // Operands are packed: no gap before a used slot.
  if (e.ops[0] == Opnd::None) {
    EXPECT_EQ(e.ops[1], Opnd::None);
  }
  if (e.ops[1] == Opnd::None) {
    EXPECT_EQ(e.ops[2], Opnd::None);
  }
  if (e.flags & kEfLock) {
    const AddrMethod m = opndInfo(e.ops[0]).method;
    EXPECT_TRUE(e.ops[0] == Opnd::None || m == AddrMethod::E || m == AddrMethod::M)
        << "a lockable form needs an r/m destination";
  }
}

TEST(X86Tables, EveryCellIsWellFormed) {
  for (unsigned i = 0; i < 256; ++i) checkEntry(kOneByteMap[i], "one-byte", i);
  for (unsigned i = 0; i < 256; ++i) checkEntry(kTwoByteMap[i], "0F", i);
  for (unsigned g = 0; g < kGroupCount; ++g)
    for (unsigned r = 0; r < 8; ++r) checkEntry(kGroups[g][r], "group", g * 8 + r);
  for (unsigned o = 0; o < 8; ++o)
    for (unsigned r = 0; r < 8; ++r) {
      checkEntry(kX87Mem[o][r], "x87 mem", o * 8 + r);
      if (kX87Mem[o][r].kind == EntryKind::Normal) {
        EXPECT_TRUE(kX87Mem[o][r].feature & kFeatFpu);
        EXPECT_TRUE(kX87Mem[o][r].flags & kEfMemOnly) << "x87 mem cell without an M operand";
      }
    }
  for (unsigned o = 0; o < 8; ++o)
    for (unsigned m = 0; m < 64; ++m) checkEntry(kX87Reg[o][m], "x87 reg", o * 64 + m);
}

TEST(X86Tables, PrefixEscapeAndGroupCells) {
  const std::set<unsigned> prefixes = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3};
  for (unsigned i = 0; i < 256; ++i) {
    EXPECT_EQ(kOneByteMap[i].kind == EntryKind::Prefix, prefixes.count(i) == 1) << std::hex << i;
    EXPECT_EQ(kOneByteMap[i].kind == EntryKind::X87, i >= 0xD8 && i <= 0xDF) << std::hex << i;
    EXPECT_EQ(kOneByteMap[i].kind == EntryKind::Escape, i == 0x0F) << std::hex << i;
    if (kOneByteMap[i].kind == EntryKind::Group) {
      EXPECT_TRUE(kOneByteMap[i].flags & kEfModrm);
    }
    EXPECT_NE(kTwoByteMap[i].kind, EntryKind::Prefix);
    EXPECT_NE(kTwoByteMap[i].kind, EntryKind::X87);
  }
  // Spot checks of the last cells (a short row would shift them).
  EXPECT_EQ(kOneByteMap[0xFF].group, kGrp5);
  EXPECT_EQ(kOneByteMap[0xC3].mnemonic, Mnemonic::RET);
  EXPECT_EQ(kTwoByteMap[0xFE].mnemonic, Mnemonic::PADDD);
  EXPECT_EQ(kTwoByteMap[0xAF].mnemonic, Mnemonic::IMUL);
  EXPECT_EQ(kTwoByteMap[0xC8].mnemonic, Mnemonic::BSWAP);
  EXPECT_EQ(kX87Reg[7][0x20].mnemonic, Mnemonic::FNSTSW);
}

TEST(X86Tables, The286SeesExactlyThe286TwoByteRows) {
  std::set<unsigned> valid;
  for (unsigned op = 0; op < 256; ++op)
    for (unsigned modrm = 0; modrm < 256; ++modrm) {
      const auto r = test::dec({0x0F, static_cast<uint8_t>(op), static_cast<uint8_t>(modrm), 0, 0, 0},
                               16, CpuProfile::I286);
      if (r.ok()) valid.insert(op);
    }
  EXPECT_EQ(valid, (std::set<unsigned>{0x00, 0x01, 0x02, 0x03, 0x05, 0x06}));
}

TEST(X86Tables, MnemonicNames) {
  for (unsigned i = 0; i < static_cast<unsigned>(Mnemonic::Count); ++i)
    EXPECT_FALSE(mnemonicName(static_cast<Mnemonic>(i)).empty());
  EXPECT_EQ(mnemonicName(Mnemonic::CMPXCHG8B), "CMPXCHG8B");
}

// Every (prefix set, map, opcode, ModRM) in every profile and code size: no crash, no
// read past the span (ASan), and a consistent result.
TEST(X86Tables, ExhaustiveOpcodeModrmSweepIsConsistent) {
  std::mt19937_64 rng(0xC0DE);
  uint64_t ok = 0;
  for (auto prof : {CpuProfile::I286, CpuProfile::Pentium, CpuProfile::PentiumMMX, CpuProfile::PentiumII})
    for (unsigned codeSize : {16u, 32u})
      for (unsigned variant = 0; variant < 4; ++variant)
        for (unsigned op = 0; op < 256; ++op)
          for (unsigned modrm = 0; modrm < 256; ++modrm) {
            std::vector<uint8_t> b;
            if (variant & 1) b.push_back(0x66);
            if (variant & 2) b.push_back(0x0F);
            b.push_back(static_cast<uint8_t>(op));
            b.push_back(static_cast<uint8_t>(modrm));
            const size_t tail = rng() % 12;
            for (size_t i = 0; i < tail; ++i) b.push_back(static_cast<uint8_t>(rng()));
            const auto r = test::dec(b, codeSize, prof);
            const unsigned limit = profileInfo(prof).maxLength;
            if (r.ok()) {
              ++ok;
              ASSERT_LE(r.insn.length, b.size());
              ASSERT_LE(r.insn.length, limit);
              ASSERT_LE(r.insn.numOperands, 3);
              ASSERT_NE(r.insn.mnemonic, Mnemonic::INVALID);
              ASSERT_TRUE(r.insn.opSize == 2 || r.insn.opSize == 4);
              ASSERT_FALSE(toString(r.insn).empty());
              // Decoding exactly the instruction's bytes gives the same length, and one
              // byte fewer asks for more.
              const std::vector<uint8_t> exact(b.begin(), b.begin() + r.insn.length);
              ASSERT_EQ(test::dec(exact, codeSize, prof).insn.length, r.insn.length);
              const std::vector<uint8_t> cut(b.begin(), b.begin() + r.insn.length - 1);
              ASSERT_EQ(test::dec(cut, codeSize, prof).status, DecodeStatus::NeedMore);
            } else {
              ASSERT_NE(r.status, DecodeStatus::TooLong);  // nothing here is longer than 15
            }
          }
  EXPECT_GT(ok, 1000000u);
}

// Informational: decode throughput on a mix of common instructions (no assertion; the
// interpreter budget is 50 M x86 instructions/s, so decode should stay well under 20 ns).
TEST(X86Tables, ThroughputReport) {
  const std::vector<std::vector<uint8_t>> mix = {
      {0x8B, 0x44, 0x24, 0x08}, {0x01, 0xC8}, {0x83, 0xC4, 0x10}, {0xE8, 0, 0, 0, 0},
      {0x0F, 0x84, 0x10, 0, 0, 0}, {0x89, 0x45, 0xFC}, {0x66, 0x8B, 0x04, 0x8D, 0, 0x10, 0, 0},
      {0xC3}, {0x50}, {0xF3, 0xA5}, {0x0F, 0xB6, 0x06}, {0xD9, 0x45, 0x08}};
  std::vector<uint8_t> buf;
  std::vector<size_t> offs;
  for (int rep = 0; rep < 64; ++rep)
    for (const auto& m : mix) { offs.push_back(buf.size()); buf.insert(buf.end(), m.begin(), m.end()); }
  const DecodeMode mode{32, CpuProfile::PentiumII};
  DecodedInsn d;
  uint64_t sum = 0, n = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int iter = 0; iter < 2000; ++iter)
    for (size_t o : offs) {
      decode(std::span<const uint8_t>(buf.data() + o, buf.size() - o), mode, d);
      sum += d.length;
      ++n;
    }
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[x86 decode] %.1f ns/instruction (%.0f M/s) over %llu decodes (checksum %llu)\n",
              ns / static_cast<double>(n), static_cast<double>(n) * 1e3 / ns,
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(sum));
  EXPECT_GT(sum, 0u);
}

}  // namespace
}  // namespace codemorph::x86
