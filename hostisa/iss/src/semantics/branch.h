// Semantics of the control-transfer atoms. Offsets count 8-byte units relative to this
// molecule's address; the decoder allows at most one control transfer per molecule.
#pragma once

#include "semantics/cc.h"
#include "semantics/context.h"

namespace codemorph::hostisa::iss::sem {

template <class X> inline uint32_t target(X& x, const Atom& a) {
  return x.pc() + static_cast<uint32_t>(a.imm) * kMoleculeAlign;
}

CM_SEM(BEQ)  { if (CM_RS1 == CM_RS2) x.jump(target(x, a)); }
CM_SEM(BNE)  { if (CM_RS1 != CM_RS2) x.jump(target(x, a)); }
CM_SEM(BLT)  { if (static_cast<int32_t>(CM_RS1) < static_cast<int32_t>(CM_RS2)) x.jump(target(x, a)); }
CM_SEM(BGE)  { if (static_cast<int32_t>(CM_RS1) >= static_cast<int32_t>(CM_RS2)) x.jump(target(x, a)); }
CM_SEM(BLTU) { if (CM_RS1 < CM_RS2) x.jump(target(x, a)); }
CM_SEM(BGEU) { if (CM_RS1 >= CM_RS2) x.jump(target(x, a)); }
CM_SEM(BZ)   { if (CM_RS1 == 0) x.jump(target(x, a)); }
CM_SEM(BNZ)  { if (CM_RS1 != 0) x.jump(target(x, a)); }
CM_SEM(BCC)  { if (condHolds(a.cond, x.flags())) x.jump(target(x, a)); }
CM_SEM(J)    { x.jump(target(x, a)); }
CM_SEM(CALL) { x.w(kLinkReg, x.next()); x.jump(target(x, a)); }
// The target need not be aligned here: a misaligned target raises FETCH when fetched
// (tpc = tval = the target), after jalr itself has completed.
CM_SEM(JALR) { const uint32_t t = CM_RS1; x.w(a.rd, x.next()); x.jump(t); }

}  // namespace codemorph::hostisa::iss::sem
