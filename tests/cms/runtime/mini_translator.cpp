// See mini_translator.h. Layout of a translation:
//   entry:  addi r30, r30, -N ; blt r30, zero, over          (rule 1)
//           ... one group of molecules per instruction ...
//   exitK:  li/lih r9, target ; { addi r30, r30, N-retired ; j FW_DISPATCH } commit
//   over:   rollback ; j FW_EXIT_BUDGET
#include "mini_translator.h"

#include <codemorph/hostisa/assembler.h>

#include <sstream>
#include <string>
#include <vector>

namespace codemorph::cms::test {
namespace {

using x86::Mnemonic;
using x86::OpKind;

const char* const kCond[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
const char* const kSeg[6] = {"es", "cs", "ss", "ds", "fs", "gs"};

bool isGpr32(const x86::Operand& op) {
  return op.kind == OpKind::Reg && op.reg >= x86::Reg::EAX && op.reg <= x86::Reg::EDI;
}
std::string host(x86::Reg r) { return "r" + std::to_string(1 + static_cast<unsigned>(r) - static_cast<unsigned>(x86::Reg::EAX)); }
bool simpleMem(const x86::Operand& op) {
  return op.kind == OpKind::Mem && op.size == 4 && op.index == x86::Reg::None &&
         (op.reg == x86::Reg::None || (op.reg >= x86::Reg::EAX && op.reg <= x86::Reg::EDI)) &&
         static_cast<unsigned>(op.seg) < 6;
}
std::string loadConst(const std::string& reg, uint32_t v) {
  std::ostringstream o;
  o << "        li " << reg << ", " << (v & 0xFFFF) << "\n        lih " << reg << ", " << (v >> 16) << "\n";
  return o.str();
}
// r11 = segment base + base register + displacement, limit-checked (agen).
std::string address(const x86::Operand& op) {
  std::string s = loadConst("r10", op.value);
  if (op.reg != x86::Reg::None) s += "        add r10, r10, " + host(op.reg) + "\n";
  s += "        agen.32 r11, r10, " + std::string(kSeg[static_cast<unsigned>(op.seg)]) + "\n";
  return s;
}
bool aluOp(Mnemonic m) {
  return m == Mnemonic::ADD || m == Mnemonic::SUB || m == Mnemonic::CMP || m == Mnemonic::AND || m == Mnemonic::XOR;
}
const char* aluAtom(Mnemonic m) {
  switch (m) {
    case Mnemonic::ADD: return "add.cc.32";
    case Mnemonic::AND: return "and.cc.32";
    case Mnemonic::XOR: return "xor.cc.32";
    default: return "sub.cc.32";  // SUB, CMP
  }
}

}  // namespace

bool MiniTranslator::isTranslatable(const x86::DecodedInsn& in, const translator::RegionMode& mode) {
  if (!mode.code32 || in.opSize != 4 || in.addrSize != 4 || in.prefixes != 0) return false;
  switch (in.mnemonic) {
    case Mnemonic::NOP: return in.numOperands == 0;
    case Mnemonic::INC: case Mnemonic::DEC: return isGpr32(in.op[0]);
    case Mnemonic::MOV:
      if (in.map != 0) return false;
      if (isGpr32(in.op[0])) return isGpr32(in.op[1]) || in.op[1].kind == OpKind::Imm || simpleMem(in.op[1]);
      return simpleMem(in.op[0]) && isGpr32(in.op[1]);
    case Mnemonic::JMP: return in.op[0].kind == OpKind::Rel;
    case Mnemonic::JCC: return in.op[0].kind == OpKind::Rel;
    default:
      return aluOp(in.mnemonic) && isGpr32(in.op[0]) && (isGpr32(in.op[1]) || in.op[1].kind == OpKind::Imm);
  }
}

translator::TranslateResult MiniTranslator::translate(const translator::TranslateRequest& req) {
  ++calls;
  lastRegion = req.insns;
  translator::TranslateResult result;
  const auto& insns = req.insns;
  const uint32_t n = static_cast<uint32_t>(insns.size());
  struct PendingExit {
    uint32_t target;
    uint32_t retired;
  };
  std::vector<PendingExit> exits;
  std::ostringstream body;
  uint32_t stores = 0;
  auto exitTo = [&](uint32_t target, uint32_t retired) {
    exits.push_back({target, retired});
    return "x" + std::to_string(exits.size() - 1);
  };
  for (uint32_t i = 0; i < n; ++i) {
    const translator::RegionInsn& ri = insns[i];
    const x86::DecodedInsn& in = ri.insn;
    if (!isTranslatable(in, req.mode)) {
      result.error = "mini translator: unsupported instruction at " + std::to_string(ri.eip);
      return result;
    }
    const uint32_t next = ri.eip + in.length;
    const bool last = i + 1 == n;
    switch (in.mnemonic) {
      case Mnemonic::NOP: break;
      case Mnemonic::INC: body << "        inc.cc.32 " << host(in.op[0].reg) << ", " << host(in.op[0].reg) << "\n"; break;
      case Mnemonic::DEC: body << "        dec.cc.32 " << host(in.op[0].reg) << ", " << host(in.op[0].reg) << "\n"; break;
      case Mnemonic::MOV:
        if (isGpr32(in.op[0]) && isGpr32(in.op[1])) {
          body << "        add " << host(in.op[0].reg) << ", " << host(in.op[1].reg) << ", zero\n";
        } else if (isGpr32(in.op[0]) && in.op[1].kind == OpKind::Imm) {
          body << loadConst(host(in.op[0].reg), in.op[1].value);
        } else if (isGpr32(in.op[0])) {
          body << address(in.op[1]) << "        ldg32 " << host(in.op[0].reg) << ", 0(r11)\n";
        } else {
          body << address(in.op[0]) << "        stg32 " << host(in.op[1].reg) << ", 0(r11)\n";
          ++stores;
        }
        break;
      case Mnemonic::JMP:
        body << "        j " << exitTo(x86::branchTarget(in, in.op[0], ri.eip), i + 1) << "\n";
        break;
      case Mnemonic::JCC: {
        const uint32_t target = x86::branchTarget(in, in.op[0], ri.eip);
        if (last) {
          body << "        bcc " << kCond[in.cond] << ", " << exitTo(target, i + 1) << "\n";
          body << "        j " << exitTo(next, i + 1) << "\n";
        } else if (ri.followTaken) {
          body << "        bcc " << kCond[in.cond ^ 1] << ", " << exitTo(next, i + 1) << "\n";
        } else {
          body << "        bcc " << kCond[in.cond] << ", " << exitTo(target, i + 1) << "\n";
        }
        break;
      }
      default: {  // ALU r32, r32|imm
        std::string src;
        if (in.op[1].kind == OpKind::Imm) {
          body << loadConst("r12", in.op[1].value);
          src = "r12";
        } else {
          src = host(in.op[1].reg);
        }
        const std::string dst = in.mnemonic == Mnemonic::CMP ? "r13" : host(in.op[0].reg);
        body << "        " << aluAtom(in.mnemonic) << " " << dst << ", " << host(in.op[0].reg) << ", " << src << "\n";
        break;
      }
    }
    if (last && in.mnemonic != Mnemonic::JMP && in.mnemonic != Mnemonic::JCC)
      body << "        j " << exitTo(next, n) << "\n";
  }
  std::ostringstream src;
  src << ".equ FW_DISPATCH, " << req.placement.fwDispatch << "\n.equ FW_EXIT_BUDGET, " << req.placement.fwExitBudget << "\n";
  src << "entry:  addi r30, r30, " << -static_cast<int32_t>(n) << "\n        blt r30, zero, over\n";
  src << body.str();
  for (size_t k = 0; k < exits.size(); ++k) {
    src << "x" << k << ":\n" << loadConst("r9", exits[k].target);
    src << "xj" << k << ": { addi r30, r30, " << (n - exits[k].retired) << " ; j FW_DISPATCH } commit\n";
  }
  src << "over:   rollback\n        j FW_EXIT_BUDGET\n";
  hostisa::AsmOptions opt;
  opt.baseAddress = req.placement.hostBase;
  opt.maxAtoms = req.options.maxAtoms;
  const hostisa::AsmResult a = hostisa::assemble(src.str(), opt);
  if (!a.ok) {
    result.error = "mini translator: " + a.errorText();
    return result;
  }
  translator::Translation& t = result.translation;
  t.code = a.image;
  t.x86Instructions = n;
  t.stores = stores;
  for (size_t k = 0; k < exits.size(); ++k) {
    translator::Exit e;
    e.kind = translator::ExitKind::Direct;
    e.targetEip = exits[k].target;
    e.retired = exits[k].retired;
    for (const hostisa::AsmSymbol& s : a.symbols)
      if (s.name == "xj" + std::to_string(k)) e.jumpOffset = static_cast<uint32_t>(s.value) - req.placement.hostBase;
    t.exits.push_back(e);
  }
  result.ok = true;
  return result;
}

}  // namespace codemorph::cms::test
