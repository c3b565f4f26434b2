// CPU models the interpreter can be: ONE table (cms/interp/cpu_models.cpp, kCpuModels)
// lists every defined-behaviour difference between them; the decode-level differences
// (opcode availability, length limit, LOCK checking) are the decoder's profile row
// (translator/x86/profiles.cpp) that each model names. Nothing else in the interpreter
// tests "is this a 286".
#pragma once
#include <codemorph/x86/decoder.h>

#include <cstdint>
#include <span>
#include <string_view>

namespace codemorph::cms {

struct CpuModel {
  const char* name;                // --cpu NAME
  x86::CpuProfile decodeProfile;   // decoder profile (features, length limit, LOCK rule)
  uint32_t eflagsImplemented;      // EFLAGS bits that exist (others read as 0; bit 1 reads 1)
  bool realModeClearsFlags12To15;  // 286: IOPL/NT/bit 15 stay 0 in real mode
  bool hasFpu;                     // x87 present; without it ESC (D8-DF) only checks its address
  bool has32;                      // 32-bit operands/addresses and registers
  uint32_t cr0Fixed1;              // CR0 bits that read as 1 (286 MSW: bits 4-15 are 1)
  uint8_t realModeStackLimitVector; // SS limit violation in real mode: 286 #GP(13), 386+ #SS(12)
  // 286: a segment-limit fault on a string element's access or on POP m16's store is taken
  // after the instruction stepped its index registers / count / SP (no register rollback).
  bool lateLimitFaults;
  uint8_t sgdtFillByte;            // SGDT/SIDT with 16-bit operands: byte 5 (286: FF, 386+: 00)
  // IDIV r/m8 whose quotient overflows: real 286 (and 386) silicon does not raise #DE when
  // flipping bit 14 of AX gives a quotient of exactly -128; it returns that quotient and
  // remainder instead (SST 80286 F6.7 idx 952; the same rule fits the 8 such cases of the
  // SingleStepTests 80386 data). Undocumented; the Pentium-class models follow the SDM.
  bool idiv8Bit14Quirk;
  uint32_t cpuidSignature;         // CPUID leaf 1 EAX (stepping | model << 4 | family << 8)
  const char* description;
};

// The model table; the first entry is the default (Pentium-class).
std::span<const CpuModel> cpuModels();
const CpuModel& defaultCpuModel();
// Looks a model up by name ("286", "pentium", "pentium2" ...); nullptr if unknown.
const CpuModel* findCpuModel(std::string_view name);

}  // namespace codemorph::cms
