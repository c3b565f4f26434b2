// Address generation without hostisa.seg_agen (docs/isa.md "Co-designed features"): the
// segment's base and limit are read once per region with mfsr (translations never change
// them: segment loads are not translated), and every access checks its last byte against
// the limit (SDM Vol. 3A 5.3) with plain ALU atoms. A violation, or an expand-down segment
// (whose rule the sequence does not implement), leaves the region through rollback to
// fw_interpret at the entry EIP: the interpreter then redoes the region and raises the
// precise #GP/#SS, or runs the expand-down access.
#include "builder.h"

namespace codemorph::translator::frontend {

namespace {
constexpr int32_t kSegBase = 0x10, kSegLimit = 0x18, kSegAttr = 0x20;  // sregs.def
}

void Builder::rollbackIfNonZero(VReg v) {
  const int e = addExit(ExitKind::Interpret, entryEip_, 0);
  fn_.exits[static_cast<size_t>(e)].rollback = true;
  Inst i;
  i.op = Op::ExitIfNonZero;
  i.a = v;
  i.exit = e;
  emit(i);
}

VReg Builder::agenWithoutSegAgen(VReg offset, x86::Seg seg, uint8_t size) {
  const auto s = static_cast<uint8_t>(seg);
  auto it = segments_.find(s);
  if (it == segments_.end()) {
    const VReg base = op(Op::ReadSreg, ir::kZero, ir::kZero, kSegBase + s);
    const VReg limit = op(Op::ReadSreg, ir::kZero, ir::kZero, kSegLimit + s);
    const VReg attr = op(Op::ReadSreg, ir::kZero, ir::kZero, kSegAttr + s);
    rollbackIfNonZero(op(Op::AndI, attr, ir::kZero, 1));  // expand-down
    it = segments_.emplace(s, SegmentRegs{base, limit}).first;
  }
  // Offsets offset .. offset+size-1, computed without wrapping (docs/iss.md 3, agen).
  VReg outside;
  if (size > 1) {
    const VReg last = op(Op::AddI, offset, ir::kZero, size - 1);
    outside = op(Op::Or, op(Op::Sltu, it->second.limit, last), op(Op::Sltu, last, offset));
  } else {
    outside = op(Op::Sltu, it->second.limit, offset);
  }
  rollbackIfNonZero(outside);
  return op(Op::Add, it->second.base, offset);
}

}  // namespace codemorph::translator::frontend
