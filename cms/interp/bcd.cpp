// Decimal adjusts: DAA DAS AAA AAS AAM AAD (SDM Vol. 2A), plus SALC (undocumented
// "set AL from CF", D6). AAM with a zero immediate raises #DE (fault).
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;

void Core::execBcd(const x86::DecodedInsn& in) {
  uint32_t al = gpr(kEAX, 1);
  switch (in.mnemonic) {
    case Mnemonic::DAA: {
      const uint32_t oldAl = al;
      const bool oldCf = flag(kCF);
      bool cf = false, af = false;
      if ((al & 0xF) > 9 || flag(kAF)) {
        cf = oldCf || (al + 6) > 0xFF;
        al = (al + 6) & 0xFF;
        af = true;
      }
      if (oldAl > 0x99 || oldCf) {
        al = (al + 0x60) & 0xFF;
        cf = true;
      }
      setGpr(kEAX, 1, al);
      szpFlags(al, 1);
      setFlag(kCF, cf);
      setFlag(kAF, af);
      setFlag(kOF, false);
      return;
    }
    case Mnemonic::DAS: {
      const uint32_t oldAl = al;
      const bool oldCf = flag(kCF);
      bool cf = false, af = false;
      if ((al & 0xF) > 9 || flag(kAF)) {
        cf = oldCf || al < 6;
        al = (al - 6) & 0xFF;
        af = true;
      }
      if (oldAl > 0x99 || oldCf) {
        al = (al - 0x60) & 0xFF;
        cf = true;
      }
      setGpr(kEAX, 1, al);
      szpFlags(al, 1);
      setFlag(kCF, cf);
      setFlag(kAF, af);
      setFlag(kOF, false);
      return;
    }
    case Mnemonic::AAA: case Mnemonic::AAS: {
      uint32_t ax = gpr(kEAX, 2);
      const bool adjust = (al & 0xF) > 9 || flag(kAF);
      if (adjust) {
        // 286 and later: AX +/- 6 with the carry/borrow into AH, then AH +/- 1 (Vol. 2A).
        ax = in.mnemonic == Mnemonic::AAA ? (ax + 0x106) : (ax - 6 - 0x100);
      }
      ax = (ax & 0xFF0F) & 0xFFFF;
      setGpr(kEAX, 2, ax);
      szpFlags(ax & 0xFF, 1);
      setFlag(kAF, adjust);
      setFlag(kCF, adjust);
      setFlag(kOF, false);
      return;
    }
    case Mnemonic::AAM: {
      const uint32_t base = in.op[0].value & 0xFF;
      if (base == 0) raise(kVecDE);
      const uint32_t ah = al / base;
      al = al % base;
      setGpr(kEAX, 2, (ah << 8) | al);
      szpFlags(al, 1);
      setFlag(kCF, false); setFlag(kAF, false); setFlag(kOF, false);
      return;
    }
    case Mnemonic::AAD: {
      const uint32_t base = in.op[0].value & 0xFF;
      const uint32_t hi = (gpr(kEAX, 2) >> 8) & 0xFF;
      // Flags as the 8-bit addition AL + AH*base (a common hardware choice for OF/AF/CF).
      const uint32_t r = add(al, (hi * base) & 0xFF, 0, 1);
      setGpr(kEAX, 2, r & 0xFF);
      return;
    }
    case Mnemonic::SALC: setGpr(kEAX, 1, flag(kCF) ? 0xFF : 0x00); return;
    default: unimplemented("decimal adjust", &in);
  }
}

}  // namespace codemorph::cms::detail
