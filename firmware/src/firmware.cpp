// Access to the embedded firmware image (firmware.h).
#include <codemorph/firmware/firmware.h>

#include <stdexcept>
#include <string>

namespace codemorph::firmware {
namespace generated {
extern const uint8_t kImage[];
extern const size_t kImageSize;
extern const Symbol kSymbols[];
extern const size_t kSymbolCount;
}  // namespace generated

std::span<const uint8_t> image() { return {generated::kImage, generated::kImageSize}; }
std::span<const Symbol> symbols() { return {generated::kSymbols, generated::kSymbolCount}; }

uint32_t symbol(std::string_view name) {
  for (const Symbol& s : symbols())
    if (name == s.name) return s.value;
  throw std::out_of_range("firmware has no symbol '" + std::string(name) + "'");
}

const Entries& entries() {
  static const Entries e{symbol("fw_reset"),       symbol("fw_halt"),     symbol("fw_resume"),      symbol("fw_dispatch"),
                         symbol("fw_dispatch_indirect"), symbol("fw_interpret"), symbol("fw_exit_budget"),
                         symbol("fw_trap"),        symbol("fw_fault")};
  return e;
}

}  // namespace codemorph::firmware
