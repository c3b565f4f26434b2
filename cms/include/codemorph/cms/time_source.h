// The simulated-time source the interpreter reads for RDTSC (ARCHITECTURE.md 4: no wall
// clock reaches the guest). The platform supplies cycle time or instruction time; without
// one the interpreter counts retired instructions (one TSC tick per instruction).
#pragma once
#include <cstdint>

namespace codemorph::cms {

class TimeSource {
 public:
  virtual ~TimeSource() = default;
  // Monotonic time stamp in TSC ticks since reset.
  virtual uint64_t ticks() const = 0;
};

}  // namespace codemorph::cms
