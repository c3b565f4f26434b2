// Arithmetic-flag helpers and the ONE table of flags the SDM leaves *undefined* per
// instruction (cms/interp/flags.cpp). The interpreter computes every flag exactly
// (including the undefined ones, with one fixed, documented choice); comparisons against
// other CPUs (SingleStepTests, co-simulation against hardware) mask exactly these bits.
#pragma once
#include <codemorph/x86/decoder.h>

#include <cstdint>

namespace codemorph::cms {

// EFLAGS bits the SDM calls undefined after `insn` (SDM Vol. 2 instruction pages, "Flags
// Affected"). `count` is the shift/rotate count as the instruction sees it before masking
// (CL or the immediate); ignored for other instructions. `faulted` is true when the
// instruction raised an exception (e.g. DIV #DE): flags then are those of the interrupted
// instruction, and a CPU may have already changed the ones the instruction leaves undefined.
uint32_t undefinedFlags(const x86::DecodedInsn& insn, uint32_t count, bool faulted = false);

// Parity of the low byte: PF set when the number of 1 bits is even.
inline bool parityEven(uint32_t v) { return ((0x6996u >> ((v ^ (v >> 4)) & 0xFu)) & 1u) == 0; }

}  // namespace codemorph::cms
