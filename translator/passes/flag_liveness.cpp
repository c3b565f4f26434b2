// Flag liveness: walking backwards, the x86 flags are live at every exit (they are guest
// state) and before every reader; an op that writes them kills them. A flag producer whose
// flags are dead becomes its plain ALU form (ops.def plainForm), which frees the scheduler
// from the xflags dependence chain. Narrow right shifts and rotates need their cc form for
// the result (zero-extension within the width) and are kept.
#include <vector>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

namespace {
bool plainIsExact(const Inst& in) {
  switch (in.op) {
    case Op::ShrCC: case Op::SarCC: case Op::RolCC: case Op::RorCC: return in.width == 4;
    default: return true;
  }
}

void makePlain(Inst& in) {
  const Op plain = opInfo(in.op).plain;
  switch (in.op) {
    case Op::IncCC: in.imm = 1; break;
    case Op::DecCC: in.imm = -1; break;
    case Op::SubICC: in.imm = -in.imm; break;
    case Op::NegCC: in.b = in.a; in.a = kZero; break;
    default: break;
  }
  in.op = plain;
  in.width = 4;
}
}  // namespace

// SHL/SHR/SAR by a constant count that is non-zero after masking write every flag and read
// none (docs/iss.md 4: only a zero count keeps the flags).
bool readsFlags(const Inst& in, const std::vector<int64_t>& constant) {
  if (in.op == Op::ShlCC || in.op == Op::ShrCC || in.op == Op::SarCC) {
    if (isTemp(in.b) && constant[in.b] >= 0 && (constant[in.b] & 31) != 0) return false;
  }
  return hasFlag(in.op, kRF);
}

unsigned flagLiveness(Function& fn) {
  unsigned changed = 0;
  bool live = true;
  std::vector<int64_t> constant(fn.nextTemp, -1);  // temp -> its Const value
  for (const Inst& in : fn.insts)
    if (in.op == Op::Const && isTemp(in.dst)) constant[in.dst] = static_cast<uint32_t>(in.imm);
  for (size_t k = fn.insts.size(); k-- > 0;) {
    Inst& in = fn.insts[k];
    if (hasFlag(in.op, kExit)) {
      live = true;
      continue;
    }
    if (!hasFlag(in.op, kWF)) {
      if (readsFlags(in, constant)) live = true;
      continue;
    }
    if (!live && opInfo(in.op).plain != Op::None && plainIsExact(in)) {
      makePlain(in);
      ++changed;
      if (in.dst == kZero) in.op = Op::None;  // CMP/TEST with dead flags: nothing left
      continue;
    }
    live = readsFlags(in, constant);
  }
  std::erase_if(fn.insts, [](const Inst& in) { return in.op == Op::None; });
  return changed;
}

}  // namespace codemorph::translator::passes
