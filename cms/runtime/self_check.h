// Self-checking translations (docs/cms-runtime.md 6): for code whose granule keeps being
// written (data next to code, code patched by other code), the CMS puts a prologue in front
// of the translation that compares the guest code bytes with the ones it was translated
// from, instead of protecting them with T-bits. On a mismatch it sets r9 to the entry EIP
// and leaves through fw_interpret (the CMS then drops the translation). The prologue reads
// physical memory with host loads, which is exact at a region entry: every entry follows a
// commit, so the store buffer is empty (docs/iss.md 5).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace codemorph::cms::runtime {

// Largest guest code span a prologue can check (one simm11 displacement from a base).
inline constexpr uint32_t kSelfCheckMaxBytes = 1020;

// Size in bytes of the prologue for `codeBytes` bytes of guest code.
uint32_t selfCheckPrologueBytes(uint32_t codeBytes);

// The prologue placed at hostBase; `body` is the translation's first molecule (right after
// the prologue), `fwInterpret` the firmware exit.
std::vector<uint8_t> selfCheckPrologue(uint32_t hostBase, uint32_t physStart, std::span<const uint8_t> code,
                                       uint32_t entryEip, uint32_t body, uint32_t fwInterpret);

}  // namespace codemorph::cms::runtime
