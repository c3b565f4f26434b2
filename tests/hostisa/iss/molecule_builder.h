// Test helper: builds host-ISA programs in memory through the encoder API (no assembler),
// so ISS tests do not depend on hostisa/asm. Atoms are written with small constructors
// (add(1,2,3), ldg32(4, 5, 8), ...); Program::add() places a list of atoms into the
// smallest molecule whose slot rules accept them (nops elsewhere) and encodes it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "codemorph/hostisa/isa.h"
#include "codemorph/hostisa/iss/iss.h"

namespace cmtest {

using namespace codemorph::hostisa;
using codemorph::hostisa::iss::Iss;
using codemorph::hostisa::iss::IssConfig;
namespace support = codemorph::support;

inline Atom mk(Op op, unsigned rd = 0, unsigned rs1 = 0, unsigned rs2 = 0, int32_t imm = 0, unsigned width = 0,
               unsigned cond = 0, unsigned aux = 0) {
  return codemorph::hostisa::makeAtom(op, rd, rs1, rs2, imm, width, cond, aux);
}
// Formats R/R1: rd, rs1[, rs2].
inline Atom rrr(Op op, unsigned rd, unsigned rs1, unsigned rs2 = 0) { return mk(op, rd, rs1, rs2); }
// Format I: rd, rs1, simm11.
inline Atom rri(Op op, unsigned rd, unsigned rs1, int32_t imm) { return mk(op, rd, rs1, 0, imm); }
// Format U: li/lih rd, imm16 (any 16-bit pattern).
inline Atom li(unsigned rd, int32_t imm16) { return mk(Op::LI, rd, 0, 0, imm16 & 0xFFFF); }
inline Atom lih(unsigned rd, int32_t imm16) { return mk(Op::LIH, rd, 0, 0, imm16 & 0xFFFF); }
inline Atom add(unsigned rd, unsigned rs1, unsigned rs2) { return rrr(Op::ADD, rd, rs1, rs2); }
inline Atom addi(unsigned rd, unsigned rs1, int32_t imm) { return rri(Op::ADDI, rd, rs1, imm); }
// Formats RW/R1W/IW: .w rd, rs1[, rs2 | simm9]; w in bytes.
inline Atom cc(Op op, unsigned w, unsigned rd, unsigned rs1, unsigned rs2 = 0) { return mk(op, rd, rs1, rs2, 0, w); }
inline Atom cci(Op op, unsigned w, unsigned rd, unsigned rs1, int32_t imm) { return mk(op, rd, rs1, 0, imm, w); }
inline Atom setcc(unsigned rd, unsigned cond) { return mk(Op::SETCC, rd, 0, 0, 0, 0, cond); }
inline Atom sel(unsigned rd, unsigned rs1, unsigned rs2, unsigned cond) { return mk(Op::SEL, rd, rs1, rs2, 0, 0, cond); }
inline Atom agen(unsigned w, unsigned rd, unsigned rs1, unsigned seg) { return mk(Op::AGEN, rd, rs1, 0, 0, w, 0, seg); }
// Format M: loads rd, simm(rs1).   MS: stores rs2(value), simm(rs1).
inline Atom ld(Op op, unsigned rd, unsigned base, int32_t off = 0) { return mk(op, rd, base, 0, off); }
inline Atom st(Op op, unsigned value, unsigned base, int32_t off = 0) { return mk(op, 0, base, value, off); }
inline Atom ldp(Op op, unsigned rd, unsigned base, int32_t off, unsigned areg) { return mk(op, rd, base, 0, off, 0, 0, areg); }
inline Atom stc(Op op, unsigned value, unsigned base, unsigned mask) { return mk(op, 0, base, value, 0, 0, 0, mask); }
// Branches: offsets in molecules (8-byte units) from the branch's molecule.
inline Atom br(Op op, unsigned rs1, unsigned rs2, int32_t off) { return mk(op, 0, rs1, rs2, off); }
inline Atom bz(Op op, unsigned rs1, int32_t off) { return mk(op, 0, rs1, 0, off); }
inline Atom bcc(unsigned cond, int32_t off) { return mk(Op::BCC, 0, 0, 0, off, 0, cond); }
inline Atom jmp(int32_t off) { return mk(Op::J, 0, 0, 0, off); }
inline Atom call(int32_t off) { return mk(Op::CALL, 0, 0, 0, off); }
inline Atom jalr(unsigned rd, unsigned rs1) { return mk(Op::JALR, rd, rs1); }
inline Atom mfsr(unsigned rd, Sreg s) { return mk(Op::MFSR, rd, 0, 0, 0, 0, 0, static_cast<unsigned>(s)); }
inline Atom mtsr(Sreg s, unsigned rs1) { return mk(Op::MTSR, 0, rs1, 0, 0, 0, 0, static_cast<unsigned>(s)); }
inline Atom svc(int32_t n) { return mk(Op::SVC, 0, 0, 0, n); }
inline Atom trapa(int32_t n) { return mk(Op::TRAP, 0, 0, 0, n); }
inline Atom tlbwr(unsigned rs1, unsigned rs2) { return mk(Op::TLBWR, 0, rs1, rs2); }
inline Atom sys(Op op) { return mk(op); }  // halt, rollback, eret, tlbfl, nop
inline Atom halt() { return mk(Op::HALT); }
inline Atom nop() { return mk(Op::NOP); }

// A program image: molecules laid out from base, written into a core with loadInto().
class Program {
 public:
  explicit Program(uint32_t base = 0x1000, unsigned maxAtoms = 4) : base_(base), maxAtoms_(maxAtoms) {}

