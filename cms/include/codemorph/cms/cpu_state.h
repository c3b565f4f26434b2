// Architectural state of one IA-32 CPU as the CMS interpreter sees it: GPRs, EIP, EFLAGS,
// segment registers with their hidden descriptor caches (SDM Vol. 3A 3.4.3), control and
// debug registers, the system table registers (3A 2.4), CPL and the halt state.
//
// Invariants: the state is plain data (trivially copyable), so commit/rollback and
// checkpoints are copies. Segment caches always hold what the CPU would use for address
// translation, whatever the mode (real mode: base = selector << 4, 3A 20.1.1).
#pragma once
#include <array>
#include <cstdint>

namespace codemorph::support {
class OutArchive;
class InArchive;
}  // namespace codemorph::support

namespace codemorph::cms {

// General registers in encoding order (SDM Vol. 2A Table 2-2).
enum Gpr : uint8_t { kEAX, kECX, kEDX, kEBX, kESP, kEBP, kESI, kEDI };
// Segment registers in Sreg encoding order (matches x86::Seg).
enum SegReg : uint8_t { kES, kCS, kSS, kDS, kFS, kGS, kNumSegs };

// EFLAGS bits (SDM Vol. 1 3.4.3).
enum EflagsBit : uint32_t {
  kCF = 1u << 0, kFixed1 = 1u << 1, kPF = 1u << 2, kAF = 1u << 4, kZF = 1u << 6, kSF = 1u << 7,
  kTF = 1u << 8, kIF = 1u << 9, kDF = 1u << 10, kOF = 1u << 11, kIOPL = 3u << 12, kNT = 1u << 14,
  kRF = 1u << 16, kVM = 1u << 17, kAC = 1u << 18, kVIF = 1u << 19, kVIP = 1u << 20, kID = 1u << 21,
};
inline constexpr uint32_t kArithFlags = kCF | kPF | kAF | kZF | kSF | kOF;

// CR0 bits (SDM Vol. 3A 2.5).
enum Cr0Bit : uint32_t {
  kCr0PE = 1u << 0, kCr0MP = 1u << 1, kCr0EM = 1u << 2, kCr0TS = 1u << 3, kCr0ET = 1u << 4,
  kCr0NE = 1u << 5, kCr0WP = 1u << 16, kCr0AM = 1u << 18, kCr0NW = 1u << 29, kCr0CD = 1u << 30,
  kCr0PG = 1u << 31,
};

// A segment register with its descriptor cache (SDM Vol. 3A 3.4.3). `access` holds the
// descriptor's access-rights byte (type, S, DPL, P) in bits 0-7 and the flags nibble
// (AVL, D/B, G) in bits 12-15, i.e. descriptor bits 40-55 shifted down by 40.
struct SegmentCache {
  uint16_t selector = 0;
  uint16_t access = 0;
  uint32_t base = 0;
  uint32_t limit = 0xFFFF;  // byte-granular effective limit
  bool bigDefault() const { return (access & 0x4000u) != 0; }  // D/B bit
};

// GDTR/IDTR (SDM Vol. 3A 2.4.1, 2.4.3).
struct TableRegister {
  uint32_t base = 0;
  uint16_t limit = 0xFFFF;
};

struct CpuState {
  std::array<uint32_t, 8> gpr{};
  uint32_t eip = 0;
  uint32_t eflags = kFixed1;
  std::array<SegmentCache, kNumSegs> seg{};
  std::array<uint32_t, 5> cr{};  // CR0..CR4 (CR1 reserved, kept for indexing)
  uint32_t dr6 = 0xFFFF0FF0u;
  uint32_t dr7 = 0x00000400u;
  std::array<uint32_t, 4> dr{};  // DR0..DR3
  TableRegister gdtr{}, idtr{};
  SegmentCache ldtr{}, tr{};
  uint8_t cpl = 0;
  bool halted = false;
  bool a20 = true;  // A20 gate: false masks linear address bit 20 (PC compatibility)
  uint64_t tscOffset = 0;  // TSC = time source + tscOffset (WRMSR 10h moves it)

  bool protectedMode() const { return (cr[0] & kCr0PE) != 0; }
  bool v86() const { return (eflags & kVM) != 0; }

  // Checkpoint support (support/serialize.h), section "x86cpu" v2 (v1 still loads).
  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);
};

// Loads a segment register the way real mode and V86 mode do (SDM Vol. 3A 20.1.1):
// base = selector * 16; limit and access rights are left as they are (the "unreal" rule).
inline void loadRealModeSegment(SegmentCache& s, uint16_t selector) {
  s.selector = selector;
  s.base = static_cast<uint32_t>(selector) << 4;
}

}  // namespace codemorph::cms
