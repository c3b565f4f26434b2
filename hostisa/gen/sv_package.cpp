// Emits codemorph_isa_pkg.sv: everything the RTL needs to know about encodings, derived
// from the same tables as the C++ decoder, so the two cannot drift apart.
#include <cctype>
#include <iomanip>
#include <sstream>
#include <string>

#include "codemorph/hostisa/isa.h"
#include "isa_gen.h"

namespace codemorph::hostisa::gen {
namespace {

std::string upper(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string hex(uint64_t v, int digits) {
  std::ostringstream os;
  os << std::hex << std::uppercase << std::setw(digits) << std::setfill('0') << v;
  return os.str();
}

std::string opName(const AtomInfo& a) { return "OP_" + upper(a.mnemonic); }
std::string fmtName(Format f) { return "FMT_" + upper(formatInfo(f).name); }
std::string unitEnum(Unit u) { return "UNIT_" + upper(unitName(u)); }
std::string tcEnum(TimingClass t) { return "TC_" + upper(timingClassName(t)); }

std::string bits(const FieldSpec& f) {
  return "w[" + std::to_string(f.lo + f.width - 1) + ":" + std::to_string(f.lo) + "]";
}

void emitEnums(std::ostream& o) {
  o << "  typedef enum logic [" << kOpcodeWidth - 1 << ":0] {\n";
  const auto atoms = atomTable();
  for (size_t i = 0; i < atoms.size(); ++i) {
    o << "    " << opName(atoms[i]) << " = " << kOpcodeWidth << "'h" << hex(atoms[i].opcode, 2)
      << (i + 1 < atoms.size() ? "," : "") << "  // " << atoms[i].summary << "\n";
  }
  o << "  } opcode_e;\n\n";

  o << "  typedef enum logic [4:0] {\n";
  const auto formats = formatTable();
  for (size_t i = 0; i < formats.size(); ++i) {
    o << "    " << fmtName(static_cast<Format>(i)) << " = 5'd" << i << (i + 1 < formats.size() ? "," : "") << "\n";
  }
  o << "  } format_e;\n\n";

  o << "  typedef enum logic [2:0] {\n";
  for (unsigned u = 0; u <= static_cast<unsigned>(Unit::Any); ++u) {
    o << "    " << unitEnum(static_cast<Unit>(u)) << " = 3'd" << u << (u < static_cast<unsigned>(Unit::Any) ? "," : "")
      << "\n";
  }
  o << "  } unit_e;\n\n";

  o << "  typedef enum logic [2:0] {\n";
  for (unsigned t = 0; t < kNumTimingClasses; ++t) {
    o << "    " << tcEnum(static_cast<TimingClass>(t)) << " = 3'd" << t << (t + 1 < kNumTimingClasses ? "," : "") << "\n";
  }
  o << "  } timing_class_e;\n\n";

  o << "  typedef enum logic [7:0] {\n";
  const auto sregs = sregTable();
  for (size_t i = 0; i < sregs.size(); ++i) {
    o << "    SR_" << upper(sregs[i].name) << " = 8'h" << hex(sregs[i].number, 2) << (i + 1 < sregs.size() ? "," : "")
      << "  // " << (sregs[i].shadowed ? "shadowed; " : "") << sregs[i].description << "\n";
  }
  o << "  } sreg_e;\n\n";

  o << "  typedef enum logic [7:0] {\n    TRAP_NONE = 8'd0";
  for (const TrapCauseInfo& t : trapCauseTable()) {
    o << ",\n    TRAP_" << upper(t.name) << " = 8'd" << static_cast<unsigned>(t.cause);
  }
  o << "\n  } trap_cause_e;\n\n";
}

void emitOperandFlags(std::ostream& o) {
  const std::pair<const char*, uint32_t> flags[] = {
      {"WD", kWd}, {"RD", kRd}, {"R1", kR1}, {"R2", kR2}, {"RF", kRf}, {"WF", kWf}, {"LOAD", kLoad},
      {"STORE", kStore}, {"GUEST", kGuest}, {"IO", kIo}, {"BRANCH", kBranch}, {"LINK", kLink}, {"SYS", kSys}};
  o << "  // Operand/effect flags (isa.h OperandFlags), one bit each in atom_operands().\n";
  for (const auto& [name, bit] : flags) {
    o << "  localparam logic [12:0] OPF_" << name << " = 13'h" << hex(bit, 4) << ";\n";
  }
  o << "\n";
}

template <typename Value>
void emitOpcodeFunction(std::ostream& o, const char* type, const char* name, const char* dflt, Value value) {
  o << "  function automatic " << type << " " << name << "(logic [" << kOpcodeWidth - 1 << ":0] opc);\n";
  o << "    unique case (opc)\n";
  for (const AtomInfo& a : atomTable()) {
    o << "      " << kOpcodeWidth << "'h" << hex(a.opcode, 2) << ": return " << value(a) << ";\n";
  }
  o << "      default: return " << dflt << ";\n    endcase\n  endfunction\n\n";
}

void emitTables(std::ostream& o) {
  uint64_t defined[2] = {0, 0};
  for (const AtomInfo& a : atomTable()) defined[a.opcode / 64] |= uint64_t{1} << (a.opcode % 64);
  o << "  // Bit n set: opcode n is defined.\n";
  o << "  localparam logic [127:0] OPCODE_DEFINED = 128'h" << hex(defined[1], 16) << "_" << hex(defined[0], 16)
    << ";\n";
  uint64_t sdef[4] = {0, 0, 0, 0};
  for (const SregInfo& s : sregTable()) sdef[s.number / 64] |= uint64_t{1} << (s.number % 64);
  uint64_t sshadow[4] = {0, 0, 0, 0};
  for (const SregInfo& s : sregTable()) {
    if (s.shadowed) sshadow[s.number / 64] |= uint64_t{1} << (s.number % 64);
  }
  o << "  // Bit n set: special register n is defined / shadowed.\n";
  o << "  localparam logic [255:0] SREG_DEFINED = 256'h" << hex(sdef[3], 16) << "_" << hex(sdef[2], 16) << "_"
    << hex(sdef[1], 16) << "_" << hex(sdef[0], 16) << ";\n";
  o << "  localparam logic [255:0] SREG_SHADOWED = 256'h" << hex(sshadow[3], 16) << "_" << hex(sshadow[2], 16) << "_"
    << hex(sshadow[1], 16) << "_" << hex(sshadow[0], 16) << ";\n\n";

  emitOpcodeFunction(o, "format_e", "atom_format", "FMT_N", [](const AtomInfo& a) { return fmtName(a.format); });
  emitOpcodeFunction(o, "unit_e", "atom_unit", "UNIT_ANY", [](const AtomInfo& a) { return unitEnum(a.unit); });
  emitOpcodeFunction(o, "timing_class_e", "atom_timing", "TC_ALU",
                     [](const AtomInfo& a) { return tcEnum(a.timing); });
  emitOpcodeFunction(o, "logic [12:0]", "atom_operands", "13'h0000",
                     [](const AtomInfo& a) { return "13'h" + hex(a.operands, 4); });

  o << "  // Operand bits [22:0] no field of the format covers; they must be zero.\n";
  o << "  function automatic logic [22:0] format_reserved(format_e f);\n    unique case (f)\n";
  for (unsigned i = 0; i < kNumFormats; ++i) {
    o << "      " << fmtName(static_cast<Format>(i)) << ": return 23'h" << hex(formatInfo(static_cast<Format>(i)).reservedMask, 6)
      << ";\n";
  }
  o << "      default: return 23'h7FFFFF;\n    endcase\n  endfunction\n\n";

  o << "  // Slot rules: may slot `slot` of a molecule of `num_atoms` atoms hold an atom of unit u?\n";
  o << "  function automatic logic slot_accepts(logic [3:0] num_atoms, logic [2:0] slot, unit_e u);\n";
  o << "    if (u == UNIT_ANY) return {1'b0, slot} < num_atoms;\n";
  o << "    unique case ({num_atoms, slot})\n";
  for (unsigned n : {2u, 4u, 8u}) {
    for (unsigned s = 0; s < n; ++s) {
      std::string cond;
      for (unsigned u = 0; u < static_cast<unsigned>(Unit::Any); ++u) {
        if (slotAccepts(n, s, static_cast<Unit>(u))) {
          cond += (cond.empty() ? "" : " || ") + std::string("u == ") + unitEnum(static_cast<Unit>(u));
        }
      }
      o << "      {4'd" << n << ", 3'd" << s << "}: return " << (cond.empty() ? "1'b0" : cond) << ";\n";
    }
  }
  o << "      default: return 1'b0;\n    endcase\n  endfunction\n\n";
}

void emitDecoder(std::ostream& o) {
  o << "  // One decoded atom; fields a format lacks are zero (same as hostisa::Atom).\n";
  o << "  typedef struct packed {\n"
       "    logic        valid;\n"
       "    opcode_e     op;\n"
       "    logic [5:0]  rd;\n"
       "    logic [5:0]  rs1;\n"
       "    logic [5:0]  rs2;\n"
       "    logic [2:0]  width;  // bytes: 1, 2 or 4\n"
       "    logic [3:0]  cond;\n"
       "    logic [7:0]  aux;    // Areg, Mask, Seg or Sreg\n"
       "    logic [31:0] imm;    // Simm/Uimm, or Off in molecule units\n"
       "  } atom_t;\n\n";
  o << "  // Decodes an atom body (bits [29:0]; the header bits [31:30] belong to the molecule).\n";
  o << "  function automatic atom_t decode_atom(logic [29:0] w);\n";
  o << "    atom_t a;\n    format_e f;\n    logic [1:0] wc;\n";
  o << "    a = '0;\n    wc = 2'd0;\n";
  o << "    a.op = opcode_e'(w[" << kOpcodeLo + kOpcodeWidth - 1 << ":" << kOpcodeLo << "]);\n";
  o << "    f = atom_format(w[" << kOpcodeLo + kOpcodeWidth - 1 << ":" << kOpcodeLo << "]);\n";
  o << "    a.valid = OPCODE_DEFINED[w[" << kOpcodeLo + kOpcodeWidth - 1 << ":" << kOpcodeLo
    << "]] && ((w[22:0] & format_reserved(f)) == 23'h0);\n";
  o << "    unique case (f)\n";
  for (unsigned i = 0; i < kNumFormats; ++i) {
    const FormatInfo& fmt = formatInfo(static_cast<Format>(i));
    o << "      " << fmtName(static_cast<Format>(i)) << ": begin";
    if (fmt.numFields == 0) o << " end\n";
    else o << "\n";
    for (unsigned k = 0; k < fmt.numFields; ++k) {
      const FieldSpec& fs = fmt.fields[k];
      const std::string src = bits(fs);
      const unsigned top = fs.lo + fs.width - 1;
      o << "        ";
      switch (fs.kind) {
        case FieldKind::Rd: o << "a.rd = " << src << ";"; break;
        case FieldKind::Rs1: o << "a.rs1 = " << src << ";"; break;
        case FieldKind::Rs2: o << "a.rs2 = " << src << ";"; break;
        case FieldKind::Width: o << "wc = " << src << ";"; break;
        case FieldKind::Cond: o << "a.cond = " << src << ";"; break;
        case FieldKind::Simm:
        case FieldKind::Off:
          o << "a.imm = {{" << 32 - fs.width << "{w[" << top << "]}}, " << src << "};";
          break;
        case FieldKind::Uimm: o << "a.imm = {" << 32 - fs.width << "'h0, " << src << "};"; break;
        default:
          o << "a.aux = ";
          if (fs.width < 8) {
            o << "{" << 8 - fs.width << "'h0, " << src << "}";
          } else {
            o << src;
          }
          o << ";";
          break;
      }
      o << "\n";
    }
    bool hasWidth = false;
    bool hasSreg = false;
    for (unsigned k = 0; k < fmt.numFields; ++k) {
      hasWidth |= fmt.fields[k].kind == FieldKind::Width;
      hasSreg |= fmt.fields[k].kind == FieldKind::Sreg;
    }
    if (hasWidth) {
      o << "        a.width = (wc == 2'd0) ? 3'd1 : (wc == 2'd1) ? 3'd2 : 3'd4;\n";
      o << "        if (wc == 2'd3) a.valid = 1'b0;\n";
    }
    if (hasSreg) o << "        if (!SREG_DEFINED[a.aux]) a.valid = 1'b0;\n";
    if (fmt.numFields != 0) o << "      end\n";
  }
  o << "      default: a.valid = 1'b0;\n    endcase\n    return a;\n  endfunction\n\n";
}

}  // namespace

void writeSvPackage(std::ostream& o) {
  o << "// Generated by hostisa/gen/isa_gen from hostisa/include/codemorph/hostisa/*.def.\n"
       "// Do not edit: change the ISA description instead. Layout: see docs/isa.md.\n"
       "package codemorph_isa_pkg;\n\n";
  o << "  localparam int unsigned ATOM_W = " << kAtomBits << ";\n";
  o << "  localparam int unsigned OPCODE_LO = " << kOpcodeLo << ";\n";
  o << "  localparam int unsigned OPCODE_W = " << kOpcodeWidth << ";\n";
  o << "  localparam int unsigned HEADER_LO = " << kHeaderLo << ";  // atom 0 [31:30]: size code\n";
  o << "  localparam int unsigned COMMIT_BIT = " << kCommitBit << ";  // in atom 1\n";
  o << "  localparam int unsigned MOLECULE_ALIGN = " << kMoleculeAlign << ";\n";
  o << "  localparam int unsigned MAX_ATOMS = " << kMaxAtoms << ";\n";
  o << "  localparam int unsigned NUM_REGS = " << kNumRegs << ";\n";
  o << "  localparam int unsigned FIRST_SHADOWED = " << kFirstShadowed << ";\n";
  o << "  localparam int unsigned LAST_SHADOWED = " << kLastShadowed << ";\n";
  o << "  localparam int unsigned LINK_REG = " << kLinkReg << ";\n";
  o << "  localparam int unsigned FLAGS_REG_INDEX = " << kFlagsRegIndex << ";  // scoreboard index of xflags\n";
  o << "  localparam int unsigned PAGE_SHIFT = " << kPageShift << ";\n";
  o << "  localparam logic [31:0] TLB_VALID = 32'h" << hex(kTlbValid, 8) << ";\n";
  o << "  localparam logic [31:0] TLB_WRITABLE = 32'h" << hex(kTlbWritable, 8) << ";\n";
  o << "  localparam logic [31:0] TLB_DIRTY_OK = 32'h" << hex(kTlbDirtyOk, 8) << ";\n\n";
  o << "  // Size code (atom 0 bits [31:30]) to atom count; 0 = reserved.\n";
  o << "  function automatic logic [3:0] size_code_atoms(logic [1:0] code);\n"
       "    unique case (code)\n"
       "      2'd0: return 4'd" << sizeCodeToAtoms(0) << ";\n"
       "      2'd1: return 4'd" << sizeCodeToAtoms(1) << ";\n"
       "      2'd2: return 4'd" << sizeCodeToAtoms(2) << ";\n"
       "      default: return 4'd0;\n"
       "    endcase\n  endfunction\n\n";
  emitEnums(o);
  emitOperandFlags(o);
  emitTables(o);
  emitDecoder(o);
  o << "endpackage : codemorph_isa_pkg\n";
}

}  // namespace codemorph::hostisa::gen
