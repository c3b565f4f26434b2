// Builder: registers, addressing, stack, exits (see builder.h).
#include "builder.h"

namespace codemorph::translator::frontend {

namespace {
bool fitsSimm11(int64_t v) { return v >= -1024 && v <= 1023; }
unsigned log2Of(unsigned v) { return v == 8 ? 3 : v == 4 ? 2 : v == 2 ? 1 : 0; }
bool isReg8(x86::Reg r) { return r >= x86::Reg::AL && r <= x86::Reg::BH; }
bool isReg16(x86::Reg r) { return r >= x86::Reg::AX && r <= x86::Reg::DI; }
}  // namespace

Inst& Builder::emit(const Inst& inst) {
  fn_.insts.push_back(inst);
  fn_.insts.back().x86Index = x86Index_;
  return fn_.insts.back();
}

void Builder::opTo(VReg dst, Op o, VReg a, VReg b, int32_t imm, uint8_t width) {
  Inst i;
  i.op = o;
  i.dst = dst;
  i.a = a;
  i.b = b;
  i.imm = imm;
  i.width = width;
  emit(i);
}

VReg Builder::op(Op o, VReg a, VReg b, int32_t imm, uint8_t width) {
  const VReg d = fn_.newTemp();
  opTo(d, o, a, b, imm, width);
  return d;
}

VReg Builder::constant(uint32_t value) {
  if (value == 0) return ir::kZero;
  return op(Op::Const, ir::kZero, ir::kZero, static_cast<int32_t>(value));
}

VReg Builder::addImm(VReg v, int32_t imm) {
  if (imm == 0) return v;
  if (fitsSimm11(imm)) return op(Op::AddI, v, ir::kZero, imm);
  return op(Op::Add, v, constant(static_cast<uint32_t>(imm)));
}

VReg Builder::readReg(x86::Reg r) {
  const unsigned n = x86::regIndex(r);
  if (r >= x86::Reg::AH && r <= x86::Reg::BH) return op(Op::Ext8H, ir::gprReg(n - 4));
  if (isReg8(r)) return ir::gprReg(n);
  return ir::gprReg(n);  // 16-bit: low half of the pinned register; 32-bit: itself
}

void Builder::writeReg(x86::Reg r, VReg v) {
  const unsigned n = x86::regIndex(r);
  if (r >= x86::Reg::AH && r <= x86::Reg::BH) {
    opTo(ir::gprReg(n - 4), Op::Ins8H, v);
  } else if (isReg8(r)) {
    opTo(ir::gprReg(n), Op::Ins8L, v);
  } else if (isReg16(r)) {
    opTo(ir::gprReg(n), Op::Ins16, v);
  } else if (v != ir::gprReg(n)) {
    opTo(ir::gprReg(n), Op::Copy, v);
  }
}

VReg Builder::directTarget(const Place& p) {
  if (p.kind == Place::Reg && p.reg >= x86::Reg::EAX && p.reg <= x86::Reg::EDI) return ir::gprReg(x86::regIndex(p.reg));
  return ir::kZero;
}

// SDM Vol. 2A 2.1.5: base + index * scale + displacement, truncated to the address size.
VReg Builder::effectiveAddress(const x86::Operand& m, uint8_t addrSize) {
  VReg sum = ir::kZero;
  if (m.reg != x86::Reg::None) sum = ir::gprReg(x86::regIndex(m.reg));
  if (m.index != x86::Reg::None) {
    VReg idx = ir::gprReg(x86::regIndex(m.index));
    if (m.scale > 1) idx = op(Op::ShlI, idx, ir::kZero, static_cast<int32_t>(log2Of(m.scale)));
    sum = sum == ir::kZero ? idx : op(Op::Add, sum, idx);
  }
  const int32_t disp = addrSize == 2 ? static_cast<int16_t>(m.value) : static_cast<int32_t>(m.value);
  if (sum == ir::kZero) {
    const uint32_t d = addrSize == 2 ? (m.value & 0xFFFFu) : m.value;
    return constant(d);
  }
  sum = addImm(sum, disp);
  if (addrSize == 2) sum = op(Op::Zext16, sum);
  return sum;
}

VReg Builder::agen(VReg offset, x86::Seg seg, uint8_t size) {
  if (!options_.seg_agen) return agenWithoutSegAgen(offset, seg, size);
  Inst i;
  i.op = Op::Agen;
  i.dst = fn_.newTemp();
  i.a = offset;
  i.seg = static_cast<uint8_t>(seg);
  i.width = size;
  emit(i);
  return i.dst;
}

VReg Builder::load(VReg linear, uint8_t size, bool sign) {
  Inst i;
  i.op = Op::Load;
  i.dst = fn_.newTemp();
  i.a = linear;
  i.width = size;
  i.sign = sign && size < 4;
  i.mem = options_.ioSafe ? ir::MemKind::Io : ir::MemKind::Plain;
  emit(i);
  return i.dst;
}

void Builder::store(VReg linear, VReg value, uint8_t size) {
  Inst i;
  i.op = Op::Store;
  i.a = linear;
  i.b = value;
  i.width = size;
  i.mem = options_.ioSafe ? ir::MemKind::Io : ir::MemKind::Plain;
  emit(i);
}

Place Builder::place(const x86::Operand& o, uint8_t addrSize) {
  Place p;
  p.size = o.size;
  switch (o.kind) {
    case x86::OpKind::Reg:
      p.kind = Place::Reg;
      p.reg = o.reg;
      break;
    case x86::OpKind::Mem:
      p.kind = Place::Mem;
      p.linear = agen(effectiveAddress(o, addrSize), o.seg, o.size);
      break;
    default:
      p.kind = Place::Imm;
      p.imm = o.value;
      break;
  }
  return p;
}

VReg Builder::read(const Place& p) {
  switch (p.kind) {
    case Place::Reg: return readReg(p.reg);
    case Place::Mem: return load(p.linear, p.size);
    default: return constant(p.imm);
  }
}

void Builder::write(const Place& p, VReg v) {
  if (p.kind == Place::Reg) writeReg(p.reg, v);
  else if (p.kind == Place::Mem) store(p.linear, v, p.size);
}

void Builder::push(VReg value, uint8_t size) {
  constexpr VReg esp = ir::gprReg(4);
  if (mode_.stack32) {
    if (value == esp) value = copyOf(esp);  // PUSH ESP pushes the old value (SDM PUSH)
    opTo(esp, Op::AddI, esp, ir::kZero, -static_cast<int32_t>(size));
    store(agen(esp, x86::Seg::SS, size), value, size);
  } else {
    const VReg sp = op(Op::AddI, esp, ir::kZero, -static_cast<int32_t>(size));
    store(agen(op(Op::Zext16, sp), x86::Seg::SS, size), value, size);
    opTo(esp, Op::Ins16, sp);
  }
}

VReg Builder::pop(uint8_t size) {
  constexpr VReg esp = ir::gprReg(4);
  if (mode_.stack32) {
    const VReg v = load(agen(esp, x86::Seg::SS, size), size);
    opTo(esp, Op::AddI, esp, ir::kZero, size);
    return v;
  }
  const VReg v = load(agen(op(Op::Zext16, esp), x86::Seg::SS, size), size);
  opTo(esp, Op::Ins16, op(Op::AddI, esp, ir::kZero, size));
  return v;
}

// DF = 0: +size, DF = 1: -size (SDM Vol. 1 3.4.3.3). Computed once per region and size.
VReg Builder::stringStep(uint8_t size) {
  auto it = stringSteps_.find(size);
  if (it != stringSteps_.end()) return it->second;
  Inst r;
  r.op = Op::ReadDF;
  r.dst = fn_.newTemp();
  emit(r);
  const VReg df = op(Op::AndI, op(Op::ShrI, r.dst, ir::kZero, 10), ir::kZero, 1);
  const VReg twice = op(Op::ShlI, df, ir::kZero, static_cast<int32_t>(log2Of(size) + 1));
  const VReg step = op(Op::Sub, constant(size), twice);
  stringSteps_[size] = step;
  return step;
}

int Builder::addExit(ExitKind kind, uint32_t target, uint32_t retired) {
  fn_.exits.push_back(ir::ExitInfo{kind, target, retired});
  return static_cast<int>(fn_.exits.size() - 1);
}

void Builder::exitIf(uint8_t cond, uint32_t target, uint32_t retired) {
  Inst i;
  i.op = Op::ExitIf;
  i.cond = cond;
  i.exit = addExit(ExitKind::Direct, target, retired);
  emit(i);
}

void Builder::exitIfZero(VReg v, bool nonZero, uint32_t target, uint32_t retired) {
  Inst i;
  i.op = nonZero ? Op::ExitIfNonZero : Op::ExitIfZero;
  i.a = v;
  i.exit = addExit(ExitKind::Direct, target, retired);
  emit(i);
}

void Builder::finalDirect(uint32_t target, uint32_t retired, ExitKind kind) {
  Inst i;
  i.op = Op::Exit;
  i.exit = addExit(kind, target, retired);
  emit(i);
}

void Builder::finalIndirect(VReg target, uint32_t retired, uint8_t targetSize) {
  // The new EIP must lie inside CS (SDM Vol. 2 RET/JMP/CALL: #GP(0) otherwise). The limit
  // is a constant of the translation's context, so only targets that can exceed it are
  // checked; a violation rolls back and the interpreter raises the #GP at the transfer.
  const uint32_t widest = targetSize == 2 ? 0xFFFFu : 0xFFFFFFFFu;
  if (mode_.csLimit < widest) rollbackIfNonZero(op(Op::Sltu, constant(mode_.csLimit), target));
  opTo(ir::kEip, Op::Copy, target);
  Inst i;
  i.op = Op::Exit;
  i.exit = addExit(ExitKind::Indirect, 0, retired);
  emit(i);
}

}  // namespace codemorph::translator::frontend
