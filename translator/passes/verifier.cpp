// The IR verifier (run after every pass when TranslateOptions::verifyIr, and in debug builds).
#include <vector>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

namespace {
bool fits(int32_t v, int bits) { return v >= -(1 << (bits - 1)) && v < (1 << (bits - 1)); }
}  // namespace

std::string verify(const Function& fn) {
  std::vector<bool> defined(fn.nextTemp, false);
  auto where = [&](size_t i, const std::string& what) { return "inst " + std::to_string(i) + " (" + toString(fn.insts[i]) + "): " + what; };
  if (fn.insts.empty() || fn.insts.back().op != Op::Exit) return "the function does not end with Exit";
  for (size_t i = 0; i < fn.insts.size(); ++i) {
    const Inst& in = fn.insts[i];
    if (in.op >= Op::None) return where(i, "bad op");
    VReg src[4];
    const unsigned n = sourceRegs(in, src);
    for (unsigned k = 0; k < n; ++k) {
      if (src[k] >= fn.nextTemp) return where(i, "register out of range");
      if (isTemp(src[k]) && !defined[src[k]]) return where(i, "temporary used before its definition");
    }
    if (writesReg(in)) {
      if (in.dst >= fn.nextTemp) return where(i, "register out of range");
      if (isTemp(in.dst)) {
        if (defined[in.dst]) return where(i, "temporary defined twice");
        defined[in.dst] = true;
      } else if (in.dst >= 32 || in.dst == 31 || (in.dst > kEip && in.dst != kBudget)) {
        return where(i, "writes a register outside the translation's ABI");
      }
    }
    if (hasFlag(in.op, kTied) && isTemp(in.dst)) return where(i, "tied op on a temporary");
    if (in.width != 1 && in.width != 2 && in.width != 4) return where(i, "bad width");
    if (in.op == Op::Agen && in.seg > 5) return where(i, "bad segment");
    if (hasFlag(in.op, kImm) && in.op != Op::Const && in.op != Op::ReadSreg) {
      const int bits = (in.op == Op::AddICC || in.op == Op::SubICC || in.op == Op::AndICC) ? 9 : 11;
      if (!fits(in.imm, bits)) return where(i, "immediate out of range");
    }
    if (hasFlag(in.op, kExit) && (in.exit < 0 || static_cast<size_t>(in.exit) >= fn.exits.size()))
      return where(i, "bad exit index");
    if (in.op == Op::Exit && i + 1 != fn.insts.size()) return where(i, "Exit before the end");
    if ((in.op == Op::SetCC || in.op == Op::Sel || in.op == Op::ExitIf) && in.cond > 15) return where(i, "bad condition");
    if (in.op == Op::Load && in.mem == MemKind::Protected && in.aliasReg > 7) return where(i, "bad alias register");
  }
  return "";
}

}  // namespace codemorph::translator::passes
