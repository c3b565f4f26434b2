// The loop-heavy VLIW program shared by the ISS and RTL throughput benchmarks: nested
// loops of ALU work, guest loads and gated stores through the host TLB (one identity
// entry at 0x10000), host loads/stores at r3, a commit per inner loop. The caller sets
// r3 = host data pointer and r11 = outer iterations, then runs from kLoopBase to halt.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "codemorph/hostisa/assembler.h"

namespace codemorph::bench {

// r1 inner counter, r11 outer counter, r2 guest pointer, r3 host pointer, r4..r14 data.
// Slots of a 4-atom molecule: ALU0/FPU, ALU1, LSU, BRU.
inline constexpr const char* kLoopProgram = R"(
outer:  { li r1, 16 ; li r2, 0 ; nop ; nop }
        { addi r5, r5, 3 ; lih r2, 1 ; ld32 r10, 0(r3) ; nop }
inner:  { add r4, r4, r5 ; xor r6, r6, r4 ; ldg32 r7, 0(r2) ; nop }
        { addi r2, r2, 4 ; shli r8, r7, 1 ; stg32 r8, 64(r2) ; nop }
        { mul r9, r7, r4 ; addi r1, r1, -1 ; ldg32 r12, 60(r2) ; nop }
        { add r13, r13, r12 ; sub r14, r6, r9 ; st32 r13, 4(r3) ; bnz r1, inner }
        { addi r11, r11, -1 ; add r10, r10, r13 ; nop ; nop } commit
        { nop ; nop ; nop ; bnz r11, outer }
        { nop ; nop ; nop ; halt }
)";
inline constexpr uint32_t kLoopBase = 0x1000;

inline std::vector<uint8_t> loopProgramImage() {
  hostisa::AsmOptions opts;
  opts.fileName = "vliw_loop_program";
  opts.baseAddress = kLoopBase;
  const hostisa::AsmResult r = hostisa::assemble(kLoopProgram, opts);
  if (!r.ok) throw std::runtime_error(r.errorText());
  return r.image;
}

}  // namespace codemorph::bench
