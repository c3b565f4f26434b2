// Semantics of the memory atoms: host-physical ld*/st*, guest ldg*/stg*, alias-protected
// ldp*/stc* and I/O-safe ldio*/stio*. The semantics compute the address and width; the
// context performs translation, checks and the (deferred) access - docs/iss.md "Memory".
#pragma once

#include "semantics/context.h"

namespace codemorph::hostisa::iss::sem {

// ---- host physical (firmware/CMS data): no TLB, no T-bits, not gated, no forwarding ---------
CM_SEM(LD8U)  { x.loadHost(a.rd, CM_RS1 + CM_IMM, 1, false); }
CM_SEM(LD8S)  { x.loadHost(a.rd, CM_RS1 + CM_IMM, 1, true); }
CM_SEM(LD16U) { x.loadHost(a.rd, CM_RS1 + CM_IMM, 2, false); }
CM_SEM(LD16S) { x.loadHost(a.rd, CM_RS1 + CM_IMM, 2, true); }
CM_SEM(LD32)  { x.loadHost(a.rd, CM_RS1 + CM_IMM, 4, false); }
CM_SEM(ST8)   { x.storeHost(CM_RS1 + CM_IMM, 1, CM_RS2); }
CM_SEM(ST16)  { x.storeHost(CM_RS1 + CM_IMM, 2, CM_RS2); }
CM_SEM(ST32)  { x.storeHost(CM_RS1 + CM_IMM, 4, CM_RS2); }

// ---- guest (x86 linear through the host TLB); stores gated --------------------------------
CM_SEM(LDG8U)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 1, false, GuestKind::Plain, 0); }
CM_SEM(LDG8S)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 1, true, GuestKind::Plain, 0); }
CM_SEM(LDG16U) { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 2, false, GuestKind::Plain, 0); }
CM_SEM(LDG16S) { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 2, true, GuestKind::Plain, 0); }
CM_SEM(LDG32)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 4, false, GuestKind::Plain, 0); }
CM_SEM(STG8)   { x.storeGuest(CM_RS1 + CM_IMM, 1, CM_RS2, GuestKind::Plain, 0); }
CM_SEM(STG16)  { x.storeGuest(CM_RS1 + CM_IMM, 2, CM_RS2, GuestKind::Plain, 0); }
CM_SEM(STG32)  { x.storeGuest(CM_RS1 + CM_IMM, 4, CM_RS2, GuestKind::Plain, 0); }

// ---- alias hardware: ldp protects [paddr, paddr+size) in alias register aux; stc (address
// rs1, no displacement) checks the alias registers in mask aux first -------------------------
CM_SEM(LDP8U)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 1, false, GuestKind::Protect, a.aux); }
CM_SEM(LDP8S)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 1, true, GuestKind::Protect, a.aux); }
CM_SEM(LDP16U) { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 2, false, GuestKind::Protect, a.aux); }
CM_SEM(LDP16S) { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 2, true, GuestKind::Protect, a.aux); }
CM_SEM(LDP32)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 4, false, GuestKind::Protect, a.aux); }
CM_SEM(STC8)   { x.storeGuest(CM_RS1, 1, CM_RS2, GuestKind::Checked, a.aux); }
CM_SEM(STC16)  { x.storeGuest(CM_RS1, 2, CM_RS2, GuestKind::Checked, a.aux); }
CM_SEM(STC32)  { x.storeGuest(CM_RS1, 4, CM_RS2, GuestKind::Checked, a.aux); }

// ---- I/O-safe: may reach I/O space; stores not gated --------------------------------------------
CM_SEM(LDIO8U)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 1, false, GuestKind::Io, 0); }
CM_SEM(LDIO8S)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 1, true, GuestKind::Io, 0); }
CM_SEM(LDIO16U) { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 2, false, GuestKind::Io, 0); }
CM_SEM(LDIO16S) { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 2, true, GuestKind::Io, 0); }
CM_SEM(LDIO32)  { x.loadGuest(a.rd, CM_RS1 + CM_IMM, 4, false, GuestKind::Io, 0); }
CM_SEM(STIO8)   { x.storeGuest(CM_RS1 + CM_IMM, 1, CM_RS2, GuestKind::Io, 0); }
CM_SEM(STIO16)  { x.storeGuest(CM_RS1 + CM_IMM, 2, CM_RS2, GuestKind::Io, 0); }
CM_SEM(STIO32)  { x.storeGuest(CM_RS1 + CM_IMM, 4, CM_RS2, GuestKind::Io, 0); }

}  // namespace codemorph::hostisa::iss::sem
