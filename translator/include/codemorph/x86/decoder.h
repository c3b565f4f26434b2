// IA-32 instruction decoder: bytes -> DecodedInsn, table-driven (tables in the SDM's
// operand notation, one file per opcode map under translator/x86/), shared by the CMS
// interpreter and the translator front end.
//
// Contract:
//  - decode() never allocates, never throws, never reads beyond the given span, and
//    returns one of: Ok; NeedMore (the span ended before the instruction did and the
//    length limit was not reached: fetch more bytes, e.g. from the next page, and call
//    again with the longer span); Invalid (#UD); TooLong (the length limit was crossed:
//    #GP(0), 15 bytes on Pentium-class CPUs, 10 bytes on the 286; see exceptionVector()).
//  - The CPU model is a decode parameter (DecodeMode::profile). Every difference between
//    profiles is one row of kCpuProfileTable (profiles.cpp) or a Feature tag on a table entry.
//  - LOCK legality (SDM Vol. 2A "LOCK"): decided here; an illegal LOCK is Invalid.
#pragma once
#include <codemorph/x86/mnemonic.h>
#include <codemorph/x86/operands.h>

#include <cstddef>
#include <cstdint>
#include <span>

namespace codemorph::x86 {

// ISA features an opcode-table entry may require (one bit each).
enum Feature : uint16_t {
  kFeat8086 = 0,            // always present
  kFeat186 = 1u << 0,       // PUSHA, BOUND, ENTER, INS/OUTS, PUSH/IMUL imm, shift imm
  kFeat286 = 1u << 1,       // protected-mode system instructions (0F 00-03, 06, ARPL)
  kFeat286Only = 1u << 2,   // LOADALL (0F 05), present on the 80286 only
  kFeat386 = 1u << 3,       // 32-bit operands/addresses, FS/GS, the 386 0F map
  kFeat486 = 1u << 4,       // BSWAP, CMPXCHG, XADD, INVD, WBINVD, INVLPG
  kFeatPentium = 1u << 5,   // CPUID, RDTSC, RDMSR, WRMSR, CMPXCHG8B, RSM
  kFeatP6 = 1u << 6,        // CMOVcc, FCMOVcc, FCOMI, RDPMC, UD2, NOP Ev
  kFeatSep = 1u << 7,       // SYSENTER/SYSEXIT (Pentium II)
  kFeatMmx = 1u << 8,       // MMX
  kFeatFpu = 1u << 9,       // an x87 is present (otherwise D8-DF decode as ESC)
};

enum class CpuProfile : uint8_t {
  I286,        // 80286 (SST conformance data): 16-bit only, 10-byte limit -> #GP
  Pentium,     // P5 without MMX
  PentiumMMX,  // P55C
  PentiumII,   // P6 family with MMX and SYSENTER/SYSEXIT, no FXSR/SSE: the default
  Count
};

// One row of the profile table (profiles.cpp): everything that differs between CPU models.
struct ProfileInfo {
  const char* name;
  uint16_t features;       // Feature bits
  uint8_t maxLength;       // instruction length limit in bytes
  uint8_t tooLongVector;   // exception raised beyond maxLength (6 = #UD, 13 = #GP)
  bool lockChecked;        // LOCK on a non-lockable form is #UD (386+); the 286 ignores it
  bool allows32;           // 32-bit code segments / 66 / 67 exist
};
namespace detail {
// The profile table itself (profiles.cpp); read it through profileInfo().
extern const ProfileInfo kCpuProfileTable[static_cast<unsigned>(CpuProfile::Count)];
}  // namespace detail
// The row of profile p (out-of-range values: PentiumII). Inline: decode() calls it once
// per instruction, so the lookup is an index, not a call.
inline const ProfileInfo& profileInfo(CpuProfile p) {
  const auto i = static_cast<unsigned>(p);
  return detail::kCpuProfileTable[i < static_cast<unsigned>(CpuProfile::Count)
                                      ? i
                                      : static_cast<unsigned>(CpuProfile::PentiumII)];
}

struct DecodeMode {
  uint8_t codeSize = 32;  // CS.D: 16 or 32 (default operand and address size)
  CpuProfile profile = CpuProfile::PentiumII;
};

enum class DecodeStatus : uint8_t { Ok, NeedMore, Invalid, TooLong };
// x86 exception vector for a failed decode under profile p (6 = #UD, 13 = #GP), 0 if Ok.
uint8_t exceptionVector(DecodeStatus s, CpuProfile p);

// Prefix bits in DecodedInsn::prefixes (every prefix seen, in any order).
enum Prefix : uint16_t {
  kPfxLock = 1u << 0,
  kPfxRepne = 1u << 1,  // F2
  kPfxRep = 1u << 2,    // F3
  kPfxOpSize = 1u << 3,
  kPfxAddrSize = 1u << 4,
  kPfxES = 1u << 5,
  kPfxCS = 1u << 6,
  kPfxSS = 1u << 7,
  kPfxDS = 1u << 8,
  kPfxFS = 1u << 9,
  kPfxGS = 1u << 10,
};

// Flags in DecodedInsn::flags.
enum InsnFlag : uint16_t {
  kInsnModrm = 1u << 0,       // has a ModRM byte
  kInsnX87 = 1u << 1,         // ESC opcode D8-DF
  kInsnMmx = 1u << 2,         // MMX: decoded for length, not executed yet
  kInsnLockable = 1u << 3,    // a LOCK prefix would be legal (lockable op, memory dest)
  kInsnPmOnly = 1u << 4,      // #UD in real and virtual-8086 mode (ARPL, LAR, Grp6 ...)
  kInsnUndocumented = 1u << 5,// real-hardware behaviour not in the SDM maps (SALC, aliases)
  kInsnBranch = 1u << 6,      // may transfer control (ends a basic block)
  kInsnPrivileged = 1u << 7,  // CPL 0 only (#GP otherwise)
  kInsnImplicitLock = 1u << 8,// XCHG with memory: locked without a prefix
};

enum class OpKind : uint8_t { None, Reg, Mem, Imm, Rel, Far };

// One decoded operand: 12 bytes, POD.
struct Operand {
  OpKind kind;
  uint8_t size;       // bytes accessed (0: address only, e.g. LEA / INVLPG)
  Reg reg;            // Reg: the register; Mem: base register or None
  Reg index;          // Mem: index register or None
  uint8_t scale;      // Mem: 1, 2, 4 or 8
  Seg seg;            // Mem: effective segment (override or default)
  uint16_t selector;  // Far: selector of ptr16:16/ptr16:32
  uint32_t value;     // Imm: value (sign-/zero-extended to 32 bits); Rel: signed offset;
                      // Mem: displacement; Far: offset
};

struct DecodedInsn {
  Mnemonic mnemonic;
  uint8_t length;       // bytes, prefixes included
  uint8_t map;          // 0: one-byte map, 1: 0F two-byte map
  uint8_t opcode;       // last opcode byte
  uint8_t modrm;        // valid if flags & kInsnModrm
  uint8_t sib;
  uint8_t opSize;       // operand size in bytes: 2 or 4
  uint8_t addrSize;     // address size in bytes: 2 or 4
  uint8_t cond;         // Jcc/SETcc/CMOVcc condition (SDM Vol. 1 B.1), else 0
  uint8_t numOperands;
  uint8_t numPrefixes;
  Seg segOverride;      // last segment override prefix, or None
  uint8_t rep;          // last of F2/F3 seen, or 0
  uint16_t prefixes;    // Prefix bits
  uint16_t flags;       // InsnFlag bits
  uint16_t feature;     // Feature bits the instruction requires
  Operand op[3];        // in the manual's order: destination first
};

// Decode one instruction from `bytes` (bytes[0] is at CS:EIP).
DecodeStatus decode(std::span<const uint8_t> bytes, const DecodeMode& mode, DecodedInsn& out);

// Target of a relative branch operand: next EIP + offset, wrapped to the operand size.
constexpr uint32_t branchTarget(const DecodedInsn& insn, const Operand& rel, uint32_t eip) {
  const uint32_t t = eip + insn.length + rel.value;
  return insn.opSize == 2 ? (t & 0xFFFFu) : t;
}

}  // namespace codemorph::x86
