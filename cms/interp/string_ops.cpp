// String instructions MOVS CMPS SCAS LODS STOS INS OUTS with REP/REPE/REPNE (SDM Vol. 2B
// "REP/REPE/REPZ/REPNE/REPNZ"). Index registers are SI/DI or ESI/EDI and the count CX or
// ECX by address size; DF chooses the direction. Each element updates the registers only
// after its memory accesses succeeded, so a fault mid-string restarts at the right element
// (the instruction is restartable, Vol. 2B REP). A pending interrupt ends a REP early with
// EIP still at the instruction, as on hardware.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;

void Core::execString(const x86::DecodedInsn& in) {
  const unsigned as = in.addrSize;
  const uint32_t amask = sizeMask(as);
  // Element size and the segment of the (overridable) DS:rSI operand.
  unsigned size;
  unsigned srcSeg = kDS;
  switch (in.mnemonic) {
    case Mnemonic::MOVS: size = in.op[0].size; srcSeg = segOf(in.op[1]); break;
    case Mnemonic::CMPS: size = in.op[0].size; srcSeg = segOf(in.op[0]); break;
    case Mnemonic::LODS: size = in.op[0].size; srcSeg = segOf(in.op[1]); break;
    case Mnemonic::OUTS: size = in.op[1].size; srcSeg = segOf(in.op[1]); break;
    case Mnemonic::SCAS: size = in.op[0].size; break;
    case Mnemonic::STOS: size = in.op[0].size; break;
    case Mnemonic::INS: size = in.op[0].size; break;
    default: unimplemented("string instruction", &in);
  }
  const uint32_t delta = flag(kDF) ? static_cast<uint32_t>(-static_cast<int32_t>(size)) : size;
  const auto port = static_cast<uint16_t>(gpr(kEDX, 2));
  // INS/OUTS check I/O permission before anything else, even with a zero count (as QEMU).
  if (in.mnemonic == Mnemonic::INS || in.mnemonic == Mnemonic::OUTS) checkIoPermission(port, size);

  auto one = [&]() {
    const uint32_t si = gpr(kESI, as);
    const uint32_t di = gpr(kEDI, as);
    // CPU models with late limit faults (286) step the registers of the faulting element
    // before the exception is taken: SI and/or DI as far as the microcode got, and (under
    // REP) CX by `cxSteps` (SST 80286 data: MOVS 1 on the read, 2 on the write; CMPS 0 on
    // its first (ES:DI) read, 1 on the second; SCAS/LODS/STOS/INS/OUTS 1).
    auto access = [&](auto&& fn, bool stepSi, bool stepDi, unsigned cxSteps) {
      if (!model.lateLimitFaults) return fn();
      try {
        return fn();
      } catch (const GuestFault&) {
        if (stepSi) setGpr(kESI, as, (si + delta) & amask);
        if (stepDi) setGpr(kEDI, as, (di + delta) & amask);
        if (in.rep) setGpr(kECX, as, (gpr(kECX, as) - cxSteps) & amask);
        throw;
      }
    };
    auto readSrc = [&] { return access([&] { return read(srcSeg, si, size); }, true, false, 1); };
    switch (in.mnemonic) {
      case Mnemonic::MOVS: {
        const uint32_t v = readSrc();
        access([&] { write(kES, di, size, v); }, true, true, 2);
        setGpr(kESI, as, (si + delta) & amask);
        setGpr(kEDI, as, (di + delta) & amask);
        break;
      }
      case Mnemonic::CMPS: {
        // ES:DI is read first (the 286 order; the SDM leaves it open).
        const uint32_t b = access([&] { return read(kES, di, size); }, false, true, 0);
        const uint32_t a = access([&] { return read(srcSeg, si, size); }, true, true, 1);
        sub(a, b, 0, size);
        setGpr(kESI, as, (si + delta) & amask);
        setGpr(kEDI, as, (di + delta) & amask);
        break;
      }
      case Mnemonic::SCAS: {
        const uint32_t b = access([&] { return read(kES, di, size); }, false, true, 1);
        sub(gpr(kEAX, size), b, 0, size);
        setGpr(kEDI, as, (di + delta) & amask);
        break;
      }
      case Mnemonic::LODS:
        setGpr(kEAX, size, readSrc());
        setGpr(kESI, as, (si + delta) & amask);
        break;
      case Mnemonic::STOS:
        access([&] { write(kES, di, size, gpr(kEAX, size)); }, false, true, 1);
        setGpr(kEDI, as, (di + delta) & amask);
        break;
      case Mnemonic::INS: {
        // The destination is checked before the port is read.
        const uint32_t lin = access([&] { return linear(kES, di, size, Access::Write); }, false, true, 1);
        writeLinear(lin, size, portIn(port, size));
        setGpr(kEDI, as, (di + delta) & amask);
        break;
      }
      default:  // OUTS
        portOut(port, size, readSrc());
        setGpr(kESI, as, (si + delta) & amask);
        break;
    }
  };

  if (in.rep == 0) {
    one();
    return;
  }
  const bool compares = in.mnemonic == Mnemonic::CMPS || in.mnemonic == Mnemonic::SCAS;
  uint32_t count = gpr(kECX, as);
  while (count != 0) {
    one();
    count = (count - 1) & amask;
    setGpr(kECX, as, count);
    if (compares && ((in.rep == 0xF3) != flag(kZF))) break;  // REPE stops on NZ, REPNE on Z
    if (count != 0 && (nmiPending || (intrLine && flag(kIF)))) {
      nextEip = insnEip;  // resume the REP after the interrupt (Vol. 2B REP)
      break;
    }
  }
}

}  // namespace codemorph::cms::detail
