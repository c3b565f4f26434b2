// Bit instructions (386+): BT BTS BTR BTC with register or immediate offset, BSF BSR
// (SDM Vol. 2A). A register bit offset addresses memory beyond the operand (signed,
// Vol. 2A BT "bit base/offset"); an immediate offset is taken modulo the operand width.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;
using x86::OpKind;

void Core::execBitOps(const x86::DecodedInsn& in) {
  const x86::Operand& d = in.op[0];
  const unsigned size = d.size;
  const unsigned bits = size * 8;
  if (in.mnemonic == Mnemonic::BSF || in.mnemonic == Mnemonic::BSR) {
    const uint32_t v = readOperand(in, in.op[1]) & sizeMask(size);
    if (v == 0) {
      setFlag(kZF, true);  // destination unchanged (undefined in the SDM; P6 keeps it)
      return;
    }
    unsigned idx = 0;
    if (in.mnemonic == Mnemonic::BSF)
      idx = static_cast<unsigned>(__builtin_ctz(v));
    else
      idx = 31u - static_cast<unsigned>(__builtin_clz(v));
    setFlag(kZF, false);
    writeOperand(in, d, idx);
    return;
  }
  const uint32_t off = readOperand(in, in.op[1]);
  uint32_t value, bit;
  x86::Operand target = d;
  if (d.kind == OpKind::Mem && in.op[1].kind == OpKind::Reg) {
    // Floor division by the operand width in 64-bit arithmetic: offsets near -2^31 must
    // not overflow (BTC [m], reg with reg = 8000001Dh addresses m - 10000000h*4 + 0).
    const int64_t sOff = static_cast<int32_t>(signExtend(off, size));
    const int64_t unit = sOff >= 0 ? sOff / bits : -((-sOff + bits - 1) / bits);
    target.value += static_cast<uint32_t>(unit * static_cast<int64_t>(size));
    bit = static_cast<uint32_t>(sOff - unit * static_cast<int64_t>(bits));
  } else {
    bit = off % bits;
  }
  value = readOperand(in, target);
  setFlag(kCF, ((value >> bit) & 1) != 0);
  switch (in.mnemonic) {
    case Mnemonic::BT: return;
    case Mnemonic::BTS: value |= 1u << bit; break;
    case Mnemonic::BTR: value &= ~(1u << bit); break;
    case Mnemonic::BTC: value ^= 1u << bit; break;
    default: unimplemented("bit instruction", &in);
  }
  writeOperand(in, target, value);
}

}  // namespace codemorph::cms::detail
