// Capstone cross-check of instruction lengths (docs/x86-decoder.md, "Capstone
// cross-check"). Random byte sequences with fixed, printed seeds are decoded by Capstone
// 4 and by codemorph_x86 in 16- and 32-bit mode. Wherever Capstone decodes an instruction
// that exists on the modelled CPU (profile PentiumII), our decoder must decode it with the
// same length. Capstone's extra ISA (SSE+, VEX/EVEX, 3DNow!, VMX ...) is filtered out by
// its instruction groups and a short mnemonic list; each remaining disagreement class is
// either fixed or listed in kKnownDisagreements with the SDM section that says who is
// right. Any other disagreement fails the test.
#include <codemorph/x86/decoder.h>
#include <codemorph/x86/disasm.h>
#include <gtest/gtest.h>

#include <capstone/capstone.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>

#include "capstone_filter.h"

namespace codemorph::x86 {
namespace {

std::string hexBytes(const uint8_t* p, size_t n) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x ", p[i]);
    s += buf;
  }
  if (!s.empty()) s.pop_back();
  return s;
}

struct Stats {
  uint64_t total = 0, csInvalid = 0, filtered = 0, compared = 0, agreed = 0;
  uint64_t documented = 0, undocumented = 0, oursOnly = 0;
  std::map<std::string, uint64_t> filterReasons;
  std::map<std::string, uint64_t> documentedClasses;
  std::map<std::string, std::pair<uint64_t, std::string>> undocumentedClasses;
  std::map<std::string, std::pair<uint64_t, std::string>> oursOnlyClasses;
};

// Random instruction bytes: a third uniform, a third starting (after 0-2 prefixes) with
// 0F so the two-byte map is well covered, a third after a run of 0-14 prefixes.
void generate(std::mt19937_64& rng, std::array<uint8_t, 16>& buf) {
  static constexpr uint8_t kPfx[] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3};
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  const unsigned kind = rng() % 3;
  if (kind == 1) {
    const unsigned np = rng() % 3;
    for (unsigned i = 0; i < np; ++i) buf[i] = kPfx[rng() % sizeof kPfx];
    buf[np] = 0x0F;
  } else if (kind == 2) {
    const unsigned np = rng() % 15;
    for (unsigned i = 0; i < np; ++i) buf[i] = kPfx[rng() % sizeof kPfx];
  }
}

// Systematic sweep: for each prefix set {-, 66, 67, 66 67} and map {one-byte, 0F}, every
// opcode byte with every ModRM byte, followed by random SIB/displacement/immediate bytes.
void sweep(uint64_t i, std::mt19937_64& rng, std::array<uint8_t, 16>& buf) {
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  const unsigned modrm = i & 0xFF, opcode = (i >> 8) & 0xFF, map = (i >> 16) & 1, pfx = (i >> 17) & 3;
  unsigned n = 0;
  if (pfx & 1) buf[n++] = 0x66;
  if (pfx & 2) buf[n++] = 0x67;
  if (map) buf[n++] = 0x0F;
  buf[n++] = static_cast<uint8_t>(opcode);
  buf[n] = static_cast<uint8_t>(modrm);
}
constexpr uint64_t kSweepCount = 4u * 2u * 256u * 256u;

Stats run(cs_mode csMode, unsigned codeSize, uint64_t seed, uint64_t count, bool systematic = false) {
  Stats st;
  csh h;
  EXPECT_EQ(cs_open(CS_ARCH_X86, csMode, &h), CS_ERR_OK);
  cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
  cs_insn* ci = cs_malloc(h);
  std::mt19937_64 rng(seed);
  std::array<uint8_t, 16> buf{};
  const DecodeMode mode{static_cast<uint8_t>(codeSize), CpuProfile::PentiumII};
  for (uint64_t i = 0; i < count; ++i) {
    if (systematic) sweep(i, rng, buf); else generate(rng, buf);
    ++st.total;
    DecodedInsn d;
    const DecodeStatus s = decode(buf, mode, d);
    const uint8_t* code = buf.data();
    size_t size = buf.size();
    uint64_t addr = 0;
    if (!cs_disasm_iter(h, &code, &size, &addr, ci)) {
      ++st.csInvalid;
      if (s == DecodeStatus::Ok) {
        ++st.oursOnly;
        const std::string key = std::string(mnemonicName(d.mnemonic)) + (d.map ? " (0F map)" : "");
        auto& e = st.oursOnlyClasses[key];
        if (e.first++ == 0) e.second = hexBytes(buf.data(), d.length) + "  " + toString(d);
      }
      continue;
    }
    if (const char* why = notModelledCpu(ci, buf.data())) {
      ++st.filtered;
      ++st.filterReasons[why];
      continue;
    }
    ++st.compared;
    if (s == DecodeStatus::Ok && d.length == ci->size) {
      ++st.agreed;
      continue;
    }
    const Disagreement dis{buf.data(), codeSize, ci, s, &d};
    if (const char* cls = knownDisagreement(dis)) {
      ++st.documented;
      ++st.documentedClasses[cls];
      continue;
    }
    ++st.undocumented;
    const char* stName[] = {"Ok", "NeedMore", "Invalid", "TooLong"};
    std::string key = std::string(ci->mnemonic) + " / ours " + stName[static_cast<int>(s)];
    if (s == DecodeStatus::Ok) key += std::string(" ") + std::string(mnemonicName(d.mnemonic)) + (d.length < ci->size ? " shorter" : " longer");
    auto& e = st.undocumentedClasses[key];
    if (e.first++ == 0)
      e.second = hexBytes(buf.data(), ci->size) + "  cs: " + ci->mnemonic + " " + ci->op_str +
                 " (len " + std::to_string(ci->size) + ")  ours: " +
                 (s == DecodeStatus::Ok ? toString(d) + " (len " + std::to_string(d.length) + ")" : stName[static_cast<int>(s)]);
  }
  cs_free(ci, 1);
  cs_close(&h);
  return st;
}

