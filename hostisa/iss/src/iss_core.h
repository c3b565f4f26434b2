// Internal state of the reference ISS and the pre-decoded molecule cache. Only the ISS
// sources include this; the public view is iss.h / core_api.h. The rules the state
// machine follows are in docs/iss.md.
//
// Invariants:
//  - regs_[0] == 0 between molecules; regs_[kFlagsRegIndex] holds xflags (only the bits in
//    kXflagsMask), so the scoreboard, the semantics and the shadow copy treat the flags
//    as register 64.
//  - A CodePage's molecules are valid iff their gen equals the page's gen; every write to
//    memory (store, drain, host write, checkpoint load) bumps the gen of the written page
//    (and of the page before it when a cached molecule runs into the written page).
//  - The store buffer holds sb_[0..sbCount_) oldest first; sbLo_/sbHi_ bound the bytes.
#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "codemorph/hostisa/isa.h"
#include "codemorph/hostisa/iss/core_api.h"
#include "codemorph/hostisa/iss/iss_config.h"

namespace codemorph::hostisa::iss {

inline constexpr uint32_t kCF = 1u << 0, kPF = 1u << 2, kAF = 1u << 4, kZF = 1u << 6,
                          kSF = 1u << 7, kDF = 1u << 10, kOF = 1u << 11;
inline constexpr uint32_t kArithFlags = kCF | kPF | kAF | kZF | kSF | kOF;
inline constexpr uint32_t kXflagsMask = kArithFlags | kDF;

inline constexpr uint32_t kPageSize = 1u << kPageShift;
inline constexpr uint32_t kPageMask = kPageSize - 1;
inline constexpr unsigned kMolsPerPage = kPageSize / kMoleculeAlign;

// Stall causes: the timing classes (Load reported as "load_use"), then fetch.
inline constexpr unsigned kStallFetch = kNumTimingClasses;
inline constexpr unsigned kNumStallCauses = kNumTimingClasses + 1;
// Rollback causes: 0 = explicit (not in trap mode), 1..14 = the trap cause in tcause,
// 15 = any other tcause value.
inline constexpr unsigned kNumCauseSlots = 16;

struct IssStats {
  uint64_t molecules = 0;      // molecules completed (not faulted)
  uint64_t atoms = 0;          // non-nop atoms of completed molecules
  uint64_t nops = 0;           // nop atoms of completed molecules
  uint64_t commits = 0;
  uint64_t sbHighWater = 0;
  uint64_t storeForwards = 0;  // loads with at least one byte from the store buffer
  uint64_t tlbHits = 0;
  uint64_t tlbMisses = 0;
  uint64_t branchesTaken = 0;
  uint64_t serviceCalls = 0;
  uint64_t serviceCycles = 0;
  uint64_t stallTotal = 0;
  std::array<uint64_t, kNumStallCauses> stall{};
  std::array<uint64_t, kNumCauseSlots> rollbacks{};
  std::array<uint64_t, kNumCauseSlots> traps{};
};

// A molecule as the hot loop wants it: nops removed, hazards and timing lists prepared.
struct DecodedMolecule {
  struct Dst {
    uint8_t reg;   // 1..63 or kFlagsRegIndex
    uint8_t cls;   // TimingClass
    uint8_t slot;  // index into atoms[] (for the load's extra latency)
  };
  uint32_t gen = 0;        // CodePage::gen at decode time; 0 = not decoded
  uint32_t word0 = 0;      // first atom word (tval of ILLEGAL)
  uint8_t illegal = 0;     // executing it raises ILLEGAL
  uint8_t bytes = 8;
  uint8_t commit = 0;
  uint8_t numExec = 0;     // atoms[0..numExec) in slot order, nops removed
  uint8_t numNops = 0;
  uint8_t numSrcs = 0;
  uint8_t numDsts = 0;
  std::array<Atom, kMaxAtoms> atoms{};
  std::array<uint8_t, 3 * kMaxAtoms> srcs{};   // distinct source registers, r0 excluded
  std::array<Dst, kMaxAtoms + 1> dsts{};
};

struct CodePage {
  uint32_t gen = 1;
  std::array<DecodedMolecule, kMolsPerPage> mols{};
};

struct SbEntry {
  uint32_t paddr;
  uint32_t value;
  uint8_t size;  // 1..4 bytes, never crosses a page
};

struct AliasReg {
  bool valid = false;
  uint32_t lo = 0, len = 0;
  uint32_t lo2 = 0, len2 = 0;
};

struct TlbEntry {
  uint32_t vpn = 0;    // linear page number
  uint32_t value = 0;  // physical page [31:12] | kTlbValid | kTlbWritable | kTlbDirtyOk
};

// Allocator for the physical memory: calloc, whose large blocks are fresh zero pages the
// kernel maps on first touch, and value-initialization left to it (no memset of the whole
// memory at construction: a core of 48 MiB used to spend ~60 ms of host time there).
template <class T>
struct ZeroedAllocator {
  using value_type = T;
  ZeroedAllocator() = default;
  template <class U>
  ZeroedAllocator(const ZeroedAllocator<U>&) noexcept {}
  T* allocate(size_t n) {
    void* p = std::calloc(n, sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) noexcept { std::free(p); }
  template <class U>
  void construct(U*) noexcept {}  // value-initialized = zero: calloc's memory already is
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
  template <class U>
  bool operator==(const ZeroedAllocator<U>&) const noexcept { return true; }
};

class IssCore {
 public:
  explicit IssCore(const IssConfig& cfg);

