// 80286 profile against hardware: every test of the SingleStepTests 80286 subset in
// shared/conformance/sst-80286 (instruction bytes followed by HLT) must decode under
// CpuProfile::I286 in 16-bit mode with length = bytes - 1, and a decode failure must match
// the recorded exception: #UD (6) for Invalid, #GP (13) for TooLong. Decoded instructions flagged kInsnPmOnly (ARPL, ...) may
// raise #UD in real mode at execution instead.
#include <codemorph/x86/decoder.h>
#include <codemorph/x86/disasm.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace codemorph::x86 {
namespace {

// Where the data lives: $CODEMORPH_SST286_DIR, else the path CMake passes in (the shared
// conformance folder next to the repository).
std::filesystem::path dataDir() {
  if (const char* env = std::getenv("CODEMORPH_SST286_DIR")) return env;
  return CODEMORPH_SST286_DIR;
}

std::string gunzip(const std::string& path) {
  std::string out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

// The fields this test needs, scanned without a JSON parser (the files are ~100 MB).
struct Case {
  std::vector<uint8_t> bytes;
  int exception = -1;
  std::string hash, name;
};
std::vector<Case> parse(const std::string& all) {
  std::vector<Case> cases;
  const std::string_view whole(all);
  size_t pos = 0;
  while ((pos = whole.find("{\"idx\":", pos)) != std::string_view::npos) {
    const size_t next = whole.find("{\"idx\":", pos + 1);
    const std::string_view s = whole.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    pos = next == std::string_view::npos ? whole.size() : next;
    Case c;
    size_t b = s.find("\"bytes\":[");
    if (b == std::string_view::npos) continue;
    b += 9;
    while (b < s.size() && s[b] != ']') {
      unsigned v = 0;
      while (b < s.size() && s[b] >= '0' && s[b] <= '9') v = v * 10 + static_cast<unsigned>(s[b++] - '0');
      c.bytes.push_back(static_cast<uint8_t>(v));
      if (b < s.size() && s[b] == ',') ++b;
    }
    const size_t n = s.find("\"name\":\"");
    if (n != std::string_view::npos) c.name = std::string(s.substr(n + 8, s.find('"', n + 8) - (n + 8)));
    const size_t e = s.find("\"exception\":{\"number\":");
    if (e != std::string_view::npos) c.exception = std::atoi(s.data() + e + 22);
    const size_t h = s.find("\"hash\":\"");
    if (h != std::string_view::npos) c.hash = std::string(s.substr(h + 8, 40));
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(X86Sst286, LengthsMatchHardware) {
  const std::filesystem::path dir = dataDir();
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no conformance data at " << dir;
  std::set<std::string> revoked;
  {
    std::ifstream rl(dir / "revocation_list.txt");
    std::string line;
    while (std::getline(rl, line))
      if (!line.empty() && line[0] != '#') revoked.insert(line.substr(0, 40));
  }
  const DecodeMode mode{16, CpuProfile::I286};
  uint64_t total = 0, decoded = 0, ud = 0, tooLong = 0, pmOnlyUd = 0, failures = 0;
  std::vector<std::filesystem::path> files;
  for (const auto& ent : std::filesystem::directory_iterator(dir))
    if (ent.path().extension() == ".gz") files.push_back(ent.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    for (const Case& c : parse(gunzip(path.string()))) {
      if (revoked.count(c.hash) || c.bytes.size() < 2) continue;
      ++total;
      const std::span<const uint8_t> insn(c.bytes.data(), c.bytes.size() - 1);  // drop HLT
      DecodedInsn d;
      const DecodeStatus s = decode(insn, mode, d);
      bool good;
      if (s == DecodeStatus::Ok) {
        ++decoded;
        if (c.exception == 6) {
          good = (d.flags & kInsnPmOnly) != 0;
          pmOnlyUd += good;
        } else {
          good = d.length == insn.size();
        }
      } else {
        // Invalid must be a recorded #UD; TooLong a recorded #GP (the chip's 10-byte limit).
        good = c.exception == exceptionVector(s, mode.profile) &&
               (s == DecodeStatus::Invalid || s == DecodeStatus::TooLong);
        ud += good && s == DecodeStatus::Invalid;
        tooLong += good && s == DecodeStatus::TooLong;
      }
      if (!good && ++failures <= 20) {
        std::string hex;
        for (uint8_t v : c.bytes) { char b[4]; std::snprintf(b, sizeof b, "%02x ", v); hex += b; }
        ADD_FAILURE() << path.filename().string() << " \"" << c.name << "\" bytes " << hex
                      << "exception " << c.exception << ": status " << static_cast<int>(s)
                      << " length " << int(d.length) << " " << toString(d);
      }
    }
  }
  std::printf("[sst-80286] %llu tests, %llu decoded, %llu #UD at decode, %llu #GP (> 10 bytes), "
              "%llu #UD as PmOnly, %llu failures\n",
              (unsigned long long)total, (unsigned long long)decoded, (unsigned long long)ud,
              (unsigned long long)tooLong,
              (unsigned long long)pmOnlyUd, (unsigned long long)failures);
  EXPECT_GT(total, 100000u);
  EXPECT_EQ(failures, 0u);
}

}  // namespace
}  // namespace codemorph::x86
