// The host ISA as C++ types and tables, all expanded from isa.def, formats.def,
// sregs.def and traps.def. This header is the only C++ view of encodings: the encoder,
// decoder, assembler, disassembler and ISS go through it. See docs/isa.md.
//
// Molecule layout (ARCHITECTURE.md section 2): 2, 4 or 8 little-endian 32-bit atom
// words, atom 0 at the lowest address, molecules 8-byte aligned.
//   atom 0 bits [31:30]: size code  00 = 2 atoms (64 bits), 01 = 4 atoms (128 bits),
//                                    10 = 8 atoms (256 bits; knob hostisa.max_atoms=8),
//                                    11 = reserved (illegal molecule)
//   atom 1 bit 31: commit bit (the molecule is a commit point); atom 1 bit 30 and bits
//   [31:30] of atoms 2..7 are reserved and must be zero.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace codemorph::hostisa {

// ---- registers -------------------------------------------------------------------------
inline constexpr unsigned kNumRegs = 64;
inline constexpr unsigned kZeroReg = 0;         // reads as zero, writes are dropped
inline constexpr unsigned kFirstShadowed = 1;   // r1..r31 are shadowed (x86-visible state)
inline constexpr unsigned kLastShadowed = 31;
inline constexpr unsigned kLinkReg = 63;        // written by call
inline constexpr unsigned kStackReg = 62;       // firmware convention only
// Pseudo register index used by the scoreboard and hazard rules for xflags (F).
inline constexpr unsigned kFlagsRegIndex = 64;

constexpr bool isShadowed(unsigned reg) { return reg >= kFirstShadowed && reg <= kLastShadowed; }

// ---- enumerations expanded from the tables -------------------------------------------
enum class Op : uint8_t {
#define ATOM(id, mn, opc, fmt, unit, tc, ops, sum) id,
#include "codemorph/hostisa/isa.def"
#undef ATOM
};
inline constexpr unsigned kNumOps = 0
#define ATOM(id, mn, opc, fmt, unit, tc, ops, sum) +1
#include "codemorph/hostisa/isa.def"
#undef ATOM
    ;

enum class Format : uint8_t {
#define FORMAT(name, syn, fields) name,
#include "codemorph/hostisa/formats.def"
#undef FORMAT
};
inline constexpr unsigned kNumFormats = 0
#define FORMAT(name, syn, fields) +1
#include "codemorph/hostisa/formats.def"
#undef FORMAT
    ;

enum class Sreg : uint8_t {
#define SREG(id, name, num, sh, wr, desc) id = num,
#include "codemorph/hostisa/sregs.def"
#undef SREG
};

enum class TrapCause : uint8_t {
  None = 0,
#define TRAP_CAUSE(id, num, name, desc) id = num,
#include "codemorph/hostisa/traps.def"
#undef TRAP_CAUSE
};

// Which units a slot feeds; an atom names the unit kinds that can execute it.
enum class Unit : uint8_t { Alu, Alu0, Lsu, Fpu, Bru, Any };
enum class TimingClass : uint8_t { Alu, Mul, Div, Load, Store, Branch, Sys };
inline constexpr unsigned kNumTimingClasses = 7;
std::string_view timingClassName(TimingClass tc);
std::string_view unitName(Unit u);

// Operand/effect flags of an atom (isa.def column "Operands").
enum OperandFlags : uint32_t {
  kWd = 1u << 0,      // writes rd
  kRd = 1u << 1,      // reads rd (partial-register insert, lih)
  kR1 = 1u << 2,      // reads rs1
  kR2 = 1u << 3,      // reads rs2
  kRf = 1u << 4,      // reads xflags
  kWf = 1u << 5,      // writes xflags
  kLoad = 1u << 6,
  kStore = 1u << 7,
  kGuest = 1u << 8,   // guest (x86 linear) address, through the host TLB
  kIo = 1u << 9,      // I/O-safe access: performed in order, may touch I/O space
  kBranch = 1u << 10, // may change the pc (branches, traps, svc, halt, eret, rollback)
  kLink = 1u << 11,   // writes r63 (call)
  kSys = 1u << 12,    // system atom (special registers, traps, TLB)
};