  uint32_t base() const { return base_; }
  uint32_t here() const { return base_ + static_cast<uint32_t>(bytes_.size()); }
  std::vector<uint8_t>& bytes() { return bytes_; }

  // Places atoms into the smallest molecule (2, 4, or 8 atoms if allowed) whose slots
  // accept them, keeping their relative order among slots of one kind. Returns its address.
  uint32_t add(const std::vector<Atom>& atoms, bool commit = false, unsigned minAtoms = 2) {
    for (unsigned n : {2u, 4u, 8u}) {
      if (n < minAtoms || n > maxAtoms_ || atoms.size() > n) continue;
      Molecule m;
      m.numAtoms = static_cast<uint8_t>(n);
      m.commit = commit;
      for (auto& a : m.atoms) a = nop();
      std::vector<bool> used(n, false);
      if (place(atoms, 0, m, used) && validateMolecule(m) == MoleculeError::None) return addMolecule(m);
    }
    throw std::invalid_argument("molecule_builder: atoms do not fit any molecule");
  }

  // Encodes an explicit molecule (slots as given). Returns its address.
  uint32_t addMolecule(const Molecule& m) {
    uint32_t words[kMaxAtoms];
    const unsigned n = encodeMolecule(m, words);
    if (n == 0) throw std::invalid_argument("molecule_builder: molecule does not encode");
    return addWords(std::vector<uint32_t>(words, words + n));
  }

  // Raw words (e.g. deliberately illegal molecules).
  uint32_t addWords(const std::vector<uint32_t>& words) {
    const uint32_t at = here();
    for (uint32_t w : words)
      for (unsigned b = 0; b < 4; ++b) bytes_.push_back(static_cast<uint8_t>(w >> (8 * b)));
    while (bytes_.size() % kMoleculeAlign) bytes_.push_back(0);
    return at;
  }

  // Points the control-transfer atom of the molecule at `at` to `target`.
  void setTarget(uint32_t at, uint32_t target) {
    const size_t off = at - base_;
    MoleculeDecode d = decodeMolecule(std::span<const uint8_t>(bytes_.data() + off, bytes_.size() - off), kMaxAtoms);
    if (d.error != MoleculeError::None) throw std::invalid_argument("molecule_builder: bad molecule");
    for (unsigned s = 0; s < d.molecule.numAtoms; ++s) {
      Atom& a = d.molecule.atoms[s];
      if (atomInfo(a.op).format == Format::B || atomInfo(a.op).format == Format::BZ ||
          atomInfo(a.op).format == Format::BC || atomInfo(a.op).format == Format::J)
        a.imm = (static_cast<int32_t>(target) - static_cast<int32_t>(at)) / static_cast<int32_t>(kMoleculeAlign);
    }
    uint32_t words[kMaxAtoms];
    const unsigned n = encodeMolecule(d.molecule, words);
    if (n == 0) throw std::invalid_argument("molecule_builder: target out of range");
    std::memcpy(bytes_.data() + off, words, 4 * n);
  }

  void loadInto(Iss& core) const { core.writeMemory(base_, bytes_); }

 private:
  bool place(const std::vector<Atom>& atoms, size_t i, Molecule& m, std::vector<bool>& used) {
    if (i == atoms.size()) return true;
    for (unsigned s = 0; s < m.numAtoms; ++s) {
      if (used[s] || !slotAccepts(m.numAtoms, s, atomInfo(atoms[i].op).unit)) continue;
      used[s] = true;
      m.atoms[s] = atoms[i];
      if (place(atoms, i + 1, m, used)) return true;
      used[s] = false;
      m.atoms[s] = nop();
    }
    return false;
  }

  uint32_t base_;
  unsigned maxAtoms_;
  std::vector<uint8_t> bytes_;
};

// A small core for tests: 1 MiB of memory unless the test asks otherwise.
inline IssConfig smallConfig() {
  IssConfig c;
  c.memBytes = 1u << 20;
  return c;
}

}  // namespace cmtest
