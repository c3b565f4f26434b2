// The CPU-profile table: every decode difference between the modelled CPUs is a column
// here or a Feature tag on an opcode-table entry, nothing else (see decoder.h).
//
// PentiumII is the default and the modelled CPU: P5 + P6 integer/x87 additions + MMX +
// SYSENTER/SYSEXIT, no FXSR/SSE/3DNow!, i.e. the CPUID feature set a Transmeta Crusoe
// reports (fpu vme de pse tsc msr cx8 sep cmov mmx). I286 exists for the SingleStepTests
// 80286 conformance data (shared/conformance/README.md).
//
// The 286 length-limit fault is #GP(0) (vector 13), not #UD as conformance/README.md says:
// all 26 SST tests whose instruction exceeds 10 bytes (prefixes included) record
// exception 13 on the real chip (e.g. 69.json.gz "lock imul di,[4A9h],6133h", 11 bytes);
// tests/translator/x86/sst286_length_test.cpp checks exactly that.
#include <codemorph/x86/decoder.h>

namespace codemorph::x86 {
namespace {
constexpr uint16_t kBase = kFeat186 | kFeat286 | kFeat386 | kFeat486 | kFeatPentium | kFeatFpu;

}  // namespace

// clang-format off
const ProfileInfo detail::kCpuProfileTable[] = {
  //  name           features                                        maxLen tooLong lockChecked allows32
  {"i286",         kFeat186 | kFeat286 | kFeat286Only,               10,    13,     false,      false},
  {"pentium",      kBase,                                            15,    13,     true,       true},
  {"pentium-mmx",  kBase | kFeatMmx,                                 15,    13,     true,       true},
  {"pentium2",     kBase | kFeatMmx | kFeatP6 | kFeatSep,            15,    13,     true,       true},
};
// clang-format on
static_assert(sizeof(detail::kCpuProfileTable) / sizeof(detail::kCpuProfileTable[0]) ==
              static_cast<unsigned>(CpuProfile::Count));

uint8_t exceptionVector(DecodeStatus s, CpuProfile p) {
  switch (s) {
    case DecodeStatus::Invalid: return 6;
    case DecodeStatus::TooLong: return profileInfo(p).tooLongVector;
    default: return 0;
  }
}

}  // namespace codemorph::x86