// Fields an atom format may contain (formats.def).
enum class FieldKind : uint8_t { Rd, Rs1, Rs2, Width, Cond, Simm, Uimm, Areg, Mask, Off, Seg, Sreg };
struct FieldSpec {
  FieldKind kind;
  uint8_t lo;
  uint8_t width;
};
struct FormatInfo {
  std::string_view name;
  std::string_view syntax;      // operand syntax shown in docs/isa.md
  std::array<FieldSpec, 5> fields;
  uint8_t numFields;
  uint32_t reservedMask;        // body bits [22:0] no field covers: must be zero
};
struct AtomInfo {
  Op op;
  std::string_view mnemonic;
  uint8_t opcode;               // bits [29:23]
  Format format;
  Unit unit;
  TimingClass timing;
  uint32_t operands;            // OperandFlags
  std::string_view summary;
};
struct SregInfo {
  Sreg id;
  std::string_view name;
  uint8_t number;
  bool shadowed;
  bool writable;
  std::string_view description;
};
struct TrapCauseInfo {
  TrapCause cause;
  std::string_view name;
  std::string_view description;
};

// ---- bit layout constants (also emitted into the SystemVerilog package) ---------------
inline constexpr unsigned kAtomBits = 32;
inline constexpr unsigned kOpcodeLo = 23;
inline constexpr unsigned kOpcodeWidth = 7;
inline constexpr unsigned kHeaderLo = 30;       // header bits [31:30]
inline constexpr uint32_t kBodyMask = 0x007FFFFFu; // operand fields, bits [22:0]
inline constexpr unsigned kCommitBit = 31;      // in atom 1
inline constexpr unsigned kMoleculeAlign = 8;   // bytes; branch offsets count these units
inline constexpr unsigned kMaxAtoms = 8;

// Size codes in atom 0 bits [31:30].
inline constexpr unsigned sizeCodeToAtoms(unsigned code) { return code == 0 ? 2 : code == 1 ? 4 : code == 2 ? 8 : 0; }
inline constexpr unsigned atomsToSizeCode(unsigned atoms) { return atoms == 2 ? 0 : atoms == 4 ? 1 : 2; }

// Operand widths in the Width field: 0 = 8, 1 = 16, 2 = 32 bits, 3 reserved (illegal).
inline constexpr unsigned widthCodeToBytes(unsigned code) { return code == 0 ? 1 : code == 1 ? 2 : code == 2 ? 4 : 0; }
inline constexpr unsigned widthBytesToCode(unsigned bytes) { return bytes == 1 ? 0 : bytes == 2 ? 1 : 2; }

// x86 condition codes (Intel SDM Vol. 2, Appendix B.1.4.7, "tttn" encoding).
inline constexpr std::array<std::string_view, 16> kCondNames = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};

// TLB entry value written by tlbwr rs2: physical page number in [31:12], attributes below.
inline constexpr uint32_t kTlbValid = 1u << 0;
inline constexpr uint32_t kTlbWritable = 1u << 1;
inline constexpr uint32_t kTlbDirtyOk = 1u << 2;
inline constexpr unsigned kPageShift = 12;

// ---- tables -----------------------------------------------------------------------------
std::span<const AtomInfo> atomTable();
std::span<const FormatInfo> formatTable();
std::span<const SregInfo> sregTable();
std::span<const TrapCauseInfo> trapCauseTable();

const AtomInfo& atomInfo(Op op);
const FormatInfo& formatInfo(Format f);
const SregInfo* sregInfo(unsigned number);            // nullptr if not defined
const TrapCauseInfo* trapCauseInfo(TrapCause cause);   // nullptr if not defined
std::optional<Op> opFromOpcode(unsigned opcode);
std::optional<Op> opFromMnemonic(std::string_view mnemonic);
std::optional<unsigned> sregFromName(std::string_view name);

// Masks for the overlap check (Spike's check-opcode-overlap): an atom word w encodes
// op iff (w & mask) == match, where mask covers the opcode and the reserved bits.
uint32_t encodingMask(Op op);
uint32_t encodingMatch(Op op);

// ---- atoms ----------------------------------------------------------------------------
// A decoded atom. Fields not present in the atom's format are zero.
struct Atom {
  Op op = Op::NOP;
  uint8_t rd = 0;
  uint8_t rs1 = 0;
  uint8_t rs2 = 0;
  uint8_t width = 0;   // operand width in bytes (1, 2, 4) for formats with Width, else 0
  uint8_t cond = 0;
  uint8_t aux = 0;     // Areg, Mask, Seg or Sreg, whichever the format has
  int32_t imm = 0;     // Simm/Uimm value, or Off in molecule units (8 bytes)

