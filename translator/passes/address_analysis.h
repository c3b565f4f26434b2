// Symbolic addresses of the region's guest accesses, for the memory passes: an access at
// agen(seg, base + offset) where base is a temporary or a guest register at a given version
// (its value between two writes) and offset a constant folded from AddI chains. Two
// accesses with the same segment and base compare exactly; anything else may alias.
// 16-bit offsets (Zext16) compare modulo 64 KiB; SP updated through Ins16 is followed.
#pragma once
#include <vector>

#include "../ir/ir.h"

namespace codemorph::translator::passes {

struct SymbolicAddress {
  bool known = false;
  uint8_t seg = 0;
  ir::VReg base = ir::kZero;
  uint32_t version = 0;   // of base when it is a guest register
  uint32_t offset = 0;
  bool wrap16 = false;    // offset taken modulo 64 KiB
};

enum class Overlap : uint8_t { No, Yes, Maybe };

// Per instruction index: the address of each Load/Store (unknown for everything else).
std::vector<SymbolicAddress> symbolicAddresses(const ir::Function& fn);
Overlap overlap(const SymbolicAddress& a, unsigned widthA, const SymbolicAddress& b, unsigned widthB);
bool sameAddress(const SymbolicAddress& a, const SymbolicAddress& b);

}  // namespace codemorph::translator::passes
