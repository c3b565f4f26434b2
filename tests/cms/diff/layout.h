// Differential testing against Unicorn (docs/differential-testing.md): the two machine
// modes, their memory layout, and the random initial state every sequence starts from.
//
// Invariants: instructions may write only the data area (the stack lives inside it); they
// may read anything below `ramSize` (both machines hold identical bytes there); code and
// the fault stubs are never written. Faults are recognised by EIP landing on a stub:
// vector v -> HLT at linear `stubBase + v` (IVT entry 0050:v in real mode and in the
// big-real fallback of Flat32; an IDT interrupt gate once protected mode is implemented).
#pragma once
#include <codemorph/cms/cpu_state.h>

#include <cstdint>
#include <vector>

#include "rng.h"

namespace codemorph::cms::diff {

enum class Mode : uint8_t {
  Flat32,  // 32-bit flat protected mode, CPL 0 (Unicorn UC_MODE_32)
  Real16,  // real mode with random segment bases (Unicorn UC_MODE_16)
};
const char* modeName(Mode m);

struct Layout {
  Mode mode;
  uint32_t ramSize;               // both machines: RAM [0, ramSize), identical contents
  uint32_t stubBase = 0x500;      // 256 HLT bytes, one per vector
  uint32_t idtBase = 0x1000;      // Flat32 protected mode: 256 interrupt gates
  uint32_t gdtBase = 0x1800;      // Flat32 protected mode: null, code 08h, data 10h
  uint32_t codeBase, codeSize;    // linear
  uint32_t dataBase, dataSize;    // linear; the only writable bytes
  uint32_t stackLo, stackHi;      // linear window the stack pointer must stay in
  bool writable(uint32_t lin, unsigned size) const {
    return lin >= dataBase && static_cast<uint64_t>(lin) + size <= dataBase + dataSize;
  }
};
const Layout& layoutFor(Mode m);

// Writes the fixed parts of the image (IVT, stubs, IDT, GDT) into `ram` (ramSize bytes).
void buildFixedImage(const Layout& l, std::vector<uint8_t>& ram);

// Random initial architectural state (registers, flags, segments) for one sequence; the
// code starts at l.codeBase. `bigRealFallback` (Flat32 only): the interpreter does not
// implement protected mode yet, so the same flat 4 GiB descriptor caches are used with
// CR0.PE = 0 (see docs/differential-testing.md, "Flat32 before protected mode").
CpuState randomInitialState(const Layout& l, Rng& rng, bool bigRealFallback);
// Random bytes for the data area.
void randomizeData(const Layout& l, Rng& rng, std::vector<uint8_t>& ram);

// Linear address -> "is it a fault stub", with the vector.
inline int stubVector(const Layout& l, uint32_t linear) {
  return linear >= l.stubBase && linear < l.stubBase + 256 ? static_cast<int>(linear - l.stubBase) : -1;
}

}  // namespace codemorph::cms::diff
