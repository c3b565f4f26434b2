// The IR op table (expanded from ops.def) and the IR printer.
#include "ir.h"

#include <cstdio>

namespace codemorph::translator::ir {

namespace {
constexpr OpInfo kOps[] = {
#define IR_OP(name, host, flags, plain) {#name, hostisa::Op::host, flags, Op::plain},
#include "ops.def"
#undef IR_OP
};
}  // namespace

const OpInfo& opInfo(Op op) { return kOps[static_cast<unsigned>(op)]; }

unsigned sourceRegs(const Inst& inst, VReg out[4]) {
  unsigned n = 0;
  auto add = [&](VReg r) {
    if (r != kZero) out[n++] = r;
  };
  switch (inst.op) {
    case Op::Const: case Op::ReadDF: case Op::ReadSreg: case Op::Exit: case Op::ExitIf:
      break;
    default:
      add(inst.a);
      if (!hasFlag(inst.op, kImm)) add(inst.b);
      add(inst.c);
      break;
  }
  if (hasFlag(inst.op, kTied)) add(inst.dst);
  if (inst.op == Op::BudgetCheck) add(kBudget);
  return n;
}

static std::string reg(VReg r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, isTemp(r) ? "t%u" : "r%u", isTemp(r) ? r - kFirstTemp : r);
  return buf;
}

std::string toString(const Inst& i) {
  std::string s = opInfo(i.op).name;
  char buf[48];
  auto add = [&](const char* fmt, long v) {
    std::snprintf(buf, sizeof buf, fmt, v);
    s.append(buf);
  };
  if (hasFlag(i.op, kWF) || i.op == Op::Agen || i.op == Op::Load || i.op == Op::Store) add(".%ld", 8L * i.width);
  if (i.op == Op::SetCC || i.op == Op::Sel || i.op == Op::ExitIf) {
    s.append(".");
    s.append(hostisa::kCondNames[i.cond & 15]);
  }
  if (i.op == Op::Load && i.mem == MemKind::Protected) add(" [a%ld]", i.aliasReg);
  if (i.op == Op::Store && i.mem == MemKind::Checked) add(" [mask %ld]", i.aliasMask);
  if (writesReg(i)) {
    s.append(" ").append(reg(i.dst)).append(" =");
  }
  VReg src[4];
  const unsigned n = sourceRegs(i, src);
  for (unsigned k = 0; k < n; ++k) s.append(" ").append(reg(src[k]));
  if (hasFlag(i.op, kImm)) add(" #%ld", i.imm);
  if (i.op == Op::Agen) add(" seg%ld", i.seg);
  if (i.exit >= 0) add(" -> exit%ld", i.exit);
  return s;
}

std::string toString(const Function& fn) {
  std::string s;
  for (const Inst& i : fn.insts) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "  [%u] ", i.x86Index);
    s.append(buf).append(toString(i)).append("\n");
  }
  for (size_t e = 0; e < fn.exits.size(); ++e) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  exit%zu: kind %u eip %08x retired %u\n", e,
                  static_cast<unsigned>(fn.exits[e].kind), fn.exits[e].targetEip, fn.exits[e].retired);
    s += buf;
  }
  return s;
}

}  // namespace codemorph::translator::ir
