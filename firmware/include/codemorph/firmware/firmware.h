// The VLIW firmware image (firmware/src/*.s, assembled at build time by cm-as and embedded
// here) and its entry points. The image is position independent; the CMS copies it to the
// base of the reserved region (docs/cms-runtime.md 2) and gives the firmware its data
// addresses in registers (abi.def).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace codemorph::firmware {

struct Symbol {
  const char* name;
  uint32_t value;  // labels: offset from the image start; constants: their value
};

std::span<const uint8_t> image();
std::span<const Symbol> symbols();
// The value of a label or constant of the assembled source; throws std::out_of_range if
// the firmware has no such symbol.
uint32_t symbol(std::string_view name);

// Offsets of the entry points from the image start.
struct Entries {
  uint32_t reset, halt, resume, dispatch, dispatchIndirect, interpret, exitBudget, trap, fault;
};
const Entries& entries();

}  // namespace codemorph::firmware
