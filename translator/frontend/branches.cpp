// JMP (rel, r/m), Jcc, LOOP/LOOPE/LOOPNE, JCXZ/JECXZ (SDM Vol. 2 JMP, Jcc, LOOP/LOOPcc).
// The branch follows RegionInsn::followTaken and the other direction is a side exit; as
// the region's last instruction, the followed direction is the final (inline) exit, so the
// likely path of a loop's back edge takes no branch to a stub.
#include "frontend.h"

namespace codemorph::translator::frontend {

namespace {
using M = x86::Mnemonic;
}

Flow translateBranch(InsnContext& c) {
  Builder& b = c.b;
  const auto& insn = c.insn();
  const uint32_t retired = c.index + 1;
  const x86::Operand& o = insn.op[0];
  if (insn.mnemonic == M::JMP) {
    if (o.kind != x86::OpKind::Rel) {
      VReg t = b.read(b.place(o, c.addrSize()));
      if (insn.opSize == 2) t = b.op(Op::Zext16, t);
      b.finalIndirect(t, retired, insn.opSize);
      return Flow::Stop;
    }
    if (c.last) {
      b.finalDirect(x86::branchTarget(insn, o, c.ri.eip), retired);
      return Flow::Stop;
    }
    return Flow::Continue;
  }
  const uint32_t taken = x86::branchTarget(insn, o, c.ri.eip);
  const bool follow = c.ri.followTaken;
  const uint32_t other = follow ? c.nextEip : taken;
  const uint32_t continueAt = follow ? taken : c.nextEip;
  if (insn.mnemonic == M::JCC) {
    b.exitIf(follow ? static_cast<uint8_t>(insn.cond ^ 1) : insn.cond, other, retired);
  } else {
    // The count register is CX or ECX by the address size (SDM LOOP: "count register").
    constexpr VReg ecx = ir::gprReg(1);
    VReg count = ecx;
    if (insn.mnemonic != M::JCXZ) {
      if (c.addrSize() == 2) {
        const VReg dec = b.op(Op::AddI, ecx, ir::kZero, -1);
        b.opTo(ecx, Op::Ins16, dec);
      } else {
        b.opTo(ecx, Op::AddI, ecx, ir::kZero, -1);
      }
    }
    if (c.addrSize() == 2) count = b.op(Op::Zext16, ecx);
    VReg takenIfNonZero = count;  // LOOP: taken iff count != 0
    bool takenWhenZero = false;
    if (insn.mnemonic == M::JCXZ) {
      takenWhenZero = true;
    } else if (insn.mnemonic != M::LOOP) {  // LOOPE/LOOPNE: count != 0 && ZF == 1 / 0
      Inst z;
      z.op = Op::SetCC;
      z.cond = insn.mnemonic == M::LOOPE ? 4 : 5;
      z.dst = b.function().newTemp();
      b.emit(z);
      takenIfNonZero = b.op(Op::And, z.dst, b.op(Op::Sltu, ir::kZero, count));
    }
    // Exit when the branch goes the other way than the trace.
    const bool exitOnNonZero = takenWhenZero ? follow : !follow;
    b.exitIfZero(takenIfNonZero, exitOnNonZero, other, retired);
  }
  if (c.last) {
    b.finalDirect(continueAt, retired);
    return Flow::Stop;
  }
  return Flow::Continue;
}

}  // namespace codemorph::translator::frontend
