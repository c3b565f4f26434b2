// The protected-mode system instructions of the 286 (SDM Vol. 2A/2B; Vol. 3A 3.5, 5.10):
// LLDT and LTR (load LDTR/TR from the GDT; LTR marks the TSS busy), SLDT and STR, and the
// pointer-validation instructions LAR, LSL, VERR, VERW (which set ZF and never fault on
// the selector itself) and ARPL. All are #UD in real and V86 mode (Core::execute, from the
// decoder's kInsnPmOnly); LLDT/LTR need CPL 0 (kInsnPrivileged).
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;
using x86::OpKind;

namespace {
// LAR accepts code/data and these system types; LSL the ones with a limit (Vol. 2A LAR, LSL).
bool larType(const Descriptor& d) {
  if (d.isSegment()) return true;
  switch (d.type()) {
    case kTss16Avail: case kLdtType: case kTss16Busy: case kCallGate16: case kTaskGate:
    case kTss32Avail: case kTss32Busy: case kCallGate32:
      return true;
    default:
      return false;
  }
}
bool lslType(const Descriptor& d) {
  if (d.isSegment()) return true;
  const unsigned t = d.type();
  return t == kTss16Avail || t == kLdtType || t == kTss16Busy || t == kTss32Avail || t == kTss32Busy;
}
}  // namespace

void Core::execSystemTables(const x86::DecodedInsn& in) {
  switch (in.mnemonic) {
    case Mnemonic::SLDT: case Mnemonic::STR: {
      const uint16_t v = in.mnemonic == Mnemonic::SLDT ? s.ldtr.selector : s.tr.selector;
      // Register destination: zero-extended to the operand size; memory: 16 bits.
      writeOperand(in, in.op[0], v);
      return;
    }
    case Mnemonic::LLDT: {
      const auto sel = static_cast<uint16_t>(readOperand(in, in.op[0]));
      if ((sel & 0xFFFCu) == 0) {  // null: LDTR unusable (Vol. 2A LLDT)
        s.ldtr = SegmentCache{sel, 0, 0, 0};
        return;
      }
      if (sel & 4) raise(kVecGP, sel & 0xFFFCu);
      Descriptor d = readDescriptor(sel, kVecGP, 0);
      if (d.isSegment() || d.type() != kLdtType) raise(kVecGP, sel & 0xFFFCu);
      if (!d.present()) raise(kVecNP, sel & 0xFFFCu);
      loadCache(s.ldtr, sel, d);
      return;
    }
    case Mnemonic::LTR: {
      const auto sel = static_cast<uint16_t>(readOperand(in, in.op[0]));
      if ((sel & 0xFFFCu) == 0) raise(kVecGP, 0);
      if (sel & 4) raise(kVecGP, sel & 0xFFFCu);
      Descriptor d = readDescriptor(sel, kVecGP, 0);
      if (d.isSegment() || (d.type() != kTss16Avail && d.type() != kTss32Avail))
        raise(kVecGP, sel & 0xFFFCu);
      if (!d.present()) raise(kVecNP, sel & 0xFFFCu);
      d.hi |= 0x200u;  // busy (Vol. 3A 7.2.2)
      writeSys(s.gdtr.base + (sel & 0xFFF8u) + 4, 4, d.hi);
      loadCache(s.tr, sel, d);
      return;
    }
    case Mnemonic::ARPL: {
      // ARPL r/m16, r16: raise the destination's RPL to the source's (ZF=1) or ZF=0.
      const uint32_t dst = readOperand(in, in.op[0]);
      const uint32_t src = readOperand(in, in.op[1]);
      if ((dst & 3u) < (src & 3u)) {
        writeOperand(in, in.op[0], (dst & ~3u) | (src & 3u));
        setFlag(kZF, true);
      } else {
        setFlag(kZF, false);
      }
      return;
    }
    default: break;
  }
  // LAR LSL VERR VERW: validate a selector without faulting on it (Vol. 2A LAR).
  const auto sel = static_cast<uint16_t>(readOperand(in, in.mnemonic == Mnemonic::LAR ||
                                                             in.mnemonic == Mnemonic::LSL
                                                         ? in.op[1]
                                                         : in.op[0]));
  Descriptor d;
  bool ok = (sel & 0xFFFCu) != 0 && tryReadDescriptor(sel, d);
  // Privilege: DPL >= CPL and DPL >= RPL, except for conforming code segments.
  if (ok && !d.conforming() && (d.dpl() < s.cpl || d.dpl() < (sel & 3u))) ok = false;
  switch (in.mnemonic) {
    case Mnemonic::LAR:
      ok = ok && larType(d);
      if (ok) writeOperand(in, in.op[0], d.hi & (in.opSize == 4 ? 0x00F0FF00u : 0xFF00u));
      break;
    case Mnemonic::LSL:
      ok = ok && lslType(d);
      if (ok) writeOperand(in, in.op[0], d.limit() & sizeMask(in.opSize));
      break;
    case Mnemonic::VERR: ok = ok && d.readable(); break;
    case Mnemonic::VERW: ok = ok && d.writable(); break;
    default: unimplemented("system-table instruction", &in);
  }
  setFlag(kZF, ok);
}

}  // namespace codemorph::cms::detail
