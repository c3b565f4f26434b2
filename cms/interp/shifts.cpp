// Shifts and rotates: ROL ROR RCL RCR SHL/SAL SHR SAR (SDM Vol. 2B), SHLD SHRD (386+).
// The count is masked to 5 bits (286 and later, Vol. 2B "IA-32 Architecture
// Compatibility"); a masked count of 0 changes nothing, flags included. RCL/RCR rotate
// through CF modulo width+1. Undefined flags get the 1-bit formulas (flags.cpp).
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;

void Core::execShift(const x86::DecodedInsn& in) {
  const x86::Operand& d = in.op[0];
  const unsigned size = d.size;
  const unsigned width = size * 8;
  const uint32_t m = sizeMask(size);
  const uint32_t msb = signBit(size);

  if (in.mnemonic == Mnemonic::SHLD || in.mnemonic == Mnemonic::SHRD) {
    const uint32_t a = readOperand(in, d);
    const uint32_t b = readOperand(in, in.op[1]) & m;
    const unsigned c = readOperand(in, in.op[2]) & 0x1F;
    if (c == 0) return;
    uint32_t r;
    bool cf;
    if (in.mnemonic == Mnemonic::SHLD) {
      // Vol. 2B SHLD: bits from b shift in at the right; count > width is undefined: the
      // result is taken from the concatenation a:b (like P6 family). a sits in the top
      // `width` bits of the 64-bit window, b right below it.
      const uint64_t cat = (static_cast<uint64_t>(a) << (64 - width)) | (static_cast<uint64_t>(b) << (64 - 2 * width));
      const uint64_t sh = cat << c;
      r = static_cast<uint32_t>(sh >> (64 - width)) & m;
      cf = ((cat >> (64 - c)) & 1) != 0;
    } else {
      const uint64_t cat = (static_cast<uint64_t>(b) << width) | a;
      r = static_cast<uint32_t>(cat >> c) & m;
      cf = ((cat >> (c - 1)) & 1) != 0;
    }
    szpFlags(r, size);
    setFlag(kCF, cf);
    setFlag(kAF, false);
    setFlag(kOF, ((r ^ a) & msb) != 0);
    writeOperand(in, d, r);
    return;
  }

  const uint32_t a = readOperand(in, d) & m;
  const unsigned c = readOperand(in, in.op[1]) & 0x1F;
  if (c == 0) return;
  uint32_t r = a;
  switch (in.mnemonic) {
    case Mnemonic::ROL: {
      const unsigned k = c % width;
      r = k ? (((a << k) | (a >> (width - k))) & m) : a;
      setFlag(kCF, (r & 1) != 0);
      setFlag(kOF, (((r & msb) != 0) != ((r & 1) != 0)));
      break;
    }
    case Mnemonic::ROR: {
      const unsigned k = c % width;
      r = k ? (((a >> k) | (a << (width - k))) & m) : a;
      setFlag(kCF, (r & msb) != 0);
      setFlag(kOF, (((r & msb) != 0) != ((r & (msb >> 1)) != 0)));
      break;
    }
    case Mnemonic::RCL: {
      const unsigned k = c % (width + 1);
      uint32_t cf = flag(kCF) ? 1 : 0;
      for (unsigned i = 0; i < k; ++i) {
        const uint32_t out = (r & msb) ? 1 : 0;
        r = ((r << 1) | cf) & m;
        cf = out;
      }
      setFlag(kCF, cf != 0);
      setFlag(kOF, (((r & msb) != 0) != (cf != 0)));
      break;
    }
    case Mnemonic::RCR: {
      const unsigned k = c % (width + 1);
      uint32_t cf = flag(kCF) ? 1 : 0;
      for (unsigned i = 0; i < k; ++i) {
        const uint32_t out = r & 1;
        r = (r >> 1) | (cf ? msb : 0);
        cf = out;
      }
      setFlag(kCF, cf != 0);
      setFlag(kOF, (((r & msb) != 0) != ((r & (msb >> 1)) != 0)));
      break;
    }
    case Mnemonic::SHL: case Mnemonic::SAL: {
      r = c >= width ? 0 : ((a << c) & m);
      const bool cf = c <= width ? ((a >> (width - c)) & 1) != 0 : false;
      szpFlags(r, size);
      setFlag(kCF, cf);
      setFlag(kOF, ((r & msb) != 0) != cf);
      setFlag(kAF, false);
      break;
    }
    case Mnemonic::SHR: {
      r = c >= width ? 0 : (a >> c);
      const bool cf = c <= width ? ((a >> (c - 1)) & 1) != 0 : false;
      szpFlags(r, size);
      setFlag(kCF, cf);
      // OF is undefined for counts > 1; the 1-bit rule for every count, as the shr.cc atom.
      setFlag(kOF, (a & msb) != 0);
      setFlag(kAF, false);
      break;
    }
    case Mnemonic::SAR: {
      const uint32_t sx = signExtend(a, size);
      r = (c >= width ? static_cast<uint32_t>(static_cast<int32_t>(sx) >> 31)
                      : static_cast<uint32_t>(static_cast<int32_t>(sx) >> c)) & m;
      const bool cf = c >= width ? (a & msb) != 0 : ((sx >> (c - 1)) & 1) != 0;
      szpFlags(r, size);
      setFlag(kCF, cf);
      setFlag(kOF, false);
      setFlag(kAF, false);
      break;
    }
    default: unimplemented("shift instruction", &in);
  }
  writeOperand(in, d, r);
}

}  // namespace codemorph::cms::detail
