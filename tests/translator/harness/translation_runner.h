// Test harness: runs one translation on the reference ISS (docs/iss.md) from a given x86
// state, and the same instructions on the x86 reference interpreter (cms::Interpreter),
// and compares what the CMS could observe: GPRs, EIP (r9 at the exit), the arithmetic
// flags (minus those the SDM leaves undefined), the instruction budget and memory.
//
// ISS layout (host_tlb off: guest linear = physical): guest RAM image at 0, the
// translation at kCodeBase, firmware stand-ins (one `halt` molecule per entry point, plus
// the trap vector) at kFirmwareBase, and a prologue molecule that commits the initial state
// (so rollback returns to it) and jumps to the translation.
#pragma once
#include <codemorph/cms/cpu_state.h>
#include <codemorph/translator/translate.h>

#include <cstdint>
#include <string>
#include <vector>

#include "codemorph/hostisa/iss/iss.h"

namespace codemorph::translator::test {

inline constexpr uint32_t kIssMemory = 2u << 20;
inline constexpr uint32_t kCodeBase = 0x180000;
inline constexpr uint32_t kFirmwareBase = 0x1F0000;
inline constexpr uint32_t kFwDispatch = kFirmwareBase + 0x00;
inline constexpr uint32_t kFwDispatchIndirect = kFirmwareBase + 0x08;
inline constexpr uint32_t kFwInterpret = kFirmwareBase + 0x10;
inline constexpr uint32_t kFwExitBudget = kFirmwareBase + 0x18;
inline constexpr uint32_t kTrapVector = kFirmwareBase + 0x20;
inline constexpr uint32_t kPrologue = kFirmwareBase + 0x28;

Placement testPlacement();

enum class Landing : uint8_t { Dispatch, DispatchIndirect, Interpret, ExitBudget, Trap, Other };
const char* landingName(Landing l);

struct IssOutcome {
  Landing landing = Landing::Other;
  hostisa::TrapCause cause = hostisa::TrapCause::None;
  uint32_t tval = 0, tpc = 0;  // of a trap
  uint32_t gpr[8] = {};
  uint32_t r9 = 0, r30 = 0, xflags = 0;
  uint64_t cycles = 0;
  uint64_t molecules = 0;
  std::vector<uint8_t> memory;  // [0, ramSize)
};

struct IssRunConfig {
  unsigned maxAtoms = 4;
  unsigned storeBufferEntries = 32;
  unsigned aliasRegisters = 8;
  bool hostTlb = false;
  bool partialRegs = true;  // hostisa.partial_regs (off: ins*/ext8h are ILLEGAL)
  bool segAgen = true;      // hostisa.seg_agen (off: agen is ILLEGAL)  // hostisa.host_tlb: on, every page of the image is mapped 1:1
};

// Runs `t` from `state` with guest memory `ram` (placed at physical 0) and budget r30.
IssOutcome runOnIss(const Translation& t, const cms::CpuState& state, const std::vector<uint8_t>& ram,
                    uint32_t budget, const IssRunConfig& config = {});

// Runs `count` instructions on the interpreter from `state` over a copy of `ram`.
struct InterpOutcome {
  cms::CpuState state;
  std::vector<uint8_t> memory;
  uint32_t undefinedFlags = 0;  // flags the SDM leaves undefined after these instructions
};
InterpOutcome runOnInterpreter(const cms::CpuState& state, const std::vector<uint8_t>& ram, uint32_t count);

// True if the interpreter, run from `state`, leaves the trace (an instruction's EIP is not
// the region's next one) within the region: a translation may then fault speculatively on
// an access of the path not taken (the CMS rolls back and interprets).
bool interpreterLeavesTrace(const cms::CpuState& state, const std::vector<uint8_t>& ram,
                            const std::vector<RegionInsn>& insns);

// "" if they agree, else a description of every difference.
std::string compare(const IssOutcome& iss, const InterpOutcome& ref, uint32_t budgetBefore, uint32_t retired);

// Decodes the instructions at the given EIPs of a trace into a region (followTaken set
// from the trace: the next instruction is at the branch target).
std::vector<RegionInsn> regionFromTrace(const std::vector<uint8_t>& ram, const cms::CpuState& state,
                                        const std::vector<uint32_t>& eips);

}  // namespace codemorph::translator::test
