// C++ view of the firmware ABI (abi.def; docs/cms-runtime.md 2-3).
#pragma once
#include <codemorph/hostisa/isa.h>

#include <cstdint>

namespace codemorph::firmware {

#define ABI_CONST(name, value, desc) inline constexpr uint32_t kAbi_##name = value;
#define ABI_SERVICE(name, number, desc)
#define ABI_REG(name, number, desc)
#define ABI_CAUSE(name)
#include "codemorph/firmware/abi.def"
#undef ABI_CONST
#undef ABI_SERVICE
#undef ABI_REG
#undef ABI_CAUSE

enum class Service : uint16_t {
#define ABI_CONST(name, value, desc)
#define ABI_SERVICE(name, number, desc) name = number,
#define ABI_REG(name, number, desc)
#define ABI_CAUSE(name)
#include "codemorph/firmware/abi.def"
#undef ABI_CONST
#undef ABI_SERVICE
#undef ABI_REG
#undef ABI_CAUSE
};

// Host register numbers: kReg_eip, kReg_budget, ...
#define ABI_CONST(name, value, desc)
#define ABI_SERVICE(name, number, desc)
#define ABI_REG(name, number, desc) inline constexpr unsigned kReg_##name = number;
#define ABI_CAUSE(name)
#include "codemorph/firmware/abi.def"
#undef ABI_CONST
#undef ABI_SERVICE
#undef ABI_REG
#undef ABI_CAUSE

// x86 GPR i (EAX..EDI in encoding order) lives in host register 1 + i.
inline constexpr unsigned gprRegister(unsigned x86Gpr) { return 1 + x86Gpr; }

static_assert(kAbi_LOOKUP_ENTRY_BYTES == 1u << kAbi_LOOKUP_ENTRY_SHIFT);
static_assert((kAbi_LOOKUP_ENTRIES & (kAbi_LOOKUP_ENTRIES - 1)) == 0);
static_assert(kAbi_DATA_OFFSET >= kAbi_FIRMWARE_OFFSET + kAbi_FIRMWARE_MAX_BYTES);
static_assert(kAbi_LOOKUP_OFFSET >= kAbi_DATA_OFFSET + kAbi_DATA_BYTES);
static_assert(kAbi_TCACHE_OFFSET >= kAbi_LOOKUP_OFFSET + kAbi_LOOKUP_ENTRIES * kAbi_LOOKUP_ENTRY_BYTES);

// The lookup-table index of an entry EIP (the firmware computes the same).
inline constexpr uint32_t lookupIndex(uint32_t eip) {
  return (eip ^ (eip >> kAbi_LOOKUP_HASH_SHIFT)) & (kAbi_LOOKUP_ENTRIES - 1);
}

}  // namespace codemorph::firmware
