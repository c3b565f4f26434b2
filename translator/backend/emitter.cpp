// Emission (see emitter.h).
#include "emitter.h"

#include <cstring>

namespace codemorph::translator::backend {

using hostisa::Op;

namespace {
// The atom with its (allocated) registers; stores name the address rs1 and the value rs2
// (formats MS, MC), as lowering set them.
hostisa::Atom finalAtom(const MAtom& m) {
  hostisa::Atom a = m.atom;
  a.rd = static_cast<uint8_t>(m.rd);
  a.rs1 = static_cast<uint8_t>(m.rs1);
  a.rs2 = static_cast<uint8_t>(m.rs2);
  return a;
}

using hostisa::makeAtom;

// A molecule under construction, with the index of its branch atom (to patch the offset).
struct PendingMolecule {
  std::vector<hostisa::Atom> atoms;
  bool commit = false;
  enum Target : uint8_t { None, Stub, Firmware } target = None;
  uint32_t targetValue = 0;  // stub index, or firmware address
};

struct Code {
  std::vector<PendingMolecule> molecules;
  std::vector<uint32_t> offsets;  // byte offset of each molecule
};

// Packs straight-line stub atoms in order (each molecule as full as the slots allow; li
// before lih of the same register; the final control atom last).
void packStub(std::vector<PendingMolecule>& out, const std::vector<hostisa::Atom>& atoms, unsigned maxAtoms,
              bool commitLast, PendingMolecule::Target target, uint32_t targetValue) {
  PendingMolecule cur;
  std::vector<unsigned> slots;
  auto ops = [](const std::vector<hostisa::Atom>& as) {
    std::vector<Op> o;
    for (const auto& a : as) o.push_back(a.op);
    return o;
  };
  for (size_t k = 0; k < atoms.size(); ++k) {
    const hostisa::Atom& a = atoms[k];
    bool conflict = false;
    for (const auto& b : cur.atoms)
      if ((hostisa::atomInfo(b.op).operands & hostisa::kWd) && b.rd == a.rd && a.rd != 0) conflict = true;
    auto trial = cur.atoms;
    trial.push_back(a);
    if (conflict || !assignSlots(ops(trial), maxAtoms, slots)) {
      out.push_back(cur);
      cur = PendingMolecule{};
    }
    cur.atoms.push_back(a);
  }
  cur.commit = commitLast;
  cur.target = target;
  cur.targetValue = targetValue;
  out.push_back(cur);
}

void eipAtoms(std::vector<hostisa::Atom>& out, uint32_t eip) {
  out.push_back(makeAtom(Op::LI, ir::kEip, 0, 0, static_cast<int32_t>(eip & 0xFFFF)));
  if (static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(eip & 0xFFFF))) != eip)
    out.push_back(makeAtom(Op::LIH, ir::kEip, 0, 0, static_cast<int32_t>(eip >> 16)));
}
}  // namespace

