// Data movement: MOV (incl. segment registers) XCHG LEA LDS LES LSS LFS LGS XLAT CBW CWD
// LAHF SAHF MOVSX MOVZX CMOVcc SETcc BSWAP XADD CMPXCHG CMPXCHG8B NOP (SDM Vol. 2).
// Memory destinations are written before register destinations so that a fault leaves
// the registers unchanged.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;
using x86::OpKind;
using x86::Reg;

void Core::execDataMove(const x86::DecodedInsn& in) {
  const unsigned os = in.opSize;
  switch (in.mnemonic) {
    case Mnemonic::NOP: return;
    case Mnemonic::MOV: writeOperand(in, in.op[0], readOperand(in, in.op[1])); return;
    case Mnemonic::XCHG: {
      const uint32_t a = readOperand(in, in.op[0]);
      const uint32_t b = readOperand(in, in.op[1]);
      writeOperand(in, in.op[0], b);
      writeOperand(in, in.op[1], a);
      return;
    }
    case Mnemonic::LEA: writeOperand(in, in.op[0], effectiveAddress(in, in.op[1])); return;
    case Mnemonic::LDS: case Mnemonic::LES: case Mnemonic::LSS: case Mnemonic::LFS:
    case Mnemonic::LGS: {
      const unsigned seg = segOf(in.op[1]);
      const uint32_t ea = effectiveAddress(in, in.op[1]);
      linear(seg, ea, os + 2, Access::Read);
      const uint32_t off = read(seg, ea, os);
      const auto sel = static_cast<uint16_t>(read(seg, ea + os, 2));
      const unsigned target = in.mnemonic == Mnemonic::LDS ? kDS
                              : in.mnemonic == Mnemonic::LES ? kES
                              : in.mnemonic == Mnemonic::LSS ? kSS
                              : in.mnemonic == Mnemonic::LFS ? kFS : kGS;
      loadSegment(target, sel);
      writeOperand(in, in.op[0], off);
      return;
    }
    case Mnemonic::XLAT: {
      const unsigned seg = in.segOverride != x86::Seg::None ? static_cast<unsigned>(in.segOverride) : unsigned{kDS};
      const uint32_t ea = (gpr(kEBX, in.addrSize) + gpr(kEAX, 1)) & sizeMask(in.addrSize);
      setGpr(kEAX, 1, read(seg, ea, 1));
      return;
    }
    case Mnemonic::CBW:  // CBW / CWDE
      setGpr(kEAX, os, signExtend(gpr(kEAX, os / 2), os / 2));
      return;
    case Mnemonic::CWD:  // CWD / CDQ
      setGpr(kEDX, os, (gpr(kEAX, os) & signBit(os)) ? 0xFFFFFFFFu : 0);
      return;
    case Mnemonic::LAHF: setGpr(kEAX + 4, 1, (s.eflags & 0xD5) | kFixed1); return;  // AH
    case Mnemonic::SAHF:
      s.eflags = (s.eflags & ~0xD5u) | ((gpr(kEAX + 4, 1)) & 0xD5) | kFixed1;
      return;
    case Mnemonic::MOVSX: case Mnemonic::MOVZX: {
      uint32_t v = readOperand(in, in.op[1]) & sizeMask(in.op[1].size);
      if (in.mnemonic == Mnemonic::MOVSX) v = signExtend(v, in.op[1].size);
      writeOperand(in, in.op[0], v);
      return;
    }
    case Mnemonic::CMOVCC: {
      const uint32_t v = readOperand(in, in.op[1]);  // the source is read (and may fault) anyway
      if (condition(in.cond)) writeOperand(in, in.op[0], v);
      return;
    }
    case Mnemonic::SETCC: writeOperand(in, in.op[0], condition(in.cond) ? 1 : 0); return;
    case Mnemonic::BSWAP: {
      const uint32_t v = readOperand(in, in.op[0]);
      writeOperand(in, in.op[0], os == 4 ? __builtin_bswap32(v) : 0);  // 16-bit: undefined
      return;
    }
    case Mnemonic::XADD: {
      const unsigned size = in.op[0].size;
      const uint32_t a = readOperand(in, in.op[0]);
      const uint32_t b = readOperand(in, in.op[1]);
      const uint32_t r = add(a, b, 0, size);
      // Vol. 2B XADD: SRC <- DEST, then DEST <- sum, so XADD r,r (same register) leaves
      // the sum. A memory destination is written first (it may fault); it cannot alias
      // the register source.
      if (in.op[0].kind == OpKind::Mem) {
        writeOperand(in, in.op[0], r);
        writeOperand(in, in.op[1], a);
      } else {
        writeOperand(in, in.op[1], a);
        writeOperand(in, in.op[0], r);
      }
      return;
    }
    case Mnemonic::CMPXCHG: {
      const unsigned size = in.op[0].size;
      const uint32_t d = readOperand(in, in.op[0]) & sizeMask(size);
      const uint32_t acc = gpr(kEAX, size);
      sub(acc, d, 0, size);
      if (flag(kZF)) {
        writeOperand(in, in.op[0], readOperand(in, in.op[1]));
      } else {
        writeOperand(in, in.op[0], d);  // the destination is always written (Vol. 2A)
        setGpr(kEAX, size, d);
      }
      return;
    }
    case Mnemonic::CMPXCHG8B: {
      const unsigned seg = segOf(in.op[0]);
      const uint32_t ea = effectiveAddress(in, in.op[0]);
      linear(seg, ea, 8, Access::Write);
      const uint32_t lo = read(seg, ea, 4), hi = read(seg, ea + 4, 4);
      if (lo == s.gpr[kEAX] && hi == s.gpr[kEDX]) {
        write(seg, ea, 4, s.gpr[kEBX]);
        write(seg, ea + 4, 4, s.gpr[kECX]);
        setFlag(kZF, true);
      } else {
        write(seg, ea, 4, lo);
        write(seg, ea + 4, 4, hi);
        s.gpr[kEAX] = lo;
        s.gpr[kEDX] = hi;
        setFlag(kZF, false);
      }
      return;
    }
    default: unimplemented("data movement", &in);
  }
}

}  // namespace codemorph::cms::detail
