// See self_check.h. Layout (2-atom molecules, 8 bytes each):
//   li/lih r50, physStart
//   per 4-byte word: { ld32 r48, off(r50) ; li r49, lo } { lih r49, hi } { bne r48, r49, miss }
//   per tail byte:   { ld8u r48, off(r50) ; li r49, byte } { bne r48, r49, miss }
//   j body
//   miss: li/lih r9, entry EIP ; j fw_interpret
// (control atoms go to slot 1, the only BRU slot of a 2-atom molecule)
// r48..r50 are translator temporaries that need not survive an exit (docs/cms-runtime.md 3).
#include "self_check.h"

#include <codemorph/hostisa/isa.h>

#include <cstring>
#include <stdexcept>

namespace codemorph::cms::runtime {

namespace {

using hostisa::Atom;
using hostisa::Op;

constexpr unsigned kLoaded = 48, kExpected = 49, kBase = 50, kEip = 9;

using hostisa::makeAtom;

class Emitter {
 public:
  explicit Emitter(uint32_t base) : base_(base) {}
  uint32_t here() const { return base_ + static_cast<uint32_t>(bytes_.size()); }
  void molecule(std::initializer_list<Atom> atoms) {
    hostisa::Molecule m;
    m.numAtoms = 2;
    unsigned i = 0;
    for (const Atom& a : atoms) m.atoms[i++] = a;
    uint32_t words[hostisa::kMaxAtoms];
    if (hostisa::encodeMolecule(m, words) != 2) throw std::logic_error("CMS: self-check molecule does not encode");
    const auto* p = reinterpret_cast<const uint8_t*>(words);
    bytes_.insert(bytes_.end(), p, p + 8);
  }
  void load32(unsigned rd, uint32_t v) {
    molecule({makeAtom(Op::LI, rd, 0, 0, static_cast<int32_t>(v & 0xFFFF))});
    molecule({makeAtom(Op::LIH, rd, 0, 0, static_cast<int32_t>(v >> 16))});
  }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  uint32_t base_;
  std::vector<uint8_t> bytes_;
};

int32_t molecules(uint32_t from, uint32_t to) { return static_cast<int32_t>(to - from) / 8; }

}  // namespace

uint32_t selfCheckPrologueBytes(uint32_t codeBytes) {
  const uint32_t words = codeBytes / 4, tail = codeBytes % 4;
  return 8 * (2 + 3 * words + 2 * tail + 1 + 3);
}

std::vector<uint8_t> selfCheckPrologue(uint32_t hostBase, uint32_t physStart, std::span<const uint8_t> code,
                                       uint32_t entryEip, uint32_t body, uint32_t fwInterpret) {
  if (code.size() > kSelfCheckMaxBytes) throw std::logic_error("CMS: region too long for a self-check");
  const uint32_t size = selfCheckPrologueBytes(static_cast<uint32_t>(code.size()));
  const uint32_t miss = hostBase + size - 3 * 8;
  Emitter e(hostBase);
  e.load32(kBase, physStart);
  size_t off = 0;
  for (; off + 4 <= code.size(); off += 4) {
    uint32_t word;
    std::memcpy(&word, code.data() + off, 4);
    e.molecule({makeAtom(Op::LD32, kLoaded, kBase, 0, static_cast<int32_t>(off)),
                makeAtom(Op::LI, kExpected, 0, 0, static_cast<int32_t>(word & 0xFFFF))});
    e.molecule({makeAtom(Op::LIH, kExpected, 0, 0, static_cast<int32_t>(word >> 16))});
    e.molecule({Atom{}, makeAtom(Op::BNE, 0, kLoaded, kExpected, molecules(e.here(), miss))});
  }
  for (; off < code.size(); ++off) {
    e.molecule({makeAtom(Op::LD8U, kLoaded, kBase, 0, static_cast<int32_t>(off)),
                makeAtom(Op::LI, kExpected, 0, 0, code[off])});
    e.molecule({Atom{}, makeAtom(Op::BNE, 0, kLoaded, kExpected, molecules(e.here(), miss))});
  }
  e.molecule({Atom{}, makeAtom(Op::J, 0, 0, 0, molecules(e.here(), body))});
  if (e.here() != miss) throw std::logic_error("CMS: self-check layout");
  e.load32(kEip, entryEip);
  e.molecule({Atom{}, makeAtom(Op::J, 0, 0, 0, molecules(e.here(), fwInterpret))});
  std::vector<uint8_t> out = e.take();
  if (out.size() != size || hostBase + size != body) throw std::logic_error("CMS: self-check size");
  return out;
}

}  // namespace codemorph::cms::runtime
