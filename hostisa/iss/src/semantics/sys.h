// Semantics of the system atoms: special registers, traps, service calls, speculation
// control and the host TLB. Their effects are applied after the molecule's register and
// memory effects (docs/iss.md "Order of effects").
#pragma once

#include "semantics/context.h"

namespace codemorph::hostisa::iss::sem {

CM_SEM(MFSR)     { x.w(a.rd, x.sreg(a.aux)); }
CM_SEM(MTSR)     { x.wsreg(a.aux, CM_RS1); }
CM_SEM(SVC)      { x.svc(CM_IMM & 0xFFFF); }
CM_SEM(TRAP)     { x.trap(CM_IMM & 0xFFFF); }
CM_SEM(HALT)     { (void)a; x.halt(); }
CM_SEM(ROLLBACK) { (void)a; x.rollback(); }
CM_SEM(ERET)     { (void)a; x.eret(); }
CM_SEM(TLBWR)    { x.tlbWrite(CM_RS1, CM_RS2); }
CM_SEM(TLBFL)    { (void)a; x.tlbFlush(); }

}  // namespace codemorph::hostisa::iss::sem
