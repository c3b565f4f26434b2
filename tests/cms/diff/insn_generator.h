// Weighted random generator of IA-32 integer instructions for the differential tests.
// It is *state-aware*: it sees the CPU state the instruction will run in, so memory operands
// are encoded to hit the data area (displacement = target - base - index*scale), string
// instructions get bounded counts, DIV gets a sign/zero-extended dividend, ... by emitting
// ordinary setup instructions (MOV r,imm / XOR / CDQ ...) first. Whatever it emits is then
// trial-run on the interpreter by the sequence builder, which rejects candidates that
// leave the sandbox (sequence_builder.h), so the generator may be approximate.
//
// Exclusions (not comparable with Unicorn, see docs/differential-testing.md): privileged
// and system instructions, I/O, INT/INTO/INT3/IRET, segment-register loads, far transfers,
// HLT, x87/MMX, CPUID/RDTSC/RDMSR, BOUND, LOCK on non-lockable forms, backward branches,
// 16-bit BSWAP and SHLD/SHRD by more than the operand width (undefined results), and
// PUSH of segment registers in Flat32 (Unicorn's flat selectors are 0, ours 08h/10h).
#pragma once
#include <codemorph/cms/cpu_state.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "layout.h"
#include "rng.h"

namespace codemorph::cms::diff {

class InsnGenerator {
 public:
  InsnGenerator(const Layout& layout, Rng& rng) : l_(layout), rng_(rng) {}

  // The bytes of the next instruction to run in state `s` with memory `ram` (a queued
  // setup instruction or a fresh random one).
  std::vector<uint8_t> next(const CpuState& s, const std::vector<uint8_t>& ram);
  // The last instruction was rejected: drop what was queued behind it.
  void dropQueue() { queue_.clear(); }
  // Starts a new sequence: a fresh "hot" window that memory targets cluster in.
  void beginSequence();

 private:
  struct Builder;
  void fresh(const CpuState& s);
  bool encodeMem(const CpuState& s, Builder& b, uint32_t target);
  void rmOperand(const CpuState& s, Builder& b, unsigned size, unsigned memPercent);
  uint32_t peek(uint32_t linear, unsigned size) const;
  uint32_t dataTarget(unsigned size);
  uint32_t pointerFor(const CpuState& s, unsigned seg);  // offset of a data byte in seg
  void queueMovImm(unsigned reg, uint32_t value);         // MOV r32, imm32
  void queue(const Builder& b);

  const Layout& l_;
  Rng& rng_;
  const std::vector<uint8_t>* ram_ = nullptr;
  uint32_t hot_ = 0;
  std::deque<std::vector<uint8_t>> queue_;
};

}  // namespace codemorph::cms::diff
