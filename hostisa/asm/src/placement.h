// Slot assignment: choose the molecule size and put written atoms into slots that accept
// their unit (hostisa::slotAccepts). Depends only on the atoms' ops, never on operand
// values, so pass 1 and pass 2 agree on every molecule's size.
#pragma once

#include <span>
#include <string>

#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa::asmimpl {

struct Placement {
  bool ok = false;
  Molecule molecule;   // atoms in their slots, nop in empty ones (commit not set here)
  std::string error;   // why no size works, when !ok
};

// Smallest size (2, then 4, then 8 if maxAtoms == 8) that holds the atoms. When the count
// equals the size and the written order is legal, that order is kept; otherwise a
// backtracking search assigns atoms (in written order) to the lowest legal free slot.
Placement placeAtoms(std::span<const Atom> atoms, unsigned maxAtoms);

}  // namespace codemorph::hostisa::asmimpl
