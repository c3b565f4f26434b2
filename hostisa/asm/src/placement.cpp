// Slot assignment (see placement.h). At most 8 atoms into at most 8 slots: the
// backtracking search is tiny (8! worst case, far less with unit constraints).
#include "placement.h"

#include <array>

namespace codemorph::hostisa::asmimpl {
namespace {

bool writtenOrderFits(std::span<const Atom> atoms, unsigned size) {
  for (unsigned i = 0; i < atoms.size(); ++i) {
    if (!slotAccepts(size, i, atomInfo(atoms[i].op).unit)) return false;
  }
  return true;
}

bool assign(std::span<const Atom> atoms, unsigned size, unsigned next, std::array<int, kMaxAtoms>& slotOf,
            unsigned usedMask) {
  if (next == atoms.size()) return true;
  const Unit unit = atomInfo(atoms[next].op).unit;
  for (unsigned s = 0; s < size; ++s) {
    if ((usedMask & (1u << s)) || !slotAccepts(size, s, unit)) continue;
    slotOf[next] = static_cast<int>(s);
    if (assign(atoms, size, next + 1, slotOf, usedMask | (1u << s))) return true;
  }
  return false;
}

}  // namespace

Placement placeAtoms(std::span<const Atom> atoms, unsigned maxAtoms) {
  Placement p;
  const unsigned limit = maxAtoms >= 8 ? 8 : 4;
  if (atoms.empty()) {
    p.error = "empty molecule";
    return p;
  }
  if (atoms.size() > limit) {
    p.error = "too many atoms: " + std::to_string(atoms.size()) + ", a molecule holds at most " + std::to_string(limit);
    return p;
  }
  for (unsigned size : {2u, 4u, 8u}) {
    if (size > limit || atoms.size() > size) continue;
    Molecule& m = p.molecule;
    m = Molecule{};
    m.numAtoms = static_cast<uint8_t>(size);
    if (atoms.size() == size && writtenOrderFits(atoms, size)) {
      for (unsigned i = 0; i < size; ++i) m.atoms[i] = atoms[i];
      p.ok = true;
      return p;
    }
    std::array<int, kMaxAtoms> slotOf{};
    if (assign(atoms, size, 0, slotOf, 0)) {
      for (unsigned i = 0; i < atoms.size(); ++i) m.atoms[static_cast<unsigned>(slotOf[i])] = atoms[i];
      p.ok = true;
      return p;
    }
  }
  p.molecule = Molecule{};
  // Name the unit that has more atoms than slots, if there is one.
  for (const Unit unit : {Unit::Bru, Unit::Lsu, Unit::Alu0, Unit::Alu, Unit::Fpu}) {
    unsigned want = 0, slots = 0;
    for (const Atom& a : atoms) want += atomInfo(a.op).unit == unit ? 1 : 0;
    for (unsigned s = 0; s < limit; ++s) slots += slotAccepts(limit, s, unit) ? 1 : 0;
    if (want > slots) {
      p.error = "too many " + std::string(unitName(unit)) + " atoms: " + std::to_string(want) + (limit == 8 ? ", an " : ", a ") +
                std::to_string(limit) + "-atom molecule has " + std::to_string(slots) + " " +
                std::string(unitName(unit)) + " slot" + (slots == 1 ? "" : "s");
      return p;
    }
  }
  std::string units;
  for (const Atom& a : atoms) {
    units += units.empty() ? "" : ", ";
    units += unitName(atomInfo(a.op).unit);
  }
  p.error = "atoms cannot be placed in the slots of a molecule of up to " + std::to_string(limit) +
            " atoms (units: " + units + ")";
  return p;
}

}  // namespace codemorph::hostisa::asmimpl
