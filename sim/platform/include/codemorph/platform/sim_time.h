// Simulated time for the platform: integer picoseconds since power-on. No wall clock ever
// reaches a device (ARCHITECTURE.md section 4). Conversions to the 8254's 1.193182 MHz
// input clock are exact integer arithmetic so that every host computes the same ticks.
#pragma once
#include <cstdint>

namespace codemorph::platform {

using SimTime = uint64_t;  // picoseconds
inline constexpr SimTime kPicosPerNano = 1000;
inline constexpr SimTime kPicosPerMicro = 1000 * kPicosPerNano;
inline constexpr SimTime kPicosPerSecond = 1000000 * kPicosPerMicro;
inline constexpr SimTime kNever = ~SimTime{0};

// The PC's PIT clock: 14.31818 MHz / 12 = 1.193182 MHz (8254 datasheet, CLK input).
inline constexpr uint64_t kPitHz = 1193182;
__extension__ typedef unsigned __int128 Wide;  // t * kPitHz overflows 64 bits after 15 s

// Number of PIT clock edges that occurred in [0, t]: floor(t * f / 1e12).
constexpr uint64_t pitTicksAt(SimTime t) {
  return static_cast<uint64_t>((static_cast<Wide>(t) * kPitHz) / kPicosPerSecond);
}
// Time of PIT clock edge n: the smallest t with pitTicksAt(t) >= n.
constexpr SimTime pitTickTime(uint64_t n) {
  const Wide num = static_cast<Wide>(n) * kPicosPerSecond;
  return static_cast<SimTime>((num + kPitHz - 1) / kPitHz);
}

}  // namespace codemorph::platform
