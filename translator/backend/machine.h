// The back end's view of a region: host atoms over virtual registers (MAtom), the result
// of lowering the IR, then scheduled into molecules, register-allocated and encoded.
#pragma once
#include <string>
#include <vector>

#include "../ir/ir.h"
#include "codemorph/hostisa/isa.h"

namespace codemorph::translator::backend {

using ir::VReg;
inline constexpr VReg kFlagsVReg = 0xFFFF;  // xflags as a scheduling resource

enum class Role : uint8_t {
  Normal,
  Budget,     // the entry's budget branch (blt r30, r0, budget stub)
  SideExit,   // a branch to an exit stub
  FinalExit,  // the final `j` of the main path (carries the commit bit)
};

struct MAtom {
  hostisa::Atom atom{};       // fields as encoded, except registers (below) and branch targets
  VReg rd = ir::kZero, rs1 = ir::kZero, rs2 = ir::kZero;
  bool readsRd = false;       // ins*, lih
  bool readsFlags = false, writesFlags = false;
  bool load = false, store = false, io = false;
  bool protectedLoad = false; // ldp: may move above stores whose aliasMask has its register
  uint8_t aliasReg = 0, aliasMask = 0;
  Role role = Role::Normal;
  int exit = -1;              // SideExit/FinalExit: index into Function::exits
  uint16_t x86Index = 0;
  unsigned latency = 1;       // cycles until rd (and flags) may be read
};

struct LoweredRegion {
  std::vector<MAtom> atoms;   // program order
  VReg nextVReg = ir::kFirstTemp;
};

// IR -> atoms: the entry budget decrement and check first, then the body; the final Exit
// becomes r9/r30 set-up atoms and the final `j`.
LoweredRegion lower(const ir::Function& fn);

// Scheduling (list_scheduler.cpp). molecules[i] = indices into atoms, in slot-fill order.
struct Schedule {
  std::vector<std::vector<unsigned>> molecules;
  std::vector<unsigned> moleculeOf;  // per atom
};
enum class ScheduleMode : uint8_t { InOrder, List };
Schedule schedule(const LoweredRegion& region, unsigned maxAtoms, ScheduleMode mode);

// Assigns slots to the atoms of one molecule of `numAtoms` (slot rules of docs/isa.md);
// false if they do not fit. slots[k] = slot of atoms[k].
bool assignSlots(const std::vector<hostisa::Op>& ops, unsigned numAtoms, std::vector<unsigned>& slots);

// Register allocation (register_allocator.cpp): every temporary gets a host register from
// r10..r29, r48..r62. Returns "" or why it failed (too many live values).
std::string allocateRegisters(LoweredRegion& region, const Schedule& schedule);

}  // namespace codemorph::translator::backend
