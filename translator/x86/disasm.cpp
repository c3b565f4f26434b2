// Debug disassembly of DecodedInsn (Intel syntax). Used by traces and test messages;
// Capstone remains the reference disassembler for user-facing traces.
#include <codemorph/x86/disasm.h>

#include <cstdio>

namespace codemorph::x86 {
namespace {

constexpr const char* kRegNames[] = {
    "?",   "al",  "cl",  "dl",  "bl",  "ah",  "ch",  "dh",  "bh",  "ax",  "cx",  "dx",
    "bx",  "sp",  "bp",  "si",  "di",  "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi",
    "edi", "es",  "cs",  "ss",  "ds",  "fs",  "gs",  "cr0", "cr1", "cr2", "cr3", "cr4",
    "cr5", "cr6", "cr7", "dr0", "dr1", "dr2", "dr3", "dr4", "dr5", "dr6", "dr7", "st(0)",
    "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "mm0", "mm1", "mm2",
    "mm3", "mm4", "mm5", "mm6", "mm7"};
static_assert(sizeof(kRegNames) / sizeof(kRegNames[0]) == static_cast<unsigned>(Reg::MM7) + 1);

constexpr const char* kCond[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                   "s", "ns", "p", "np", "l", "ge", "le", "g"};
constexpr const char* kSegNames[] = {"es", "cs", "ss", "ds", "fs", "gs"};

const char* sizePtr(uint8_t size) {
  switch (size) {
    case 1: return "byte ptr ";
    case 2: return "word ptr ";
    case 4: return "dword ptr ";
    case 6: return "fword ptr ";
    case 8: return "qword ptr ";
    case 10: return "tbyte ptr ";
    default: return "";
  }
}

void appendHex(std::string& s, uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  s += buf;
}

bool isString(Mnemonic m) {
  switch (m) {
    case Mnemonic::MOVS: case Mnemonic::CMPS: case Mnemonic::STOS: case Mnemonic::LODS:
    case Mnemonic::SCAS: case Mnemonic::INS: case Mnemonic::OUTS:
      return true;
    default:
      return false;
  }
}

std::string mnemonicText(const DecodedInsn& d) {
  std::string name(mnemonicName(d.mnemonic));
  for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const bool o32 = d.opSize == 4;
  switch (d.mnemonic) {
    case Mnemonic::JCC: return std::string("j") + kCond[d.cond];
    case Mnemonic::SETCC: return std::string("set") + kCond[d.cond];
    case Mnemonic::CMOVCC: return std::string("cmov") + kCond[d.cond];
    case Mnemonic::CBW: return o32 ? "cwde" : "cbw";
    case Mnemonic::CWD: return o32 ? "cdq" : "cwd";
    case Mnemonic::PUSHA: case Mnemonic::POPA: case Mnemonic::PUSHF: case Mnemonic::POPF:
    case Mnemonic::IRET:
      return o32 ? name + "d" : name;
    case Mnemonic::JCXZ: return d.addrSize == 4 ? "jecxz" : "jcxz";
    case Mnemonic::CALLF: return "lcall";
    case Mnemonic::JMPF: return "ljmp";
    default: break;
  }
  if (isString(d.mnemonic)) {
    const uint8_t size = d.op[0].size ? d.op[0].size : d.op[1].size;
    return name + (size == 1 ? "b" : size == 2 ? "w" : "d");
  }
  return name;
}

}  // namespace

std::string_view regName(Reg r) {
  const auto i = static_cast<unsigned>(r);
  return i < sizeof(kRegNames) / sizeof(kRegNames[0]) ? kRegNames[i] : "?";
}

std::string toString(const DecodedInsn& d, uint32_t eip) {
  if (d.mnemonic == Mnemonic::INVALID) return "(bad)";
  std::string s;
  if (d.prefixes & kPfxLock) s += "lock ";
  if (d.rep == 0xF3) s += isString(d.mnemonic) && d.mnemonic != Mnemonic::CMPS && d.mnemonic != Mnemonic::SCAS ? "rep " : "repe ";
  if (d.rep == 0xF2) s += "repne ";
  s += mnemonicText(d);
  if (isString(d.mnemonic)) return s;  // operands are implied by the suffix
  for (unsigned i = 0; i < d.numOperands; ++i) {
    const Operand& o = d.op[i];
    s += i == 0 ? " " : ", ";
    switch (o.kind) {
      case OpKind::Reg: s += regName(o.reg); break;
      case OpKind::Imm: appendHex(s, o.size < 4 ? o.value & ((1u << (8 * o.size)) - 1u) : o.value); break;
      case OpKind::Rel: appendHex(s, branchTarget(d, o, eip)); break;
      case OpKind::Far:
        appendHex(s, o.selector);
        s += ":";
        appendHex(s, o.value);
        break;
      case OpKind::Mem: {
        s += sizePtr(o.size);
        if (d.segOverride != Seg::None) {
          s += kSegNames[static_cast<unsigned>(o.seg)];
          s += ":";
        }
        s += "[";
        bool any = false;
        if (o.reg != Reg::None) { s += regName(o.reg); any = true; }
        if (o.index != Reg::None) {
          if (any) s += "+";
          s += regName(o.index);
          if (o.scale != 1) { s += "*"; s += static_cast<char>('0' + o.scale); }
          any = true;
        }
        const int32_t disp = static_cast<int32_t>(o.value);
        if (!any) {
          appendHex(s, d.addrSize == 2 ? (o.value & 0xFFFFu) : o.value);
        } else if (disp != 0) {
          s += disp < 0 ? "-" : "+";
          appendHex(s, disp < 0 ? 0u - o.value : o.value);
        }
        s += "]";
        break;
      }
      case OpKind::None: break;
    }
  }
  return s;
}

}  // namespace codemorph::x86
