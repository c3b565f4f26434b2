// Guest-register renaming across side exits (gear 3, after load hoisting): an op after a
// side exit that writes a guest register R (r1..r8) and no flags writes a fresh temporary
// T instead, followed by `Copy R = T`; R's readers up to its next write read T. Only the
// copy is then a guest-state write, which must stay below the earlier side exit (the
// exit's stub hands R over as it was): the op itself (a load, a multiply, an ALU chain)
// may be scheduled above the exit, since writing a temporary is invisible to the stub.
// Copies and tied ops (ins*, which keep part of R) are left as they are.
#include <vector>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

unsigned exitRenaming(Function& fn) {
  unsigned renamed = 0;
  bool afterSideExit = false;
  std::vector<Inst> out;
  out.reserve(fn.insts.size() * 2);
  VReg current[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};  // what reads of r1..r8 read now
  for (const Inst& orig : fn.insts) {
    Inst in = orig;
    // Reads of renamed guest registers read their temporaries.
    auto map = [&](VReg& r) {
      if (isGuestGpr(r)) r = current[r];
    };
    // (Source operands as sourceRegs() sees them; a tied op's implicit read of its
    // destination reads the guest register, which the copy has set.)
    if (in.op != Op::Const && in.op != Op::ReadDF && in.op != Op::ReadSreg && in.op != Op::Exit && in.op != Op::ExitIf) {
      map(in.a);
      if (!hasFlag(in.op, kImm)) map(in.b);
      map(in.c);
    }
    const bool guestWrite = writesReg(in) && isGuestGpr(in.dst);
    if (guestWrite) {
      const VReg r = in.dst;
      current[r] = r;
      if (afterSideExit && in.op != Op::Copy && !hasFlag(in.op, kTied | kWF)) {
        const VReg t = fn.newTemp();
        in.dst = t;
        out.push_back(in);
        Inst copy;
        copy.op = Op::Copy;
        copy.dst = r;
        copy.a = t;
        copy.x86Index = in.x86Index;
        out.push_back(copy);
        current[r] = t;
        ++renamed;
        continue;
      }
    }
    if (hasFlag(in.op, kExit) && in.op != Op::Exit) afterSideExit = true;
    out.push_back(in);
  }
  fn.insts = std::move(out);
  return renamed;
}

}  // namespace codemorph::translator::passes
