// Tables, encoder, decoder and molecule rules expanded from the ISA description
// (isa.def and friends). Layout and rules are documented in isa.h and docs/isa.md.
#include "codemorph/hostisa/isa.h"

#include <initializer_list>

namespace codemorph::hostisa {
namespace {

constexpr AtomInfo kAtoms[] = {
#define ATOM(id, mn, opc, fmt, unit, tc, ops, sum) \
  {Op::id, mn, opc, Format::fmt, Unit::unit, TimingClass::tc, ops, sum},
#include "codemorph/hostisa/isa.def"
#undef ATOM
};

#define FIELD(kind, lo, width) FieldSpec{FieldKind::kind, lo, width}
#define FIELDS(...) {__VA_ARGS__}

constexpr FormatInfo makeFormat(std::string_view name, std::string_view syntax,
                                std::initializer_list<FieldSpec> fields) {
  FormatInfo info{name, syntax, {}, 0, 0};
  for (const FieldSpec& f : fields) info.fields[info.numFields++] = f;
  uint32_t covered = 0;
  for (unsigned i = 0; i < info.numFields; ++i) {
    covered |= ((1u << info.fields[i].width) - 1u) << info.fields[i].lo;
  }
  info.reservedMask = kBodyMask & ~covered;
  return info;
}

constexpr FormatInfo kFormats[] = {
#define FORMAT(name, syn, fields) makeFormat(#name, syn, fields),
#include "codemorph/hostisa/formats.def"
#undef FORMAT
};
#undef FIELD
#undef FIELDS

constexpr SregInfo kSregs[] = {
#define SREG(id, name, num, sh, wr, desc) {Sreg::id, name, num, sh != 0, wr != 0, desc},
#include "codemorph/hostisa/sregs.def"
#undef SREG
};

constexpr TrapCauseInfo kTrapCauses[] = {
#define TRAP_CAUSE(id, num, name, desc) {TrapCause::id, name, desc},
#include "codemorph/hostisa/traps.def"
#undef TRAP_CAUSE
};

// opcode -> Op, built once; 0xFF marks an undefined opcode.
struct OpcodeMap {
  std::array<uint8_t, 1u << kOpcodeWidth> op{};
  constexpr OpcodeMap() {
    op.fill(0xFF);
    for (const AtomInfo& a : kAtoms) op[a.opcode] = static_cast<uint8_t>(a.op);
  }
};
constexpr OpcodeMap kOpcodeMap{};

constexpr uint32_t fieldMask(const FieldSpec& f) { return ((1u << f.width) - 1u) << f.lo; }

constexpr int32_t signExtend(uint32_t value, unsigned bits) {
  const uint32_t sign = 1u << (bits - 1);
  return static_cast<int32_t>((value ^ sign) - sign);
}

}  // namespace

std::string_view timingClassName(TimingClass tc) {
  constexpr std::string_view names[] = {"alu", "mul", "div", "load", "store", "branch", "sys"};
  return names[static_cast<unsigned>(tc)];
}

std::string_view unitName(Unit u) {
  constexpr std::string_view names[] = {"ALU", "ALU0", "LSU", "FPU", "BRU", "any"};
  return names[static_cast<unsigned>(u)];
}

std::span<const AtomInfo> atomTable() { return kAtoms; }
std::span<const FormatInfo> formatTable() { return kFormats; }
std::span<const SregInfo> sregTable() { return kSregs; }
std::span<const TrapCauseInfo> trapCauseTable() { return kTrapCauses; }

const AtomInfo& atomInfo(Op op) { return kAtoms[static_cast<unsigned>(op)]; }
const FormatInfo& formatInfo(Format f) { return kFormats[static_cast<unsigned>(f)]; }

const SregInfo* sregInfo(unsigned number) {
  for (const SregInfo& s : kSregs) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

const TrapCauseInfo* trapCauseInfo(TrapCause cause) {
  for (const TrapCauseInfo& t : kTrapCauses) {
    if (t.cause == cause) return &t;
  }
  return nullptr;
}

std::optional<Op> opFromOpcode(unsigned opcode) {
  if (opcode >= kOpcodeMap.op.size() || kOpcodeMap.op[opcode] == 0xFF) return std::nullopt;
  return static_cast<Op>(kOpcodeMap.op[opcode]);
}

std::optional<Op> opFromMnemonic(std::string_view mnemonic) {
  for (const AtomInfo& a : kAtoms) {
    if (a.mnemonic == mnemonic) return a.op;
  }
  return std::nullopt;
}

std::optional<unsigned> sregFromName(std::string_view name) {
  for (const SregInfo& s : kSregs) {
    if (s.name == name) return s.number;
  }
  return std::nullopt;
}

uint32_t encodingMask(Op op) {
  const AtomInfo& a = atomInfo(op);
  return (((1u << kOpcodeWidth) - 1u) << kOpcodeLo) | formatInfo(a.format).reservedMask;
}

uint32_t encodingMatch(Op op) { return static_cast<uint32_t>(atomInfo(op).opcode) << kOpcodeLo; }

std::optional<Atom> decodeAtom(uint32_t word) {
  word &= ~(3u << kHeaderLo);
  const auto op = opFromOpcode((word >> kOpcodeLo) & ((1u << kOpcodeWidth) - 1u));
  if (!op) return std::nullopt;
  const FormatInfo& fmt = formatInfo(atomInfo(*op).format);
  if (word & fmt.reservedMask) return std::nullopt;
  Atom atom;
  atom.op = *op;
  for (unsigned i = 0; i < fmt.numFields; ++i) {
    const FieldSpec& f = fmt.fields[i];
    const uint32_t raw = (word & fieldMask(f)) >> f.lo;
    switch (f.kind) {
      case FieldKind::Rd: atom.rd = static_cast<uint8_t>(raw); break;
      case FieldKind::Rs1: atom.rs1 = static_cast<uint8_t>(raw); break;
      case FieldKind::Rs2: atom.rs2 = static_cast<uint8_t>(raw); break;
      case FieldKind::Width:
        if (raw == 3) return std::nullopt;
        atom.width = static_cast<uint8_t>(widthCodeToBytes(raw));
        break;
      case FieldKind::Cond: atom.cond = static_cast<uint8_t>(raw); break;
      case FieldKind::Simm:
      case FieldKind::Off: atom.imm = signExtend(raw, f.width); break;
      case FieldKind::Uimm: atom.imm = static_cast<int32_t>(raw); break;
      case FieldKind::Areg:
      case FieldKind::Mask:
      case FieldKind::Seg:
      case FieldKind::Sreg: atom.aux = static_cast<uint8_t>(raw); break;
    }
  }
  if (fmt.name == "MFS" || fmt.name == "MTS") {
    if (!sregInfo(atom.aux)) return std::nullopt;
  }
  return atom;
}

std::optional<uint32_t> encodeAtom(const Atom& atom) {
  const AtomInfo& info = atomInfo(atom.op);
  const FormatInfo& fmt = formatInfo(info.format);
  uint32_t word = encodingMatch(atom.op);
  // Every operand the format lacks must be zero, so that decode(encode(a)) == a.
  Atom seen;
  seen.op = atom.op;
  for (unsigned i = 0; i < fmt.numFields; ++i) {
    const FieldSpec& f = fmt.fields[i];
    const uint32_t limit = 1u << f.width;
    int64_t value = 0;
    switch (f.kind) {
      case FieldKind::Rd: value = atom.rd; seen.rd = atom.rd; break;
      case FieldKind::Rs1: value = atom.rs1; seen.rs1 = atom.rs1; break;
      case FieldKind::Rs2: value = atom.rs2; seen.rs2 = atom.rs2; break;
      case FieldKind::Width:
        if (atom.width != 1 && atom.width != 2 && atom.width != 4) return std::nullopt;
        value = widthBytesToCode(atom.width);
        seen.width = atom.width;
        break;
      case FieldKind::Cond: value = atom.cond; seen.cond = atom.cond; break;
      case FieldKind::Simm:
      case FieldKind::Off: {
        const int64_t lo = -(int64_t{1} << (f.width - 1));
        const int64_t hi = (int64_t{1} << (f.width - 1)) - 1;
        if (atom.imm < lo || atom.imm > hi) return std::nullopt;
        value = static_cast<int64_t>(static_cast<uint32_t>(atom.imm) & (limit - 1u));
        seen.imm = atom.imm;
        break;
      }
      case FieldKind::Uimm:
        value = atom.imm;
        seen.imm = atom.imm;
        break;
      case FieldKind::Areg:
      case FieldKind::Mask:
      case FieldKind::Seg:
      case FieldKind::Sreg: value = atom.aux; seen.aux = atom.aux; break;
    }
    if (value < 0 || value >= static_cast<int64_t>(limit)) return std::nullopt;
    word |= static_cast<uint32_t>(value) << f.lo;
  }
  if (!(seen == atom)) return std::nullopt;
  if (!decodeAtom(word)) return std::nullopt;  // e.g. an undefined special register
  return word;
}

RegUse regUse(const Atom& atom) {
  RegUse use;
  const uint32_t ops = atomInfo(atom.op).operands;
  auto read = [&](unsigned r) {
    if (r != kZeroReg) use.reads[use.numReads++] = static_cast<uint8_t>(r);
  };
  auto write = [&](unsigned r) {
    if (r != kZeroReg) use.writes[use.numWrites++] = static_cast<uint8_t>(r);
  };
  if (ops & kR1) read(atom.rs1);
  if (ops & kR2) read(atom.rs2);
  if (ops & kRd) read(atom.rd);
  if (ops & kRf) read(kFlagsRegIndex);
  if (ops & kWd) write(atom.rd);
  if (ops & kWf) write(kFlagsRegIndex);
  if (ops & kLink) write(kLinkReg);
  // xflags is also reachable through mfsr/mtsr; it is scoreboarded like a register.
  if (atom.op == Op::MFSR && atom.aux == static_cast<uint8_t>(Sreg::XFLAGS)) read(kFlagsRegIndex);
  if (atom.op == Op::MTSR && atom.aux == static_cast<uint8_t>(Sreg::XFLAGS)) write(kFlagsRegIndex);
  return use;
}

bool featureEnabled(const IsaFeatures& features, Op op) {
  switch (op) {
    case Op::ADD_CC: case Op::ADC_CC: case Op::SUB_CC: case Op::SBB_CC: case Op::AND_CC:
    case Op::OR_CC: case Op::XOR_CC: case Op::SHL_CC: case Op::SHR_CC: case Op::SAR_CC:
    case Op::ROL_CC: case Op::ROR_CC: case Op::IMUL_CC: case Op::INC_CC: case Op::DEC_CC:
    case Op::NEG_CC: case Op::ADDI_CC: case Op::SUBI_CC: case Op::ANDI_CC: case Op::SETCC:
    case Op::SEL: case Op::BCC:
      return features.x86Flags;
    case Op::INS8L: case Op::INS8H: case Op::INS16: case Op::EXT8H:
      return features.partialRegs;
    case Op::AGEN:
      return features.segAgen;
    case Op::TLBWR: case Op::TLBFL:
      return features.hostTlb;
    case Op::LDP8U: case Op::LDP8S: case Op::LDP16U: case Op::LDP16S: case Op::LDP32:
    case Op::STC8: case Op::STC16: case Op::STC32:
      return features.aliasHw;
    default:
      return true;
  }
}

bool slotAccepts(unsigned numAtoms, unsigned slot, Unit unit) {
  if (unit == Unit::Any) return slot < numAtoms;
  // Slot -> units it feeds (docs/isa.md "Slots"). ALU0 is the only multiplier/divider.
  switch (numAtoms) {
    case 2:
      if (slot == 0) return unit == Unit::Alu || unit == Unit::Alu0 || unit == Unit::Lsu || unit == Unit::Fpu;
      if (slot == 1) return unit == Unit::Alu || unit == Unit::Bru;
      return false;
    case 4:
    case 8:
      switch (slot) {
        case 0: return unit == Unit::Alu || unit == Unit::Alu0 || unit == Unit::Fpu;
        case 1: return unit == Unit::Alu;
        case 2: return unit == Unit::Lsu;
        case 3: return unit == Unit::Bru;
        case 4: return numAtoms == 8 && unit == Unit::Alu;
        case 5: return numAtoms == 8 && unit == Unit::Alu;
        case 6: return numAtoms == 8 && unit == Unit::Lsu;
        case 7: return numAtoms == 8 && unit == Unit::Fpu;
        default: return false;
      }
    default:
      return false;
  }
}

std::string_view moleculeErrorText(MoleculeError e) {
  switch (e) {
    case MoleculeError::None: return "ok";
    case MoleculeError::Truncated: return "truncated molecule";
    case MoleculeError::BadSize: return "reserved or disabled molecule size";
    case MoleculeError::ReservedHeader: return "reserved header bit set";
    case MoleculeError::BadAtom: return "undecodable atom";
    case MoleculeError::SlotRule: return "atom in a slot whose unit cannot execute it";
    case MoleculeError::WriteConflict: return "two atoms write the same register";
    case MoleculeError::TwoBranches: return "more than one control-transfer atom";
  }
  return "?";
}

MoleculeError validateMolecule(const Molecule& m, unsigned* badSlot) {
  unsigned scratch = 0;
  unsigned& bad = badSlot ? *badSlot : scratch;
  if (m.numAtoms != 2 && m.numAtoms != 4 && m.numAtoms != 8) return MoleculeError::BadSize;
  uint8_t written[kFlagsRegIndex + 1] = {};
  unsigned branches = 0;
  for (unsigned s = 0; s < m.numAtoms; ++s) {
    const Atom& a = m.atoms[s];
    const AtomInfo& info = atomInfo(a.op);
    bad = s;
    if (!slotAccepts(m.numAtoms, s, info.unit)) return MoleculeError::SlotRule;
    if (info.operands & kBranch) {
      if (++branches > 1) return MoleculeError::TwoBranches;
    }
    const RegUse use = regUse(a);
    for (unsigned w = 0; w < use.numWrites; ++w) {
      if (written[use.writes[w]]++) return MoleculeError::WriteConflict;
    }
  }
  bad = 0;
  return MoleculeError::None;
}

MoleculeDecode decodeMolecule(std::span<const uint8_t> bytes, unsigned maxAtoms) {
  MoleculeDecode out;
  auto word = [&](unsigned i) {
    const uint8_t* p = bytes.data() + 4 * i;
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  };
  if (bytes.size() < 8) {
    out.error = MoleculeError::Truncated;
    return out;
  }
  const uint32_t w0 = word(0);
  const unsigned n = sizeCodeToAtoms(w0 >> kHeaderLo);
  if (n == 0 || n > maxAtoms) {
    out.error = MoleculeError::BadSize;
    return out;
  }
  if (bytes.size() < 4u * n) {
    out.error = MoleculeError::Truncated;
    return out;
  }
  Molecule& m = out.molecule;
  m.numAtoms = static_cast<uint8_t>(n);
  for (unsigned s = 0; s < n; ++s) {
    const uint32_t w = word(s);
    const uint32_t header = w >> kHeaderLo;
    if (s == 1) {
      m.commit = (header & 2u) != 0;
      if (header & 1u) {
        out.error = MoleculeError::ReservedHeader;
        return out;
      }
    } else if (s > 1 && header != 0) {
      out.error = MoleculeError::ReservedHeader;
      return out;
    }
    const auto atom = decodeAtom(w & ~(3u << kHeaderLo));
    if (!atom) {
      out.error = MoleculeError::BadAtom;
      out.badSlot = s;
      return out;
    }
    m.atoms[s] = *atom;
  }
  out.error = validateMolecule(m, &out.badSlot);
  return out;
}

unsigned encodeMolecule(const Molecule& m, std::span<uint32_t> words) {
  if (validateMolecule(m) != MoleculeError::None || words.size() < m.numAtoms) return 0;
  for (unsigned s = 0; s < m.numAtoms; ++s) {
    const auto w = encodeAtom(m.atoms[s]);
    if (!w) return 0;
    words[s] = *w;
  }
  words[0] |= atomsToSizeCode(m.numAtoms) << kHeaderLo;
  if (m.commit) words[1] |= 1u << kCommitBit;
  return m.numAtoms;
}

}  // namespace codemorph::hostisa
