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
  changed += copyForwarding(fn);
  return changed;
}

// `Copy R = S` whose value only the next reader of R uses, that reader overwriting R
// (x86's two-operand `mov r, s ; op r, x`): the reader reads S instead and the copy goes,
// which takes the copy off the dependence chain. Nothing between them may write S or be
// an exit (a side exit would see R early), and the reader must not be tied (it would keep
// some of R's old bits).
unsigned copyForwarding(Function& fn) {
  unsigned changed = 0;
  for (size_t k = 0; k < fn.insts.size(); ++k) {
    const Inst& copy = fn.insts[k];
    if (copy.op != Op::Copy || copy.dst == kZero || copy.a == kZero || copy.a == copy.dst) continue;
    const VReg r = copy.dst, s = copy.a;
    for (size_t j = k + 1; j < fn.insts.size(); ++j) {
      Inst& x = fn.insts[j];
      if (x.op == Op::None) continue;
      if (hasFlag(x.op, kExit) || x.op == Op::BudgetCheck) break;
      VReg src[4];
      const unsigned n = sourceRegs(x, src);
      bool readsR = false;
      for (unsigned i = 0; i < n; ++i) readsR |= src[i] == r;
      const bool writesR = writesReg(x) && x.dst == r;
      if (readsR) {
        if (writesR && !hasFlag(x.op, kTied)) {
          if (x.a == r) x.a = s;
          if (!hasFlag(x.op, kImm) && x.b == r) x.b = s;
          if (x.c == r) x.c = s;
          fn.insts[k].op = Op::None;
          ++changed;
        }
        break;
      }
      if (writesR || (writesReg(x) && x.dst == s)) break;
    }
  }
  std::erase_if(fn.insts, [](const Inst& in) { return in.op == Op::None; });
  return changed;
}

}  // namespace codemorph::translator::passes
