// Slot assignment of one molecule (docs/isa.md "Slots"): a small exact matching of atoms to
// slots whose unit accepts them (at most 8 atoms, so backtracking is cheap).
#include "machine.h"

namespace codemorph::translator::backend {

namespace {
bool place(const std::vector<hostisa::Op>& ops, size_t k, unsigned numAtoms, unsigned used, std::vector<unsigned>& slots) {
  if (k == ops.size()) return true;
  const hostisa::Unit unit = hostisa::atomInfo(ops[k]).unit;
  for (unsigned s = 0; s < numAtoms; ++s) {
    if ((used >> s) & 1u) continue;
    if (!hostisa::slotAccepts(numAtoms, s, unit)) continue;
    slots[k] = s;
    if (place(ops, k + 1, numAtoms, used | (1u << s), slots)) return true;
  }
  return false;
}
}  // namespace

bool assignSlots(const std::vector<hostisa::Op>& ops, unsigned numAtoms, std::vector<unsigned>& slots) {
  if (ops.size() > numAtoms) return false;
  slots.assign(ops.size(), 0);
  return place(ops, 0, numAtoms, 0, slots);
}

}  // namespace codemorph::translator::backend
