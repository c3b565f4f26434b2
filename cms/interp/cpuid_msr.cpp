// CPUID, RDTSC, RDMSR/WRMSR and RDPMC (SDM Vol. 2A CPUID, Vol. 2B RDTSC/RDMSR/WRMSR/RDPMC,
// Vol. 3B 17.17 time-stamp counter). CPUID reports only what the interpreter implements:
//   leaf 0: EAX = 1 (highest basic leaf), vendor "GenuineTMx86" (the co-designed VM's
//           vendor, as on Transmeta Crusoe);
//   leaf 1: EAX = the model's signature (CpuModel::cpuidSignature; pentium2: 0x543 =
//           family 5, model 4, stepping 3 as a Crusoe reports), EBX = ECX = 0,
//           EDX = PSE (3) | TSC (4) | MSR (5) | CX8 (8) | CMOV (15, P6 decode profiles only);
//           no FPU, VME, DE, APIC, SEP, MTRR, PGE, MMX bits until those are executed.
//   any higher leaf (basic or 8000_0000h+) returns leaf 1's data, as Intel CPUs do for
//   leaves above the maximum.
// RDTSC reads the injected TimeSource (default: retired instructions) plus CpuState::
// tscOffset; CR4.TSD makes it CPL-0 only. MSR 10h (TSC) is the only MSR: WRMSR writes its
// low 32 bits and clears the high ones (P6 family, Vol. 3B 17.17); others are #GP(0).
// RDPMC: no performance counters and no CR4.PCE, so #GP(0).
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;

namespace {
constexpr uint32_t kFeatPse = 1u << 3, kFeatTsc = 1u << 4, kFeatMsr = 1u << 5, kFeatCx8 = 1u << 8,
                   kFeatCmov = 1u << 15;
constexpr uint32_t kMsrTsc = 0x10;
constexpr uint32_t kCr4Tsd = 1u << 2;
}  // namespace

uint64_t Core::timeStampCounter() const {
  const uint64_t t = timeSource ? timeSource->ticks() : retired;
  return t + s.tscOffset;
}

void Core::execCpuidMsr(const x86::DecodedInsn& in) {
  switch (in.mnemonic) {
    case Mnemonic::CPUID: {
      if (s.gpr[kEAX] == 0) {
        s.gpr[kEAX] = 1;
        s.gpr[kEBX] = 0x756E6547u;  // "Genu"
        s.gpr[kEDX] = 0x54656E69u;  // "ineT"
        s.gpr[kECX] = 0x3638784Du;  // "Mx86"
        return;
      }
      uint32_t edx = kFeatPse | kFeatTsc | kFeatMsr | kFeatCx8;
      if (decodeInfo.features & x86::kFeatP6) edx |= kFeatCmov;
      s.gpr[kEAX] = model.cpuidSignature;
      s.gpr[kEBX] = 0;
      s.gpr[kECX] = 0;
      s.gpr[kEDX] = edx;
      return;
    }
    case Mnemonic::RDTSC: {
      if ((s.cr[4] & kCr4Tsd) && s.protectedMode() && s.cpl != 0) raise(kVecGP, 0);
      const uint64_t t = timeStampCounter();
      s.gpr[kEAX] = static_cast<uint32_t>(t);
      s.gpr[kEDX] = static_cast<uint32_t>(t >> 32);
      return;
    }
    case Mnemonic::RDMSR: {
      if (s.gpr[kECX] != kMsrTsc) raise(kVecGP, 0);
      const uint64_t t = timeStampCounter();
      s.gpr[kEAX] = static_cast<uint32_t>(t);
      s.gpr[kEDX] = static_cast<uint32_t>(t >> 32);
      return;
    }
    case Mnemonic::WRMSR: {
      if (s.gpr[kECX] != kMsrTsc) raise(kVecGP, 0);
      const uint64_t now = timeStampCounter() - s.tscOffset;
      s.tscOffset = static_cast<uint64_t>(s.gpr[kEAX]) - now;
      return;
    }
    case Mnemonic::RDPMC: raise(kVecGP, 0);
    default: unimplemented("CPUID/MSR instruction", &in);
  }
}

}  // namespace codemorph::cms::detail
