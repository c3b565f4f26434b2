// MUL IMUL DIV IDIV (SDM Vol. 2A/2B). DIV/IDIV raise #DE as a fault (EIP at the
// instruction, 286 and later) on a zero divisor or a quotient that does not fit; the
// registers and flags are then unchanged. IMUL has the one-, two- and three-operand forms.
// SF ZF AF PF are undefined after MUL/IMUL (SDM Vol. 2A); they are left unchanged, the
// choice of the VLIW imul.cc atom (docs/iss.md section 4), so interpreted and translated
// code end in identical flags.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;

void Core::execMulDiv(const x86::DecodedInsn& in) {
  // Two/three-operand IMUL (0F AF, 69, 6B): dest = src1 * src2 truncated; CF=OF=overflow.
  if (in.mnemonic == Mnemonic::IMUL && in.numOperands >= 2) {
    const unsigned size = in.op[0].size;
    const x86::Operand& s1 = in.numOperands == 3 ? in.op[1] : in.op[0];
    const x86::Operand& s2 = in.numOperands == 3 ? in.op[2] : in.op[1];
    const int64_t a = static_cast<int32_t>(signExtend(readOperand(in, s1), size));
    const int64_t b = static_cast<int32_t>(signExtend(readOperand(in, s2), size));
    const int64_t p = a * b;
    const uint32_t r = static_cast<uint32_t>(p) & sizeMask(size);
    const bool ovf = static_cast<int64_t>(static_cast<int32_t>(signExtend(r, size))) != p;
    setFlag(kCF, ovf);
    setFlag(kOF, ovf);
    writeOperand(in, in.op[0], r);
    return;
  }

  const unsigned size = in.op[0].size;
  const uint32_t m = sizeMask(size);
  const uint32_t src = readOperand(in, in.op[0]) & m;
  const unsigned bits = size * 8;
  // Accumulator pair: AX (8-bit: AX is the whole double-width value), DX:AX, EDX:EAX.
  uint64_t acc;
  if (size == 1)
    acc = gpr(kEAX, 2);
  else
    acc = (static_cast<uint64_t>(gpr(kEDX, size)) << bits) | gpr(kEAX, size);
  auto writeResult = [&](uint32_t lo, uint32_t hi) {
    if (size == 1) {
      setGpr(kEAX, 2, (lo & 0xFF) | ((hi & 0xFF) << 8));
    } else {
      setGpr(kEAX, size, lo);
      setGpr(kEDX, size, hi);
    }
  };

  switch (in.mnemonic) {
    case Mnemonic::MUL: {
      const uint64_t p = static_cast<uint64_t>(gpr(kEAX, size)) * src;
      const uint32_t lo = static_cast<uint32_t>(p) & m;
      const uint32_t hi = static_cast<uint32_t>(p >> bits) & m;
      writeResult(lo, hi);
      setFlag(kCF, hi != 0);
      setFlag(kOF, hi != 0);
      return;
    }
    case Mnemonic::IMUL: {
      const int64_t p = static_cast<int64_t>(static_cast<int32_t>(signExtend(gpr(kEAX, size), size))) *
                        static_cast<int32_t>(signExtend(src, size));
      const uint32_t lo = static_cast<uint32_t>(p) & m;
      const uint32_t hi = static_cast<uint32_t>(static_cast<uint64_t>(p) >> bits) & m;
      writeResult(lo, hi);
      const bool ovf = static_cast<int64_t>(static_cast<int32_t>(signExtend(lo, size))) != p;
      setFlag(kCF, ovf);
      setFlag(kOF, ovf);
      return;
    }
    case Mnemonic::DIV: {
      if (src == 0) raise(kVecDE);
      const uint64_t q = acc / src;
      const uint64_t r = acc % src;
      if (q > m) raise(kVecDE);
      writeResult(static_cast<uint32_t>(q), static_cast<uint32_t>(r));
      return;
    }
    case Mnemonic::IDIV: {
      if (src == 0) raise(kVecDE);
      // Sign-extend the double-width dividend.
      const unsigned dbits = bits * 2;
      const int64_t dividend = dbits == 64 ? static_cast<int64_t>(acc)
                                           : static_cast<int64_t>(acc << (64 - dbits)) >> (64 - dbits);
      const int64_t divisor = static_cast<int32_t>(signExtend(src, size));
      if (dbits == 64 && dividend == INT64_MIN && divisor == -1) raise(kVecDE);
      const int64_t q = dividend / divisor;
      const int64_t r = dividend % divisor;
      const int64_t maxQ = static_cast<int64_t>(m >> 1);
      if (q > maxQ || q < -maxQ - 1) {
        if (size == 1 && model.idiv8Bit14Quirk) {
          // See CpuModel::idiv8Bit14Quirk: the dividend with AX bit 14 flipped.
          const int64_t flipped = static_cast<int16_t>(static_cast<uint16_t>(acc ^ 0x4000u));
          if (flipped / divisor == -128) {
            writeResult(static_cast<uint32_t>(flipped / divisor) & m, static_cast<uint32_t>(flipped % divisor) & m);
            return;
          }
        }
        raise(kVecDE);
      }
      writeResult(static_cast<uint32_t>(q) & m, static_cast<uint32_t>(r) & m);
      return;
    }
    default: unimplemented("multiply/divide instruction", &in);
  }
}

}  // namespace codemorph::cms::detail
