// IR -> host atoms over virtual registers (see machine.h). Constants become li (+ lih),
// copies `or rd, rs, r0`, guest accesses ldg/stg (ldp/stc under alias protection, ldio/stio
// when I/O-safe) at offset 0 of their agen result.
#include "machine.h"

namespace codemorph::translator::backend {

using hostisa::Op;
using ir::Inst;
using ir::MemKind;

namespace {
unsigned latencyOf(Op op) {
  switch (hostisa::atomInfo(op).timing) {
    case hostisa::TimingClass::Mul: return 3;
    case hostisa::TimingClass::Div: return 20;
    case hostisa::TimingClass::Load: return 2;
    default: return 1;
  }
}

MAtom make(Op op, VReg rd = ir::kZero, VReg rs1 = ir::kZero, VReg rs2 = ir::kZero, int32_t imm = 0) {
  MAtom m;
  m.atom.op = op;
  m.rd = rd;
  m.rs1 = rs1;
  m.rs2 = rs2;
  m.atom.imm = imm;
  const uint32_t f = hostisa::atomInfo(op).operands;
  m.readsRd = (f & hostisa::kRd) != 0;
  m.readsFlags = (f & hostisa::kRf) != 0;
  m.writesFlags = (f & hostisa::kWf) != 0;
  m.load = (f & hostisa::kLoad) != 0;
  m.store = (f & hostisa::kStore) != 0;
  m.io = (f & hostisa::kIo) != 0;
  m.latency = latencyOf(op);
  return m;
}

Op loadOp(const Inst& in) {
  static constexpr Op plain[] = {Op::LDG8U, Op::LDG8S, Op::LDG16U, Op::LDG16S, Op::LDG32};
  static constexpr Op prot[] = {Op::LDP8U, Op::LDP8S, Op::LDP16U, Op::LDP16S, Op::LDP32};
  static constexpr Op io[] = {Op::LDIO8U, Op::LDIO8S, Op::LDIO16U, Op::LDIO16S, Op::LDIO32};
  const unsigned k = in.width == 4 ? 4 : (in.width == 2 ? 2 : 0) + (in.sign ? 1 : 0);
  return in.mem == MemKind::Protected ? prot[k] : in.mem == MemKind::Io ? io[k] : plain[k];
}

Op storeOp(const Inst& in) {
  const unsigned k = in.width == 4 ? 2 : in.width == 2 ? 1 : 0;
  static constexpr Op plain[] = {Op::STG8, Op::STG16, Op::STG32};
  static constexpr Op checked[] = {Op::STC8, Op::STC16, Op::STC32};
  static constexpr Op io[] = {Op::STIO8, Op::STIO16, Op::STIO32};
  return in.mem == MemKind::Checked ? checked[k] : in.mem == MemKind::Io ? io[k] : plain[k];
}

void constant(std::vector<MAtom>& out, VReg rd, uint32_t v) {
  const auto lo = static_cast<int32_t>(v & 0xFFFF);
  out.push_back(make(Op::LI, rd, ir::kZero, ir::kZero, lo));
  if (static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(v & 0xFFFF))) != v)
    out.push_back(make(Op::LIH, rd, ir::kZero, ir::kZero, static_cast<int32_t>(v >> 16)));
}
}  // namespace

LoweredRegion lower(const ir::Function& fn) {
  LoweredRegion r;
  r.nextVReg = fn.nextTemp;
  auto& out = r.atoms;
  // Entry (docs/cms-runtime.md section 4 rule 1): r30 -= N; if r30 < 0 -> budget stub.
  MAtom dec = make(Op::ADDI, ir::kBudget, ir::kBudget, ir::kZero, -static_cast<int32_t>(fn.x86Instructions));
  dec.role = Role::Budget;
  out.push_back(dec);
  MAtom check = make(Op::BLT, ir::kZero, ir::kBudget, ir::kZero);
  check.role = Role::Budget;
  out.push_back(check);

  for (const Inst& in : fn.insts) {
    const size_t first = out.size();
    const ir::OpInfo& info = ir::opInfo(in.op);
    switch (in.op) {
      case ir::Op::Const:
        constant(out, in.dst, static_cast<uint32_t>(in.imm));
        break;
      case ir::Op::Copy:
        out.push_back(make(Op::OR, in.dst, in.a, ir::kZero));
        break;
      case ir::Op::Agen: {
        MAtom m = make(Op::AGEN, in.dst, in.a);
        m.atom.width = in.width;
        m.atom.aux = in.seg;
        out.push_back(m);
        break;
      }
      case ir::Op::Load: {
        MAtom m = make(loadOp(in), in.dst, in.a);
        if (in.mem == MemKind::Protected) {
          m.protectedLoad = true;
          m.aliasReg = in.aliasReg;
          m.atom.aux = in.aliasReg;
        }
        out.push_back(m);
        break;
      }
      case ir::Op::Store: {
        MAtom m = make(storeOp(in), ir::kZero, in.a, in.b);
        if (in.mem == MemKind::Checked) {
          m.aliasMask = in.aliasMask;
          m.atom.aux = in.aliasMask;
        }
        out.push_back(m);
        break;
      }
      case ir::Op::ReadDF: {
        MAtom m = make(Op::MFSR, in.dst);
        m.atom.aux = static_cast<uint8_t>(hostisa::Sreg::XFLAGS);
        m.readsFlags = false;  // DF only: translations never change it
        out.push_back(m);
        break;
      }
      case ir::Op::ReadSreg: {
        MAtom m = make(Op::MFSR, in.dst);
        m.atom.aux = static_cast<uint8_t>(in.imm);
        out.push_back(m);
        break;
      }
      case ir::Op::ExitIf: case ir::Op::ExitIfZero: case ir::Op::ExitIfNonZero: {
        MAtom m = make(info.host, ir::kZero, in.a);
        m.atom.cond = in.cond;
        m.role = Role::SideExit;
        m.exit = in.exit;
        out.push_back(m);
        break;
      }
      case ir::Op::Exit: {
        const ir::ExitInfo& e = fn.exits[static_cast<size_t>(in.exit)];
        if (e.kind != ExitKind::Indirect) constant(out, ir::kEip, e.targetEip);
        const int32_t back = static_cast<int32_t>(fn.x86Instructions - e.retired);
        if (back != 0) out.push_back(make(Op::ADDI, ir::kBudget, ir::kBudget, ir::kZero, back));
        MAtom j = make(Op::J);
        j.role = Role::FinalExit;
        j.exit = in.exit;
        out.push_back(j);
        break;
      }
      case ir::Op::BudgetCheck:
        break;
      default: {
        MAtom m = make(info.host, in.dst, in.a, (info.flags & ir::kImm) ? ir::kZero : in.b, in.imm);
        m.atom.width = m.writesFlags ? in.width : 0;  // the *.cc formats carry a width
        if (info.host == Op::SETCC || info.host == Op::SEL) m.atom.cond = in.cond;
        out.push_back(m);
        break;
      }
    }
    for (size_t k = first; k < out.size(); ++k) out[k].x86Index = in.x86Index;
  }
  return r;
}

}  // namespace codemorph::translator::backend
