// CPU profiles (profiles.cpp): the 80286's differences (386+ opcodes, FS/GS and 66/67
// prefixes are #UD, 10-byte limit, no LOCK check, ESC without an FPU) and the feature
// levels Pentium < Pentium MMX < Pentium II.
#include <gtest/gtest.h>

#include "decode_helpers.h"

namespace codemorph::x86 {
namespace {
using test::dec;

test::Decoded d286(const std::vector<uint8_t>& b) { return dec(b, 16, CpuProfile::I286); }

TEST(X86Profile286, ThreeEightySixAndLaterOpcodesAreInvalid) {
  for (auto bad : {std::vector<uint8_t>{0x66, 0x90}, {0x67, 0x90}, {0x64, 0x8B, 0x00},
                   {0x65, 0x8B, 0x00}, {0x0F, 0xB6, 0xC0}, {0x0F, 0xBE, 0xC0}, {0x0F, 0x84, 0, 0},
                   {0x0F, 0x94, 0xC0}, {0x0F, 0xA0}, {0x0F, 0xA2}, {0x0F, 0x20, 0xC0},
                   {0x0F, 0xAF, 0xC0}, {0x0F, 0x01, 0x38}, {0x0F, 0xC8}, {0x0F, 0x31},
                   {0x8C, 0xE0}, {0x8E, 0xE8}, {0xF1}, {0x0F, 0x6F, 0xC0}, {0x0F, 0x44, 0xC0}}) {
    const auto r = d286(bad);
    EXPECT_EQ(r.status, DecodeStatus::Invalid) << r.text();
  }
}

TEST(X86Profile286, TwoEightySixInstructionsDecode) {
  EXPECT_EQ(d286({0x0F, 0x00, 0xD8}).text(), "ltr ax");
  EXPECT_EQ(d286({0x0F, 0x01, 0xE0}).text(), "smsw ax");
  EXPECT_EQ(d286({0x0F, 0x01, 0x16, 0x34, 0x12}).text(), "lgdt fword ptr [0x1234]");
  EXPECT_EQ(d286({0x0F, 0x02, 0xC1}).text(), "lar ax, cx");
  EXPECT_EQ(d286({0x0F, 0x03, 0xC1}).text(), "lsl ax, cx");
  EXPECT_EQ(d286({0x0F, 0x05}).text(), "loadall");
  EXPECT_EQ(d286({0x0F, 0x06}).text(), "clts");
  EXPECT_EQ(d286({0x63, 0xC1}).text(), "arpl cx, ax");
  EXPECT_EQ(d286({0xC8, 0x10, 0x00, 0x01}).text(), "enter 0x10, 0x1");
  EXPECT_EQ(d286({0xC1, 0xE0, 0x05}).text(), "shl ax, 0x5");
  EXPECT_EQ(d286({0x8C, 0xD8}).text(), "mov ax, ds");
  EXPECT_EQ(d286({0xD6}).text(), "salc");
  // CS.D is meaningless on a 286: decoded as 16-bit code.
  EXPECT_EQ(dec({0xB8, 0x34, 0x12}, 32, CpuProfile::I286).insn.length, 3);
}

TEST(X86Profile286, TenByteLimitAndLock) {
  std::vector<uint8_t> b(9, 0x26);
  b.push_back(0x90);
  EXPECT_TRUE(d286(b).ok());
  b.insert(b.begin(), 0x2E);
  auto r = d286(b);
  EXPECT_EQ(r.status, DecodeStatus::TooLong);
  // The SST hardware data records #GP for instructions over 10 bytes.
  EXPECT_EQ(exceptionVector(r.status, CpuProfile::I286), 13);
  EXPECT_EQ(d286(std::vector<uint8_t>(5, 0x26)).status, DecodeStatus::NeedMore);
  EXPECT_EQ(d286(std::vector<uint8_t>(10, 0x26)).status, DecodeStatus::TooLong);
  // 11-byte instruction that is fine on a Pentium.
  const std::vector<uint8_t> add = {0x2E, 0x36, 0x2E, 0x3E, 0x3E, 0x81, 0x84, 0xDF, 0x1D, 0x93, 0x76};
  EXPECT_EQ(d286(add).status, DecodeStatus::TooLong);
  EXPECT_EQ(dec(add, 16).insn.length, 11);
  // The 286 does not check LOCK (the 386 introduced #UD for it).
  EXPECT_TRUE(d286({0xF0, 0x90}).ok());
  EXPECT_FALSE(dec({0xF0, 0x90}, 16).ok());
}

TEST(X86Profile286, EscWithoutCoprocessor) {
  auto r = d286({0xD9, 0xE8});
  EXPECT_EQ(r.text(), "fld1");
  EXPECT_TRUE(r.insn.flags & kInsnX87);
  EXPECT_EQ(d286({0xD9, 0xD1}).text(), "esc");             // no such x87 op, still an ESC
  EXPECT_EQ(d286({0xDA, 0xC0}).text(), "esc");             // FCMOVB is P6
  EXPECT_EQ(d286({0xDD, 0x08}).text(), "esc [bx+si]");     // FISTTP slot: ESC with address
  EXPECT_EQ(d286({0xDD, 0x86, 0x34, 0x12}).insn.length, 4);
}

TEST(X86Profiles, FeatureLevels) {
  const auto st = [](std::vector<uint8_t> b, CpuProfile p) { return dec(b, 32, p).status; };
  using enum CpuProfile;
  const auto ok = DecodeStatus::Ok, ud = DecodeStatus::Invalid;
  // Pentium: CPUID, RDTSC, CMPXCHG8B, RDMSR, but no MMX, CMOV, SYSENTER, hint NOPs.
  EXPECT_EQ(st({0x0F, 0xA2}, Pentium), ok);
  EXPECT_EQ(st({0x0F, 0xC7, 0x08}, Pentium), ok);
  EXPECT_EQ(st({0x0F, 0x32}, Pentium), ok);
  EXPECT_EQ(st({0x0F, 0x6F, 0xC0}, Pentium), ud);
  EXPECT_EQ(st({0x0F, 0x44, 0xC0}, Pentium), ud);
  EXPECT_EQ(st({0x0F, 0x34}, Pentium), ud);
  EXPECT_EQ(st({0x0F, 0x1F, 0x00}, Pentium), ud);
  EXPECT_EQ(st({0x0F, 0x05}, Pentium), ud);  // LOADALL is 286-only
  // Pentium MMX adds MMX only.
  EXPECT_EQ(st({0x0F, 0x6F, 0xC0}, PentiumMMX), ok);
  EXPECT_EQ(st({0x0F, 0x44, 0xC0}, PentiumMMX), ud);
  // Pentium II: P6 + SYSENTER.
  EXPECT_EQ(st({0x0F, 0x44, 0xC0}, PentiumII), ok);
  EXPECT_EQ(st({0x0F, 0x34}, PentiumII), ok);
  EXPECT_EQ(st({0x0F, 0x33}, PentiumII), ok);
  for (auto p : {Pentium, PentiumMMX, PentiumII}) {
    EXPECT_EQ(profileInfo(p).maxLength, 15);
    EXPECT_EQ(exceptionVector(DecodeStatus::TooLong, p), 13);
    EXPECT_EQ(exceptionVector(DecodeStatus::Invalid, p), 6);
  }
  EXPECT_EQ(profileInfo(I286).maxLength, 10);
  EXPECT_STREQ(profileInfo(PentiumII).name, "pentium2");
  EXPECT_EQ(exceptionVector(DecodeStatus::Ok, PentiumII), 0);
}

}  // namespace
}  // namespace codemorph::x86
