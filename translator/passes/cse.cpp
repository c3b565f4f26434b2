// Common-subexpression elimination: a pure op (ops.def kPure: no flags, no memory, result
// depends on the operands only; agen included, its fault being a function of its operand)
// with the same operands as an earlier one reuses the earlier temporary. Operands that are
// guest registers are compared with their version, so a write in between separates them.
#include <map>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

unsigned cse(Function& fn) {
  unsigned changed = 0;
  uint32_t version[64] = {};
  std::unordered_map<VReg, VReg> replace;
  using Key = std::tuple<int, int, int, int, uint32_t, uint32_t, int32_t>;
  std::map<Key, VReg> seen;
  auto operand = [&](VReg r) -> uint32_t { return isTemp(r) ? r : (static_cast<uint32_t>(version[r]) << 16) | r; };
  auto rewrite = [&](VReg& r) {
    auto it = replace.find(r);
    if (it != replace.end()) r = it->second;
  };
  std::vector<Inst> out;
  out.reserve(fn.insts.size());
  for (Inst in : fn.insts) {
    rewrite(in.a);
    if (!hasFlag(in.op, kImm)) rewrite(in.b);
    rewrite(in.c);
    if (hasFlag(in.op, kPure) && !hasFlag(in.op, kTied) && isTemp(in.dst)) {
      VReg a = in.a, b = hasFlag(in.op, kImm) ? kZero : in.b;
      if (hasFlag(in.op, kComm) && operand(b) < operand(a)) std::swap(a, b);
      const Key key{static_cast<int>(in.op), in.width, in.seg, in.cond, operand(a), operand(b), in.imm};
      auto it = seen.find(key);
      if (it != seen.end()) {
        replace[in.dst] = it->second;
        ++changed;
        continue;
      }
      seen.emplace(key, in.dst);
    }
    if (writesReg(in) && !isTemp(in.dst)) ++version[in.dst];
    out.push_back(in);
  }
  fn.insts = std::move(out);
  return changed;
}

}  // namespace codemorph::translator::passes