  bool operator==(const Atom&) const = default;
};

// An atom from its fields (the order of the assembler's operands: rd, rs1, rs2, imm, then
// width, cond, aux); for code that builds molecules in C++ (translator emitter, CMS
// self-checking prologues, tests).
constexpr Atom makeAtom(Op op, unsigned rd = 0, unsigned rs1 = 0, unsigned rs2 = 0, int32_t imm = 0,
                        unsigned width = 0, unsigned cond = 0, unsigned aux = 0) {
  Atom a;
  a.op = op;
  a.rd = static_cast<uint8_t>(rd);
  a.rs1 = static_cast<uint8_t>(rs1);
  a.rs2 = static_cast<uint8_t>(rs2);
  a.width = static_cast<uint8_t>(width);
  a.cond = static_cast<uint8_t>(cond);
  a.aux = static_cast<uint8_t>(aux);
  a.imm = imm;
  return a;
}

// Decode one atom word's body (header bits [31:30] ignored). nullopt if the opcode is
// undefined, a reserved bit is set or a field holds a reserved value.
std::optional<Atom> decodeAtom(uint32_t word);
// Encode; fails (nullopt) when a field value does not fit its format.
std::optional<uint32_t> encodeAtom(const Atom& atom);

// Registers an atom reads and writes, as indices 0..63 plus kFlagsRegIndex for xflags.
struct RegUse {
  std::array<uint8_t, 4> reads{};
  uint8_t numReads = 0;
  std::array<uint8_t, 3> writes{};
  uint8_t numWrites = 0;
};
RegUse regUse(const Atom& atom);

// ---- molecules -----------------------------------------------------------------------
struct Molecule {
  uint8_t numAtoms = 2;   // 2, 4 or 8
  bool commit = false;
  std::array<Atom, kMaxAtoms> atoms{};
  bool operator==(const Molecule&) const = default;
  unsigned bytes() const { return numAtoms * 4u; }
};

// Knobs of the co-designed features (configuration section "hostisa"). Every feature can
// be switched off for studies: its atoms then raise an ILLEGAL trap when executed, and
// the translator must not emit them.
struct IsaFeatures {
  bool x86Flags = true;     // hostisa.x86_flags: *.cc, setcc, sel, bcc
  bool partialRegs = true;  // hostisa.partial_regs: ins8l/ins8h/ins16/ext8h
  bool segAgen = true;      // hostisa.seg_agen: agen
  bool hostTlb = true;      // hostisa.host_tlb: guest accesses through the host TLB;
                            // off: guest linear address = physical address, tlbwr/tlbfl illegal
  bool aliasHw = true;      // hostisa.alias_hw: ldp*/stc* (off: illegal)
  unsigned maxAtoms = 4;    // hostisa.max_atoms: 4 (Crusoe) or 8 (Efficeon-like)
};
bool featureEnabled(const IsaFeatures& features, Op op);

// Slot rules: which unit kinds slot s of an n-atom molecule accepts.
bool slotAccepts(unsigned numAtoms, unsigned slot, Unit unit);

enum class MoleculeError : uint8_t {
  None,
  Truncated,        // fewer bytes than the size code asks for
  BadSize,          // size code 11, or 8 atoms while maxAtoms is 4
  ReservedHeader,   // a reserved header bit is set
  BadAtom,          // an atom word does not decode
  SlotRule,         // an atom sits in a slot whose unit cannot execute it
  WriteConflict,    // two atoms write the same register (or xflags)
  TwoBranches,      // more than one atom that may change the pc
};
std::string_view moleculeErrorText(MoleculeError e);

struct MoleculeDecode {
  Molecule molecule;
  MoleculeError error = MoleculeError::None;
  unsigned badSlot = 0;   // for BadAtom/SlotRule/WriteConflict
};
// Decode the molecule at the start of bytes (at most bytes.size() are read).
MoleculeDecode decodeMolecule(std::span<const uint8_t> bytes, unsigned maxAtoms = kMaxAtoms);
// Check slot rules and hazards of an already-built molecule.
MoleculeError validateMolecule(const Molecule& m, unsigned* badSlot = nullptr);
// Encode a molecule as numAtoms little-endian words (header bits set here). The molecule
// must validate; returns the number of words written, 0 on failure.
unsigned encodeMolecule(const Molecule& m, std::span<uint32_t> words);

}  // namespace codemorph::hostisa