void report(const char* name, uint64_t seed, const Stats& st) {
  std::printf("[%s] seed=0x%llx sequences=%llu capstone-invalid=%llu filtered=%llu compared=%llu "
              "agreed=%llu documented-disagreements=%llu undocumented=%llu (ours-only valid: %llu)\n",
              name, static_cast<unsigned long long>(seed), (unsigned long long)st.total,
              (unsigned long long)st.csInvalid, (unsigned long long)st.filtered,
              (unsigned long long)st.compared, (unsigned long long)st.agreed,
              (unsigned long long)st.documented, (unsigned long long)st.undocumented,
              (unsigned long long)st.oursOnly);
  for (const auto& [k, v] : st.filterReasons) std::printf("  filtered %-40s %llu\n", k.c_str(), (unsigned long long)v);
  for (const auto& [k, v] : st.documentedClasses) std::printf("  documented %-38s %llu\n", k.c_str(), (unsigned long long)v);
  for (const auto& [k, v] : st.undocumentedClasses)
    std::printf("  UNDOCUMENTED %-40s %6llu  e.g. %s\n", k.c_str(), (unsigned long long)v.first, v.second.c_str());
  if (std::getenv("CODEMORPH_XCHECK_VERBOSE"))
    for (const auto& [k, v] : st.oursOnlyClasses)
      std::printf("  ours-only %-30s %6llu  e.g. %s\n", k.c_str(), (unsigned long long)v.first, v.second.c_str());
}

uint64_t countFromEnv(uint64_t dflt) {
  if (const char* c = std::getenv("CODEMORPH_XCHECK_COUNT")) return std::strtoull(c, nullptr, 0);
  return dflt;
}

// Fixed seeds (printed); CODEMORPH_XCHECK_SEED=<n> overrides both, CODEMORPH_XCHECK_COUNT
// the number of random sequences, CODEMORPH_XCHECK_VERBOSE=1 also lists the classes that
// only we decode.
uint64_t seedFromEnv(uint64_t dflt) {
  if (const char* c = std::getenv("CODEMORPH_XCHECK_SEED")) return std::strtoull(c, nullptr, 0);
  return dflt;
}
const uint64_t kSeed16 = seedFromEnv(0x16C0DE286ull);
const uint64_t kSeed32 = seedFromEnv(0x32C0DE386ull);

#ifndef CODEMORPH_XCHECK_COUNT
#define CODEMORPH_XCHECK_COUNT 2000000
#endif

TEST(X86CapstoneCrossCheck, Mode16) {
  const Stats st = run(CS_MODE_16, 16, kSeed16, countFromEnv(CODEMORPH_XCHECK_COUNT));
  report("16-bit", kSeed16, st);
  EXPECT_EQ(st.undocumented, 0u);
  EXPECT_GT(st.compared, st.total / 2);
}

TEST(X86CapstoneCrossCheck, Mode32) {
  const Stats st = run(CS_MODE_32, 32, kSeed32, countFromEnv(CODEMORPH_XCHECK_COUNT));
  report("32-bit", kSeed32, st);
  EXPECT_EQ(st.undocumented, 0u);
  EXPECT_GT(st.compared, st.total / 2);
}

TEST(X86CapstoneCrossCheck, OpcodeModrmSweep16) {
  const Stats st = run(CS_MODE_16, 16, kSeed16 + 1, kSweepCount, true);
  report("16-bit sweep", kSeed16 + 1, st);
  EXPECT_EQ(st.undocumented, 0u);
}

TEST(X86CapstoneCrossCheck, OpcodeModrmSweep32) {
  const Stats st = run(CS_MODE_32, 32, kSeed32 + 1, kSweepCount, true);
  report("32-bit sweep", kSeed32 + 1, st);
  EXPECT_EQ(st.undocumented, 0u);
}

}  // namespace
}  // namespace codemorph::x86
