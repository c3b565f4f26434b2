// THE table of CPU-model differences in defined behaviour (see cpu_model.h). The rows
// cite where the SDM (or, for the 286, the iAPX 286 Programmer's Reference) defines the
// difference. Decode-level differences are the decoder profile named in the second column.
#include <codemorph/cms/cpu_model.h>

#include <iterator>

namespace codemorph::cms {
namespace {

using x86::CpuProfile;

// EFLAGS bits per generation (SDM Vol. 1 3.4.3; Vol. 3A 22.15 "Flags").
constexpr uint32_t kFlags286 = 0x7FD5u;               // CF..OF, IOPL, NT
constexpr uint32_t kFlagsPentium = 0x3F7FD5u;         // + RF VM AC VIF VIP ID

// clang-format off
constexpr CpuModel kCpuModels[] = {
  // name        decoder profile          EFLAGS        rm 12-15=0 FPU    32-bit CR0 fixed-1 SS-limit late SGDT  IDIV8 b14 CPUID sig
  // CPUID signatures (cpuid_msr.cpp): family 5 model 4 stepping 3 as a Crusoe reports; the
  // P5 profile reports family 5 model 2 stepping 0.
  {"pentium2",   CpuProfile::PentiumII,   kFlagsPentium, false,    true,  true,  0x00000010u, 12,     false, 0x00, false,     0x543,
   "Pentium II-class integer core (default); x87/MMX decode but are not executed yet"},
  {"pentium",    CpuProfile::Pentium,     kFlagsPentium, false,    true,  true,  0x00000010u, 12,     false, 0x00, false,     0x520,
   "Pentium (P5) integer core"},
  // 80286: FLAGS 12-15 always 0 in real mode (Vol. 3A 22.15); no coprocessor on the SST rig,
  // so ESC only computes/checks its address; MSW bits 4-15 read 1 (SMSW, Vol. 3A 22.21);
  // real-mode segment overrun is interrupt 13 for every segment, SS included (iAPX 286
  // PRM 5-7, matches the SST data); a limit fault inside MOVS/CMPS/LODS/STOS/SCAS/INS/OUTS
  // or on POP m16's store is taken after the registers were stepped (SST data: SI/DI/CX
  // and SP keep their new values in the pushed frame); 16-bit SGDT stores FFh in the top base byte (Vol. 2B SGDT);
  // the IDIV r/m8 bit-14 quirk (cpu_model.h).
  {"286",        CpuProfile::I286,        kFlags286,     true,     false, false, 0x0000FFF0u, 13,     true,  0xFF, true,      0,
   "Intel 80286 in real mode, no 80287 (SingleStepTests 80286 data)"},
};
// clang-format on

}  // namespace

std::span<const CpuModel> cpuModels() { return kCpuModels; }
const CpuModel& defaultCpuModel() { return kCpuModels[0]; }

const CpuModel* findCpuModel(std::string_view name) {
  for (const CpuModel& m : kCpuModels)
    if (name == m.name) return &m;
  if (name == "i286" || name == "80286") return &kCpuModels[2];
  if (name == "pentium-ii" || name == "p2") return &kCpuModels[0];
  return nullptr;
}

}  // namespace codemorph::cms