  // ---- execution (execute.cpp) -------------------------------------------------------
  bool step();
  RunResult run(uint64_t maxCycles, uint64_t maxSteps);

  // ---- state helpers (iss.cpp) -------------------------------------------------------
  void reset(uint32_t pc);
  uint32_t readSreg(unsigned n, uint64_t cycle) const {
    switch (n) {
      case static_cast<unsigned>(Sreg::XFLAGS): return regs_[kFlagsRegIndex];
      case static_cast<unsigned>(Sreg::CYCLE_LO): return static_cast<uint32_t>(cycle);
      case static_cast<unsigned>(Sreg::CYCLE_HI): return static_cast<uint32_t>(cycle >> 32);
      case static_cast<unsigned>(Sreg::SBCOUNT): return sbCount_;
      default: return n < sregs_.size() ? sregs_[n] : 0;
    }
  }
  // sregs.def by number, precomputed (sregInfo() is a linear search): kSregDefined, kSregWritable.
  static constexpr uint8_t kSregDefined = 1, kSregWritable = 2;
  bool sregDefined(unsigned n) const { return n < sregKind_.size() && (sregKind_[n] & kSregDefined); }
  void writeSregArch(unsigned n, uint32_t v);   // mtsr rules (read-only ignored)
  void writeSregHost(unsigned n, uint32_t v);   // host rules (tinfo writable)
  void invalidateCode(uint32_t paddr, uint32_t len);
  void writeMem(uint32_t paddr, const void* src, uint32_t len);  // + invalidate
  void commit();
  void rollback();
  void drainStoreBuffer();
  void tlbWrite(uint32_t linear, uint32_t value);
  void tlbFlushAll();
  // Index of the valid entry for linear page vpn, or -1. tlbHint_ remembers the entry
  // last found for vpn's low bits; it is verified, so stale hints are harmless.
  int tlbLookup(uint32_t vpn) {
    const unsigned h = tlbHint_[vpn & 0xFFu];
    if (h < tlb_.size() && tlb_[h].vpn == vpn && (tlb_[h].value & kTlbValid)) return static_cast<int>(h);
    for (unsigned i = 0; i < tlb_.size(); ++i) {
      if (tlb_[i].vpn == vpn && (tlb_[i].value & kTlbValid)) {
        tlbHint_[vpn & 0xFFu] = static_cast<uint16_t>(i);
        return static_cast<int>(i);
      }
    }
    return -1;
  }
  bool ioPage(uint32_t page) const { return (ioBits_[page >> 6] >> (page & 63)) & 1u; }
  void decode(DecodedMolecule& m, uint32_t pc);

  const IssConfig cfg_;
  const uint64_t memBytes_;
  const unsigned memPages_;
  const unsigned tbitShift_;   // log2(granule)

  // Architectural state.
  std::array<uint32_t, kNumRegs + 1> regs_{};      // [64] = xflags
  std::array<uint32_t, kNumRegs + 1> shadow_{};    // [1..31], [64] = xflags shadow
  std::array<uint32_t, 256> sregs_{};              // by number (xflags lives in regs_[64])
  std::array<uint32_t, 256> shadowSregs_{};
  std::vector<uint8_t> shadowedSregs_;             // numbers other than xflags
  std::array<uint8_t, 256> sregKind_{};            // kSregDefined | kSregWritable per number
  uint32_t pc_ = 0;
  StopInfo stop_{};

  // Speculation hardware.
  std::vector<SbEntry> sb_;
  unsigned sbCount_ = 0;
  uint64_t sbLo_ = UINT64_MAX, sbHi_ = 0;
  std::array<AliasReg, 8> alias_{};
  std::vector<TlbEntry> tlb_;
  unsigned tlbNext_ = 0;
  std::array<uint16_t, 256> tlbHint_{};            // vpn -> likely entry (not architectural)

  // Memory and attributes.
  std::vector<uint8_t, ZeroedAllocator<uint8_t>> mem_;  // zero at construction (calloc)
  std::vector<uint64_t> tbits_;                    // per memory page, one bit per granule
  std::vector<uint64_t> ioBits_;                   // 2^20 pages, one bit each
  std::vector<std::unique_ptr<CodePage>> code_;    // per memory page, lazily
  std::vector<uint8_t> crossInto_;                 // page p: a cached molecule of p-1 runs into p

  // Timing.
  uint64_t now_ = 0;
  std::array<uint64_t, kNumRegs + 1> ready_{};
  std::array<uint8_t, kNumRegs + 1> producer_{};   // TimingClass of the last writer

  IssStats stats_{};

  ServiceHandler* service_ = nullptr;
  IoBus* bus_ = nullptr;
  MemoryTiming* memTiming_ = nullptr;
  CoreApi* api_ = nullptr;                         // the Iss that owns this core

  // Host accounting (CoreApi::setRunAccounting; not architectural).
  bool acctOn_ = false;
  RunAccounting acct_{};
  uint64_t lastHeld_ = 0;                          // cycles the last step's service call returned

 private:
  template <bool kTiming>
  bool stepImpl();
  template <bool kTiming, bool kAcct>
  bool stepOne();
  friend class Exec;
};

}  // namespace codemorph::hostisa::iss
