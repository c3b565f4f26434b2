// Dead-code elimination, backwards: temporaries nobody reads, and guest-register writes
// overwritten before any exit or reader, are removed when the op cannot fault and has no
// other effect; a flag producer with a dead result keeps only its flags (rd = r0). Loads and agen stay even when dead: x86 would still fault on them
// (precise exceptions, SDM Vol. 3A 6.5). Flag producers stay while their flags are live.
#include <vector>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

unsigned dce(Function& fn) {
  std::vector<bool> live(fn.nextTemp, false);
  bool flagsLive = true;
  unsigned removed = 0;
  auto exitLiveness = [&](bool final) {
    for (VReg r = 1; r <= 8; ++r) live[r] = true;
    live[kBudget] = true;
    if (final) live[kEip] = true;
    flagsLive = true;
  };
  for (size_t k = fn.insts.size(); k-- > 0;) {
    Inst& in = fn.insts[k];
    if (hasFlag(in.op, kExit)) exitLiveness(in.op == Op::Exit);
    const bool canRemove = !hasFlag(in.op, kSide | kLoad | kStore | kExit) && in.op != Op::Agen && writesReg(in) &&
                           (!hasFlag(in.op, kWF) || !flagsLive);
    if (canRemove && !live[in.dst]) {
      in.op = Op::None;
      ++removed;
      continue;
    }
    // A flag producer whose flags are needed but whose result is not writes r0 instead
    // (x86 CMP-like use of SUB/XOR...): the register's previous value may then die.
    if (hasFlag(in.op, kWF) && !hasFlag(in.op, kTied) && writesReg(in) && !live[in.dst]) {
      in.dst = kZero;
      ++removed;
    }
    if (writesReg(in) && !hasFlag(in.op, kTied)) live[in.dst] = false;
    if (hasFlag(in.op, kWF)) flagsLive = false;
    if (hasFlag(in.op, kRF)) flagsLive = true;
    VReg src[4];
    const unsigned n = sourceRegs(in, src);
    for (unsigned i = 0; i < n; ++i) live[src[i]] = true;
  }
  std::erase_if(fn.insts, [](const Inst& in) { return in.op == Op::None; });
  return removed;
}

}  // namespace codemorph::translator::passes
