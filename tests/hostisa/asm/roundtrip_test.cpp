// The ISA table round trip (ARCHITECTURE.md section 2): for every atom of atomTable(),
// atoms with representative field values (minimum and maximum of every field) are put in
// a valid molecule of every size, encoded, decoded, disassembled and assembled again; the
// bits must be identical at every step.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/disassembler.h"
#include "codemorph/hostisa/isa.h"

namespace codemorph::hostisa {
namespace {

// Representative values of one field: its minimum and maximum (and a middle value).
std::vector<int64_t> fieldValues(const FieldSpec& f) {
  switch (f.kind) {
    case FieldKind::Width: return {1, 2, 4};
    case FieldKind::Simm:
    case FieldKind::Off: {
      const int64_t hi = (int64_t{1} << (f.width - 1)) - 1;
      return {-hi - 1, -1, 0, 1, hi};
    }
    case FieldKind::Sreg: {
      std::vector<int64_t> v;
      for (const SregInfo& s : sregTable()) v.push_back(s.number);
      return v;
    }
    default: {
      const int64_t hi = (int64_t{1} << f.width) - 1;
      return {0, 1, hi / 2, hi};
    }
  }
}

void setField(Atom& a, FieldKind kind, int64_t v) {
  switch (kind) {
    case FieldKind::Rd: a.rd = static_cast<uint8_t>(v); break;
    case FieldKind::Rs1: a.rs1 = static_cast<uint8_t>(v); break;
    case FieldKind::Rs2: a.rs2 = static_cast<uint8_t>(v); break;
    case FieldKind::Width: a.width = static_cast<uint8_t>(v); break;
    case FieldKind::Cond: a.cond = static_cast<uint8_t>(v); break;
    case FieldKind::Simm:
    case FieldKind::Uimm:
    case FieldKind::Off: a.imm = static_cast<int32_t>(v); break;
    default: a.aux = static_cast<uint8_t>(v); break;
  }
}

// Atoms of op: all fields at their first value, all at their last, and each field through
// each of its values with the others at a middle value.
std::vector<Atom> representativeAtoms(Op op) {
  const FormatInfo& fmt = formatInfo(atomInfo(op).format);
  std::vector<std::vector<int64_t>> values;
  for (unsigned i = 0; i < fmt.numFields; ++i) values.push_back(fieldValues(fmt.fields[i]));
  std::vector<Atom> out;
  auto build = [&](auto pick) {
    Atom a;
    a.op = op;
    for (unsigned i = 0; i < fmt.numFields; ++i) setField(a, fmt.fields[i].kind, pick(i));
    out.push_back(a);
  };
  build([&](unsigned i) { return values[i].front(); });
  build([&](unsigned i) { return values[i].back(); });
  for (unsigned f = 0; f < fmt.numFields; ++f) {
    for (int64_t v : values[f]) {
      build([&](unsigned i) { return i == f ? v : values[i][values[i].size() / 2]; });
    }
  }
  return out;
}

std::vector<uint8_t> toBytes(std::span<const uint32_t> words) {
  std::vector<uint8_t> b;
  for (uint32_t w : words) {
    for (unsigned i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(w >> (8 * i)));
  }
  return b;
}

TEST(IsaRoundTrip, EveryFormatHasAKnownOperandSyntax) {
  // Each format's syntax string must be printable and parseable: one atom per format
  // disassembles to the mnemonic followed by as many operands as the syntax lists.
  for (const AtomInfo& info : atomTable()) {
    Atom a;
    a.op = info.op;
    if (formatInfo(info.format).syntax.starts_with(".w")) a.width = 4;
    if (info.format == Format::MFS || info.format == Format::MTS) a.aux = 1;
    const std::string text = disassembleAtom(a, 0);
    EXPECT_TRUE(text.starts_with(std::string(info.mnemonic))) << text;
    EXPECT_EQ(text.find('?'), std::string::npos) << text;
  }
}

TEST(IsaRoundTrip, EveryAtomEncodeDecodeDisassembleAssemble) {
  std::set<Op> covered;
  unsigned molecules = 0;
  for (const AtomInfo& info : atomTable()) {
    for (const Atom& atom : representativeAtoms(info.op)) {
      for (unsigned size : {2u, 4u, 8u}) {
        for (unsigned slot = 0; slot < size; ++slot) {
          if (!slotAccepts(size, slot, info.unit)) continue;
          for (const uint32_t address : {0u, 0x1000u, 0xFFFFFF00u}) {
            Molecule m;
            m.numAtoms = static_cast<uint8_t>(size);
            m.commit = (slot & 1) != 0;
            m.atoms[slot] = atom;
            ASSERT_EQ(validateMolecule(m), MoleculeError::None);
            // encode
            std::array<uint32_t, kMaxAtoms> words{};
            ASSERT_EQ(encodeMolecule(m, words), size) << info.mnemonic;
            const std::vector<uint8_t> bytes = toBytes(std::span(words.data(), size));
            // decode
            const MoleculeDecode d = decodeMolecule(bytes, 8);
            ASSERT_EQ(d.error, MoleculeError::None) << info.mnemonic;
            ASSERT_EQ(d.molecule, m) << info.mnemonic;
            // disassemble
            const std::string text = disassembleMolecule(d.molecule, address);
            // assemble
            AsmOptions opt;
            opt.maxAtoms = 8;
            const AsmResult r = assemble(".section .text, " + std::to_string(address) + "\n" + text + "\n", opt);
            ASSERT_TRUE(r.ok) << text << "\n" << r.errorText();
            ASSERT_EQ(r.imageBase, address);
            ASSERT_EQ(r.image, bytes) << text;
            covered.insert(info.op);
            ++molecules;
          }
          break;  // one legal slot per size is enough here; placement has its own tests
        }
      }
    }
  }
  EXPECT_EQ(covered.size(), atomTable().size());
  EXPECT_GT(molecules, 1000u);
}

TEST(IsaRoundTrip, FullMoleculesOfMixedAtoms) {
  // Four distinct atoms in a 4-atom molecule keep their slots through the round trip.
  const char* src = "{ mul r1, r2, r3 ; add.cc.16 r4, r5, r6 ; ldg32 r7, -1024(r8) ; bcc po, 0x40 } commit\n";
  const AsmResult r = assemble(src);
  ASSERT_TRUE(r.ok) << r.errorText();
  ASSERT_EQ(r.image.size(), 16u);
  const MoleculeDecode d = decodeMolecule(r.image);
  ASSERT_EQ(d.error, MoleculeError::None);
  EXPECT_EQ(disassembleMolecule(d.molecule, 0),
            "{ mul r1, r2, r3 ; add.cc.16 r4, r5, r6 ; ldg32 r7, -1024(r8) ; bcc np, 0x40 } commit");
}

}  // namespace
}  // namespace codemorph::hostisa
