// Constant and copy propagation on the straight-line IR. Temporaries are SSA, so a
// temporary known to be a constant or a copy of another temporary stays so; a copy of a
// guest register is forwarded only while that register has not been written since (the
// pass tracks a version per pinned register). Constants fold into immediate forms
// (Add -> AddI, Shl -> ShlI, ...), constant operands of 0 become r0, and ops on constants
// become constants.
#include <optional>
#include <unordered_map>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

namespace {
bool fitsSimm11(int64_t v) { return v >= -1024 && v <= 1023; }

std::optional<uint32_t> evalImm(Op op, uint32_t x, int32_t imm) {
  const auto u = static_cast<uint32_t>(imm);
  switch (op) {
    case Op::AddI: return x + u;
    case Op::AndI: return x & u;
    case Op::OrI: return x | u;
    case Op::XorI: return x ^ u;
    case Op::ShlI: return x << (u & 31);
    case Op::ShrI: return x >> (u & 31);
    case Op::SarI: return static_cast<uint32_t>(static_cast<int32_t>(x) >> (u & 31));
    default: return std::nullopt;
  }
}

// Register-register op -> its immediate form.
Op immForm(Op op) {
  switch (op) {
    case Op::Add: return Op::AddI;
    case Op::And: return Op::AndI;
    case Op::Or: return Op::OrI;
    case Op::Xor: return Op::XorI;
    case Op::Shl: return Op::ShlI;
    case Op::Shr: return Op::ShrI;
    case Op::Sar: return Op::SarI;
    case Op::Rol: return Op::RolI;
    default: return Op::None;
  }
}
}  // namespace

unsigned constCopyProp(Function& fn) {
  unsigned changed = 0;
  std::unordered_map<VReg, uint32_t> constant;            // temp -> value
  struct CopySrc { VReg reg; uint32_t version; };
  std::unordered_map<VReg, CopySrc> copy;                 // temp -> source
  uint32_t version[64] = {};
  auto resolve = [&](VReg& r) {
    if (!isTemp(r)) return;
    auto c = constant.find(r);
    if (c != constant.end() && c->second == 0) {
      r = kZero;
      ++changed;
      return;
    }
    auto p = copy.find(r);
    if (p != copy.end() && (isTemp(p->second.reg) || version[p->second.reg] == p->second.version)) {
      r = p->second.reg;
      ++changed;
    }
  };
  auto constOf = [&](VReg r) -> std::optional<uint32_t> {
    if (r == kZero) return 0u;
    auto c = constant.find(r);
    if (c == constant.end()) return std::nullopt;
    return c->second;
  };
  for (Inst& in : fn.insts) {
    if (in.op != Op::Const && in.op != Op::ReadDF && in.op != Op::ReadSreg && in.op != Op::Exit &&
        in.op != Op::ExitIf) {
      resolve(in.a);
      if (!hasFlag(in.op, kImm)) resolve(in.b);
      resolve(in.c);
    }
    // Folding (temporary destinations only: a pinned destination keeps its op).
    if (isTemp(in.dst) && writesReg(in)) {
      const auto ca = constOf(in.a);
      const Op imm = immForm(in.op);
      if (in.op == Op::Copy && ca) {
        in.op = Op::Const;
        in.imm = static_cast<int32_t>(*ca);
        in.a = kZero;
        ++changed;
      } else if (hasFlag(in.op, kImm) && in.op != Op::Const && in.op != Op::ReadSreg && ca) {
        if (auto v = evalImm(in.op, *ca, in.imm)) {
          in.op = Op::Const;
          in.imm = static_cast<int32_t>(*v);
          in.a = kZero;
          ++changed;
        }
      } else if (imm != Op::None) {
        auto cb = constOf(in.b);
        if (!cb && hasFlag(in.op, kComm) && ca) {
          std::swap(in.a, in.b);
          cb = ca;
        }
        if (cb && fitsSimm11(static_cast<int32_t>(*cb))) {
          in.op = imm;
          in.imm = static_cast<int32_t>(*cb);
          in.b = kZero;
          ++changed;
        }
      } else if (in.op == Op::Sub) {
        const auto cb = constOf(in.b);
        if (cb && fitsSimm11(-static_cast<int64_t>(static_cast<int32_t>(*cb)))) {
          in.op = Op::AddI;
          in.imm = -static_cast<int32_t>(*cb);
          in.b = kZero;
          ++changed;
        }
      }
      if (in.op == Op::AddI && in.imm == 0) in.op = Op::Copy;
    }
    // x ^ x = x - x = 0 (XOR r, r is the x86 zeroing idiom; with live flags it stays XorCC).
    if (writesReg(in) && (in.op == Op::Xor || in.op == Op::Sub) && in.a == in.b && in.a != kZero) {
      in.op = Op::Const;
      in.imm = 0;
      in.a = in.b = kZero;
      ++changed;
    }
    // XOR/SUB of a value with itself: result 0 and the flags of 0 - 0 whatever the value,
    // so the sources become r0 and the value's producer may die.
    if ((in.op == Op::XorCC || in.op == Op::SubCC) && in.a == in.b && in.a != kZero) {
      in.a = in.b = kZero;
      ++changed;
    }
    if (!writesReg(in)) continue;
    if (isTemp(in.dst)) {
      if (in.op == Op::Const) constant[in.dst] = static_cast<uint32_t>(in.imm);
      else if (in.op == Op::Copy && in.a != kZero) copy[in.dst] = CopySrc{in.a, isTemp(in.a) ? 0 : version[in.a]};
    } else {
      ++version[in.dst];
    }
  }
  return changed;
}

}  // namespace codemorph::translator::passes
