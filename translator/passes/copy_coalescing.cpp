// Copy coalescing: `Copy R = t`, where R is a guest register and t a temporary whose only
// use is this copy, becomes t's definition writing R directly, when nothing between the two
// reads or writes R and no exit lies between them (a side exit would see R early). This
// removes the copies of POP reg, LODS, XCHG and MUL's EDX.
#include <vector>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

unsigned copyCoalescing(Function& fn) {
  std::vector<unsigned> uses(fn.nextTemp, 0);
  std::vector<int> defAt(fn.nextTemp, -1);
  for (size_t k = 0; k < fn.insts.size(); ++k) {
    const Inst& in = fn.insts[k];
    VReg src[4];
    const unsigned n = sourceRegs(in, src);
    for (unsigned i = 0; i < n; ++i) ++uses[src[i]];
    if (writesReg(in) && isTemp(in.dst)) defAt[in.dst] = static_cast<int>(k);
  }
  unsigned changed = 0;
  for (size_t k = 0; k < fn.insts.size(); ++k) {
    Inst& copy = fn.insts[k];
    if (copy.op != Op::Copy || !isTemp(copy.a) || isTemp(copy.dst) || copy.dst == kZero) continue;
    const VReg t = copy.a, r = copy.dst;
    if (uses[t] != 1 || defAt[t] < 0) continue;
    Inst& def = fn.insts[static_cast<size_t>(defAt[t])];
    if (hasFlag(def.op, kTied)) continue;
    bool clear = true;
    for (size_t j = static_cast<size_t>(defAt[t]) + 1; j < k && clear; ++j) {
      const Inst& mid = fn.insts[j];
      VReg src[4];
      const unsigned n = sourceRegs(mid, src);
      for (unsigned i = 0; i < n; ++i) clear &= src[i] != r;
      clear &= !(writesReg(mid) && mid.dst == r) && !hasFlag(mid.op, kExit);
    }
    // The definition itself may read R (it reads before it writes).
    if (!clear) continue;
    def.dst = r;
    copy.op = Op::None;
    ++changed;
  }
  std::erase_if(fn.insts, [](const Inst& in) { return in.op == Op::None; });
  return changed;
}

}  // namespace codemorph::translator::passes
