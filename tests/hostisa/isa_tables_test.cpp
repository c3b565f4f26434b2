// Checks of the ISA description itself (STYLE.md: "test the tables"): unique opcodes and
// mnemonics, no two encodings overlap, every field layout is sane, every atom has a unit
// and a timing class, and encode/decode agree for every atom over its whole field ranges.
#include "codemorph/hostisa/isa.h"

#include <random>
#include <set>

#include <gtest/gtest.h>

namespace codemorph::hostisa {
namespace {

TEST(IsaTables, OpcodesAndMnemonicsAreUnique) {
  std::set<unsigned> opcodes;
  std::set<std::string_view> mnemonics;
  for (const AtomInfo& a : atomTable()) {
    EXPECT_LT(a.opcode, 1u << kOpcodeWidth) << a.mnemonic;
    EXPECT_TRUE(opcodes.insert(a.opcode).second) << "opcode reused by " << a.mnemonic;
    EXPECT_TRUE(mnemonics.insert(a.mnemonic).second) << "mnemonic reused: " << a.mnemonic;
    EXPECT_EQ(opFromMnemonic(a.mnemonic), a.op);
    EXPECT_EQ(opFromOpcode(a.opcode), a.op);
  }
  EXPECT_EQ(atomTable().size(), kNumOps);
}

// Spike's check-opcode-overlap: two encodings overlap when some word matches both.
TEST(IsaTables, NoTwoEncodingsOverlap) {
  const auto atoms = atomTable();
  for (size_t i = 0; i < atoms.size(); ++i) {
    for (size_t j = i + 1; j < atoms.size(); ++j) {
      const uint32_t common = encodingMask(atoms[i].op) & encodingMask(atoms[j].op);
      EXPECT_NE(encodingMatch(atoms[i].op) & common, encodingMatch(atoms[j].op) & common)
          << atoms[i].mnemonic << " overlaps " << atoms[j].mnemonic;
    }
  }
}

TEST(IsaTables, FormatFieldsAreDisjointAndInsideTheOperandBits) {
  for (const FormatInfo& f : formatTable()) {
    uint32_t covered = 0;
    for (unsigned i = 0; i < f.numFields; ++i) {
      const FieldSpec& fs = f.fields[i];
      ASSERT_GT(fs.width, 0u) << f.name;
      const uint32_t mask = ((1u << fs.width) - 1u) << fs.lo;
      EXPECT_EQ(mask & ~kBodyMask, 0u) << f.name << " field " << i << " leaves bits [22:0]";
      EXPECT_EQ(mask & covered, 0u) << f.name << " field " << i << " overlaps another field";
      covered |= mask;
    }
    EXPECT_EQ(covered | f.reservedMask, kBodyMask) << f.name;
    EXPECT_EQ(covered & f.reservedMask, 0u) << f.name;
  }
}

TEST(IsaTables, EveryAtomHasAUnitATimingClassAndASummary) {
  for (const AtomInfo& a : atomTable()) {
    EXPECT_LT(static_cast<unsigned>(a.timing), kNumTimingClasses) << a.mnemonic;
    EXPECT_FALSE(timingClassName(a.timing).empty()) << a.mnemonic;
    EXPECT_FALSE(unitName(a.unit).empty()) << a.mnemonic;
    EXPECT_FALSE(a.summary.empty()) << a.mnemonic;
    // Some slot of a 4-atom molecule must accept it, or it could never be issued.
    bool placeable = false;
    for (unsigned s = 0; s < 4; ++s) placeable |= slotAccepts(4, s, a.unit);
    EXPECT_TRUE(placeable) << a.mnemonic;
    // Loads and stores go to the LSU, control transfers and system atoms to the BRU.
    if (a.operands & (kLoad | kStore)) {
      EXPECT_EQ(a.unit, Unit::Lsu) << a.mnemonic;
    }
    if (a.operands & kBranch) {
      EXPECT_EQ(a.unit, Unit::Bru) << a.mnemonic;
    }
  }
}

TEST(IsaTables, SpecialRegistersAndTrapCausesAreUnique) {
  std::set<unsigned> numbers;
  std::set<std::string_view> names;
  for (const SregInfo& s : sregTable()) {
    EXPECT_TRUE(numbers.insert(s.number).second) << s.name;
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_EQ(sregFromName(s.name), s.number);
  }
  std::set<unsigned> causes;
  for (const TrapCauseInfo& t : trapCauseTable()) {
    EXPECT_NE(static_cast<unsigned>(t.cause), 0u) << t.name;
    EXPECT_TRUE(causes.insert(static_cast<unsigned>(t.cause)).second) << t.name;
  }
}

// Random field values within each format's ranges: encode then decode gives the atom back;
// setting any reserved bit makes the word undecodable.
TEST(IsaTables, EncodeDecodeRoundTripOverFieldRanges) {
  std::mt19937 rng(12345);
  for (const AtomInfo& info : atomTable()) {
    const FormatInfo& fmt = formatInfo(info.format);
    for (int trial = 0; trial < 500; ++trial) {
      Atom a;
      a.op = info.op;
      for (unsigned i = 0; i < fmt.numFields; ++i) {
        const FieldSpec& f = fmt.fields[i];
        const uint32_t raw = rng() & ((1u << f.width) - 1u);
        switch (f.kind) {
          case FieldKind::Rd: a.rd = static_cast<uint8_t>(raw); break;
          case FieldKind::Rs1: a.rs1 = static_cast<uint8_t>(raw); break;
          case FieldKind::Rs2: a.rs2 = static_cast<uint8_t>(raw); break;
          case FieldKind::Width: a.width = static_cast<uint8_t>(widthCodeToBytes(raw % 3)); break;
          case FieldKind::Cond: a.cond = static_cast<uint8_t>(raw); break;
          case FieldKind::Simm:
          case FieldKind::Off: a.imm = static_cast<int32_t>(raw) - (1 << (f.width - 1)); break;
          case FieldKind::Uimm: a.imm = static_cast<int32_t>(raw); break;
          case FieldKind::Sreg: {
            const auto sregs = sregTable();
            a.aux = sregs[raw % sregs.size()].number;
            break;
          }
          default: a.aux = static_cast<uint8_t>(raw); break;
        }
      }
      const auto word = encodeAtom(a);
      ASSERT_TRUE(word.has_value()) << info.mnemonic;
      const auto back = decodeAtom(*word);
      ASSERT_TRUE(back.has_value()) << info.mnemonic;
      EXPECT_EQ(*back, a) << info.mnemonic;
      if (fmt.reservedMask != 0) {
        const uint32_t bit = fmt.reservedMask & (0u - fmt.reservedMask);  // lowest reserved bit
        EXPECT_FALSE(decodeAtom(*word | bit).has_value()) << info.mnemonic;
      }
    }
  }
}

TEST(IsaTables, EncoderRejectsValuesThatDoNotFit) {
  Atom a;
  a.op = Op::ADDI;
  a.rd = 1;
  a.rs1 = 2;
  a.imm = 1024;  // simm11 is -1024..1023
  EXPECT_FALSE(encodeAtom(a).has_value());
  a.imm = -1024;
  EXPECT_TRUE(encodeAtom(a).has_value());
  a.rd = 64;
  EXPECT_FALSE(encodeAtom(a).has_value());
  Atom w;
  w.op = Op::ADD_CC;
  w.width = 3;
  EXPECT_FALSE(encodeAtom(w).has_value());
  Atom stray;  // an operand the format does not have must be zero
  stray.op = Op::NOP;
  stray.rd = 5;
  EXPECT_FALSE(encodeAtom(stray).has_value());
}

TEST(IsaTables, MoleculeRulesRejectBadSlotsConflictsAndTwoBranches) {
  Molecule m;
  m.numAtoms = 4;
  m.atoms[0] = Atom{Op::ADD, 1, 2, 3};
  m.atoms[1] = Atom{Op::ADD, 4, 5, 6};
  m.atoms[2] = Atom{Op::LD32, 7, 8};
  m.atoms[3] = Atom{Op::J};
  EXPECT_EQ(validateMolecule(m), MoleculeError::None);
  m.atoms[1] = Atom{Op::MUL, 4, 5, 6};  // the multiplier sits behind slot 0 only
  EXPECT_EQ(validateMolecule(m), MoleculeError::SlotRule);
  m.atoms[1] = Atom{Op::ADD, 1, 5, 6};  // r1 written twice
  EXPECT_EQ(validateMolecule(m), MoleculeError::WriteConflict);
  m.atoms[1] = Atom{Op::ADD, 0, 5, 6};
  m.atoms[0] = Atom{Op::ADD, 0, 2, 3};  // r0 writes are dropped, not a conflict
  EXPECT_EQ(validateMolecule(m), MoleculeError::None);
  m.atoms[0] = Atom{Op::ADD_CC, 1, 2, 3, 4};
  m.atoms[1] = Atom{Op::SUB_CC, 4, 5, 6, 4};  // xflags written twice
  EXPECT_EQ(validateMolecule(m), MoleculeError::WriteConflict);
  m.atoms[1] = Atom{Op::ADD, 4, 5, 6};
  m.atoms[3] = Atom{Op::MTSR, 0, 7, 0, 0, 0, static_cast<uint8_t>(Sreg::XFLAGS)};  // xflags via mtsr
  EXPECT_EQ(validateMolecule(m), MoleculeError::WriteConflict);
  m.atoms[3] = Atom{Op::J};

  Molecule two;
  two.numAtoms = 2;
  two.atoms[0] = Atom{Op::LD32, 1, 2};
  two.atoms[1] = Atom{Op::BZ, 0, 1};
  EXPECT_EQ(validateMolecule(two), MoleculeError::None);
  std::array<uint32_t, 8> words{};
  ASSERT_EQ(encodeMolecule(two, words), 2u);
  std::array<uint8_t, 8> bytes{};
  for (unsigned i = 0; i < 2; ++i) {
    for (unsigned b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<uint8_t>(words[i] >> (8 * b));
  }
  const MoleculeDecode d = decodeMolecule(bytes);
  EXPECT_EQ(d.error, MoleculeError::None);
  EXPECT_EQ(d.molecule, two);
  // An 8-atom size code is refused when the machine is configured for 4.
  bytes[3] = static_cast<uint8_t>((bytes[3] & 0x3F) | 0x80);
  EXPECT_EQ(decodeMolecule(bytes, 4).error, MoleculeError::BadSize);
}

TEST(IsaTables, XflagsThroughSpecialRegisterAtomsIsScoreboarded) {
  const RegUse read = regUse(Atom{Op::MFSR, 5, 0, 0, 0, 0, static_cast<uint8_t>(Sreg::XFLAGS)});
  ASSERT_EQ(read.numReads, 1u);
  EXPECT_EQ(read.reads[0], kFlagsRegIndex);
  const RegUse other = regUse(Atom{Op::MFSR, 5, 0, 0, 0, 0, static_cast<uint8_t>(Sreg::TVEC)});
  EXPECT_EQ(other.numReads, 0u);
  const RegUse write = regUse(Atom{Op::MTSR, 0, 5, 0, 0, 0, static_cast<uint8_t>(Sreg::XFLAGS)});
  ASSERT_EQ(write.numWrites, 1u);
  EXPECT_EQ(write.writes[0], kFlagsRegIndex);
}

TEST(IsaTables, CommitBitAndReservedHeaderBits) {
  Molecule m;
  m.numAtoms = 2;
  m.commit = true;
  std::array<uint32_t, 2> words{};
  ASSERT_EQ(encodeMolecule(m, words), 2u);
  EXPECT_EQ(words[1] >> kCommitBit, 1u);
  std::array<uint8_t, 8> bytes{};
  for (unsigned i = 0; i < 2; ++i) {
    for (unsigned b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<uint8_t>(words[i] >> (8 * b));
  }
  EXPECT_TRUE(decodeMolecule(bytes).molecule.commit);
  bytes[7] |= 0x40;  // atom 1 bit 30 is reserved
  EXPECT_EQ(decodeMolecule(bytes).error, MoleculeError::ReservedHeader);
  EXPECT_EQ(decodeMolecule(std::span<const uint8_t>(bytes.data(), 4)).error, MoleculeError::Truncated);
}

}  // namespace
}  // namespace codemorph::hostisa