EmitResult emit(const LoweredRegion& region, const Schedule& schedule, const ir::Function& fn,
                const TranslateRequest& request) {
  EmitResult r;
  const unsigned maxAtoms = request.options.maxAtoms;
  const Placement& pl = request.placement;
  Code code;
  // Body.
  std::vector<int> exitMolecule(fn.exits.size(), -1);  // molecule holding the exit's final j
  for (const auto& mol : schedule.molecules) {
    PendingMolecule pm;
    for (unsigned j : mol) {
      const MAtom& m = region.atoms[j];
      pm.atoms.push_back(finalAtom(m));
      if (m.role == Role::SideExit) {
        pm.target = PendingMolecule::Stub;
        pm.targetValue = static_cast<uint32_t>(m.exit);
      } else if (m.role == Role::Budget && m.atom.op == Op::BLT) {
        pm.target = PendingMolecule::Stub;
        pm.targetValue = static_cast<uint32_t>(fn.exits.size());  // the budget stub
      } else if (m.role == Role::FinalExit) {
        pm.commit = true;
        pm.target = PendingMolecule::Firmware;
        const ExitKind k = fn.exits[static_cast<size_t>(m.exit)].kind;
        pm.targetValue = k == ExitKind::Indirect ? pl.fwDispatchIndirect
                         : k == ExitKind::Interpret ? pl.fwInterpret : pl.fwDispatch;
        exitMolecule[static_cast<size_t>(m.exit)] = static_cast<int>(code.molecules.size());
      }
    }
    code.molecules.push_back(pm);
  }
  // Stubs: side exits, then the budget stub.
  std::vector<int> stubStart(fn.exits.size() + 1, -1);
  for (size_t e = 0; e < fn.exits.size(); ++e) {
    if (exitMolecule[e] >= 0) continue;  // the final exit is inline
    stubStart[e] = static_cast<int>(code.molecules.size());
    const ir::ExitInfo& x = fn.exits[e];
    std::vector<hostisa::Atom> as;
    if (x.rollback) {  // back to the committed entry state, then fw_interpret at the entry
      PendingMolecule rb;
      rb.atoms.push_back(makeAtom(Op::ROLLBACK));
      code.molecules.push_back(rb);
      eipAtoms(as, x.targetEip);
      as.push_back(makeAtom(Op::J));
      packStub(code.molecules, as, maxAtoms, false, PendingMolecule::Firmware, pl.fwInterpret);
      exitMolecule[e] = static_cast<int>(code.molecules.size() - 1);
      continue;
    }
    eipAtoms(as, x.targetEip);
    const int32_t back = static_cast<int32_t>(fn.x86Instructions - x.retired);
    if (back) as.push_back(makeAtom(Op::ADDI, ir::kBudget, ir::kBudget, 0, back));
    as.push_back(makeAtom(Op::J));
    const uint32_t fw = x.kind == ExitKind::Interpret ? pl.fwInterpret : pl.fwDispatch;
    packStub(code.molecules, as, maxAtoms, true, PendingMolecule::Firmware, fw);
    exitMolecule[e] = static_cast<int>(code.molecules.size() - 1);
  }
  {
    stubStart[fn.exits.size()] = static_cast<int>(code.molecules.size());
    PendingMolecule rb;
    rb.atoms.push_back(makeAtom(Op::ROLLBACK));
    code.molecules.push_back(rb);
    std::vector<hostisa::Atom> as;
    eipAtoms(as, request.insns.front().eip);
    as.push_back(makeAtom(Op::J));
    packStub(code.molecules, as, maxAtoms, false, PendingMolecule::Firmware, pl.fwExitBudget);
  }
  // Layout: smallest molecule size that holds each molecule's atoms.
  std::vector<Op> ops;
  std::vector<unsigned> slots;
  std::vector<hostisa::Molecule> encoded(code.molecules.size());
  uint32_t offset = 0;
  for (size_t k = 0; k < code.molecules.size(); ++k) {
    const PendingMolecule& pm = code.molecules[k];
    ops.clear();
    for (const auto& a : pm.atoms) ops.push_back(a.op);
    hostisa::Molecule& m = encoded[k];
    bool placed = false;
    for (unsigned size : {2u, 4u, 8u}) {
      if (size > maxAtoms && size != 2) continue;
      if (!assignSlots(ops, size, slots)) continue;
      m.numAtoms = static_cast<uint8_t>(size);
      for (auto& a : m.atoms) a = hostisa::Atom{};
      for (size_t i = 0; i < pm.atoms.size(); ++i) m.atoms[slots[i]] = pm.atoms[i];
      placed = true;
      break;
    }
    if (!placed) {
      r.error = "internal: molecule does not fit its slots";
      return r;
    }
    m.commit = pm.commit;
    code.offsets.push_back(offset);
    offset += m.bytes();
  }
  // Branch targets, then encoding.
  std::vector<uint32_t> words;
  words.reserve(offset / 4);
  for (size_t k = 0; k < encoded.size(); ++k) {
    hostisa::Molecule& m = encoded[k];
    const PendingMolecule& pm = code.molecules[k];
    const uint32_t here = pl.hostBase + code.offsets[k];
    for (unsigned s = 0; s < m.numAtoms; ++s) {
      hostisa::Atom& a = m.atoms[s];
      if (!(hostisa::atomInfo(a.op).operands & hostisa::kBranch) || a.op == Op::ROLLBACK) continue;
      uint32_t target = here;
      if (pm.target == PendingMolecule::Stub) target = pl.hostBase + code.offsets[static_cast<size_t>(stubStart[pm.targetValue])];
      else if (pm.target == PendingMolecule::Firmware) target = pm.targetValue;
      a.imm = (static_cast<int32_t>(target) - static_cast<int32_t>(here)) / static_cast<int32_t>(hostisa::kMoleculeAlign);
    }
    uint32_t buf[hostisa::kMaxAtoms];
    const unsigned n = hostisa::encodeMolecule(m, buf);
    if (n == 0) {
      unsigned bad = 0;
      const hostisa::MoleculeError me = hostisa::validateMolecule(m, &bad);
      r.error = "molecule " + std::to_string(k) + " does not encode: ";
      r.error += me == hostisa::MoleculeError::None ? std::string("branch out of range")
                                                    : std::string(hostisa::moleculeErrorText(me));
      return r;
    }
    words.insert(words.end(), buf, buf + n);
    for (unsigned s = 0; s < m.numAtoms; ++s)
      if (m.atoms[s].op != Op::NOP) ++r.translation.atoms;
  }
  r.translation.code.resize(words.size() * 4);
  std::memcpy(r.translation.code.data(), words.data(), r.translation.code.size());
  r.translation.molecules = static_cast<uint32_t>(encoded.size());
  for (size_t e = 0; e < fn.exits.size(); ++e) {
    Exit x;
    x.kind = fn.exits[e].kind;
    x.targetEip = fn.exits[e].kind == ExitKind::Indirect ? 0 : fn.exits[e].targetEip;
    x.retired = fn.exits[e].retired;
    x.jumpOffset = code.offsets[static_cast<size_t>(exitMolecule[e])];
    r.translation.exits.push_back(x);
  }
  r.ok = true;
  return r;
}

}  // namespace codemorph::translator::backend
