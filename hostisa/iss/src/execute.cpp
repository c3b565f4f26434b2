// The ISS hot loop: fetch a pre-decoded molecule, issue it under the scoreboard, run its
// atoms' semantics against a deferred-effect context (Exec), then either apply every
// effect in a fixed order or take the trap of the lowest faulting slot with no effect at
// all. docs/iss.md is the specification; the section names cited below refer to it.
//
// The dispatch switch is expanded from isa.def: an atom without a semantics function in
// semantics/*.h does not compile (ARCHITECTURE.md: "every atom has semantics").
#include <algorithm>
#include <cstring>

#include "iss_core.h"
#include "semantics/alu.h"
#include "semantics/branch.h"
#include "semantics/cc.h"
#include "semantics/mem.h"
#include "semantics/sys.h"

namespace codemorph::hostisa::iss {
namespace {

enum class MemFx : uint8_t {
  Write,     // direct write to memory (host store, stio to memory)
  Push,      // gated store buffer push
  BusWrite,  // I/O bus write
  BusRead,   // I/O bus read into rd
  Protect,   // alias register set
};
struct PendingMem {
  MemFx kind;
  uint8_t size;    // bytes of this piece / access
  uint8_t rd;      // BusRead destination
  uint8_t aux;     // BusRead: sign-extend; Protect: alias register
  uint32_t addr;
  uint32_t value;
  uint32_t addr2;  // Protect: second piece
  uint32_t len2;
};
enum class SysFx : uint8_t { None, Mtsr, Svc, Trap, Halt, Rollback, Eret, TlbWr, TlbFl };
struct Piece {
  uint32_t paddr;
  uint32_t len;
};
struct TimedAccess {
  uint8_t slot;
  bool store;
  uint8_t size;
  uint32_t paddr;
};

constexpr uint8_t kIllegal = 1;
constexpr uint8_t kFetchFault = 2;

}  // namespace

// The ISS execution context (semantics/context.h): reads see the state from before the
// molecule, every effect is recorded and applied by IssCore::stepImpl.
class Exec {
 public:
  Exec(IssCore& c, uint32_t pc, uint32_t next, uint64_t t) : c_(c), pc_(pc), next_(next), t_(t) {}

  uint32_t r(unsigned i) const { return c_.regs_[i]; }
  void w(unsigned rd, uint32_t v) { regW_[numRegW_++] = {static_cast<uint8_t>(rd), v}; }
  uint32_t flags() const { return c_.regs_[kFlagsRegIndex]; }
  void wflags(uint32_t f) { w(kFlagsRegIndex, f & kXflagsMask); }
  uint32_t pc() const { return pc_; }
  uint32_t next() const { return next_; }
  void jump(uint32_t target) {
    jumped_ = true;
    target_ = target;
  }
  void fault(TrapCause cause, uint32_t tval, uint32_t tinfo = 0) {
    if (faulted_) return;
    faulted_ = true;
    cause_ = cause;
    tval_ = tval;
    tinfo_ = tinfo;
  }
  uint32_t sreg(unsigned n) const { return c_.readSreg(n, t_); }
  void wsreg(unsigned n, uint32_t v) { setSys(SysFx::Mtsr, n, v); }
  void svc(uint32_t imm) { setSys(SysFx::Svc, imm, 0); }
  void trap(uint32_t imm) { setSys(SysFx::Trap, imm, 0); }
  void halt() { setSys(SysFx::Halt, 0, 0); }
  void rollback() { setSys(SysFx::Rollback, 0, 0); }
  void eret() { setSys(SysFx::Eret, 0, 0); }
  void tlbWrite(uint32_t lin, uint32_t v) { setSys(SysFx::TlbWr, lin, v); }
  void tlbFlush() { setSys(SysFx::TlbFl, 0, 0); }

  // ---- host physical accesses (docs/iss.md "Host accesses") -------------------------------
  bool hostCheck(uint32_t addr, unsigned size, bool write, bool& io) {
    const uint32_t tinfo = (write ? 1u : 0u) | (size << 1);
    const uint64_t end = uint64_t{addr} + size;
    io = false;
    if (end > (uint64_t{1} << 32)) {
      fault(TrapCause::BUS_ERROR, addr, tinfo);
      return false;
    }
    const uint32_t p0 = addr >> kPageShift, p1 = static_cast<uint32_t>((end - 1) >> kPageShift);
    if (c_.ioPage(p0) || c_.ioPage(p1)) {
      if (p0 != p1) {
        fault(TrapCause::BUS_ERROR, addr, tinfo);
        return false;
      }
      io = true;
      return true;
    }
    if (end > c_.memBytes_) {
      fault(TrapCause::BUS_ERROR, addr, tinfo);
      return false;
    }
    return true;
  }
  void loadHost(unsigned rd, uint32_t addr, unsigned size, bool sign) {
    bool io;
    if (!hostCheck(addr, size, false, io)) return;
    noteAccess(false, size, addr);
    if (io) {
      mem_[numMem_++] = {MemFx::BusRead, static_cast<uint8_t>(size), static_cast<uint8_t>(rd), sign, addr, 0, 0, 0};
      return;
    }
    uint32_t v = 0;
    std::memcpy(&v, c_.mem_.data() + addr, size);
    w(rd, sign ? sem::sext(v, size) : v);
  }
  void storeHost(uint32_t addr, unsigned size, uint32_t value) {
    bool io;
    if (!hostCheck(addr, size, true, io)) return;
    noteAccess(true, size, addr);
    mem_[numMem_++] = {io ? MemFx::BusWrite : MemFx::Write, static_cast<uint8_t>(size), 0, 0, addr, value, 0, 0};
  }

  // ---- guest accesses (docs/iss.md "Guest accesses") ----------------------------------------
  // Translates [lin, lin+size) into one or two physical pieces (one per page touched),
  // then applies the physical checks. Order: TLB (per piece), then space (per piece).
  bool translate(uint32_t lin, unsigned size, bool write, GuestKind kind, Piece (&p)[2], unsigned& n, bool& io) {
    const uint32_t tinfo = (write ? 1u : 0u) | (size << 1);
    const uint32_t len0 = std::min<uint32_t>(size, kPageSize - (lin & kPageMask));
    p[0] = {lin, len0};
    n = 1;
    if (len0 < size) {
      p[1] = {lin + len0, size - len0};
      n = 2;
    }
    if (c_.cfg_.features.hostTlb) {
      for (unsigned i = 0; i < n; ++i) {
        const uint32_t l = p[i].paddr;
        const int e = c_.tlbLookup(l >> kPageShift);
        if (e < 0) {
          ++c_.stats_.tlbMisses;
          fault(TrapCause::TLB_MISS, l, tinfo);
          return false;
        }
        ++c_.stats_.tlbHits;
        const uint32_t v = c_.tlb_[static_cast<unsigned>(e)].value;
        if (write && !(v & kTlbWritable)) {
          fault(TrapCause::TLB_PROT, l, tinfo);
          return false;
        }
        if (write && !(v & kTlbDirtyOk)) {
          fault(TrapCause::TLB_DIRTY, l, tinfo);
          return false;
        }
        p[i].paddr = (v & ~kPageMask) | (l & kPageMask);
      }
    }
    io = false;
    const bool pending = c_.sbCount_ + pushes_ != 0;
    for (unsigned i = 0; i < n; ++i) {
      const uint32_t pa = p[i].paddr;
      if (c_.ioPage(pa >> kPageShift)) {
        if (kind != GuestKind::Io) {
          fault(TrapCause::IO_SPACE, pa, tinfo);
          return false;
        }
        if (n != 1) {
          fault(TrapCause::BUS_ERROR, pa, tinfo);
          return false;
        }
        if (pending) {
          fault(TrapCause::IO_ORDER, pa, tinfo);
          return false;
        }
        io = true;
      } else if (uint64_t{pa} + p[i].len > c_.memBytes_) {
        fault(TrapCause::BUS_ERROR, pa, tinfo);
        return false;
      }
    }
    // stio to ordinary memory is not gated either: it must not pass older gated stores.
    if (write && kind == GuestKind::Io && !io && pending) {
      fault(TrapCause::IO_ORDER, p[0].paddr, tinfo);
      return false;
    }
    return true;
  }

  // Reads a piece of memory, forwarding byte-wise from the youngest buffered store: one
  // pass over the entries, youngest first, taking each byte not already taken.
  uint32_t readForwarded(uint32_t pa, uint32_t len) {
    uint32_t v = 0;
    std::memcpy(&v, c_.mem_.data() + pa, len);
    if (c_.sbCount_ == 0 || uint64_t{pa} + len <= c_.sbLo_ || pa >= c_.sbHi_) return v;
    uint32_t need = (1u << len) - 1;  // bytes of the piece still to resolve
    for (unsigned e = c_.sbCount_; e-- > 0 && need;) {
      const SbEntry& s = c_.sb_[e];
      const uint32_t lo = std::max(pa, s.paddr);
      const uint32_t hi = std::min(pa + len, s.paddr + s.size);  // pieces never wrap 2^32
      for (uint32_t addr = lo; addr < hi; ++addr) {
        const uint32_t b = addr - pa;
        if (!((need >> b) & 1u)) continue;
        need &= ~(1u << b);
        const uint32_t byte = (s.value >> (8 * (addr - s.paddr))) & 0xFFu;
        v = (v & ~(0xFFu << (8 * b))) | (byte << (8 * b));
        forwarded_ = true;
      }
    }
    return v;
  }

  void loadGuest(unsigned rd, uint32_t lin, unsigned size, bool sign, GuestKind kind, unsigned areg) {
    Piece p[2];
    unsigned n;
    bool io;
    if (!translate(lin, size, false, kind, p, n, io)) return;
    noteAccess(false, size, p[0].paddr);
    if (io) {
      mem_[numMem_++] = {MemFx::BusRead, static_cast<uint8_t>(size), static_cast<uint8_t>(rd), sign, p[0].paddr, 0, 0, 0};
      return;
    }
    uint32_t v = readForwarded(p[0].paddr, p[0].len);
    if (n == 2) v |= readForwarded(p[1].paddr, p[1].len) << (8 * p[0].len);
    if (kind == GuestKind::Protect) {
      mem_[numMem_++] = {MemFx::Protect, static_cast<uint8_t>(p[0].len), 0, static_cast<uint8_t>(areg),
                         p[0].paddr, 0, n == 2 ? p[1].paddr : 0, n == 2 ? p[1].len : 0};
    }
    w(rd, sign ? sem::sext(v, size) : v);
  }

  static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen) {
    return alen && blen && uint64_t{a} < uint64_t{b} + blen && uint64_t{b} < uint64_t{a} + alen;
  }

  void storeGuest(uint32_t lin, unsigned size, uint32_t value, GuestKind kind, unsigned mask) {
    Piece p[2];
    unsigned n;
    bool io;
    if (!translate(lin, size, true, kind, p, n, io)) return;
    const uint32_t tinfo = 1u | (size << 1);
    if (io) {
      noteAccess(true, size, p[0].paddr);
      mem_[numMem_++] = {MemFx::BusWrite, static_cast<uint8_t>(size), 0, 0, p[0].paddr, value, 0, 0};
      return;
    }
    if (kind == GuestKind::Checked) {
      for (unsigned i = 0; i < c_.cfg_.aliasRegisters; ++i) {
        const AliasReg& ar = c_.alias_[i];
        if (!((mask >> i) & 1u) || !ar.valid) continue;
        for (unsigned k = 0; k < n; ++k) {
          if (overlaps(p[k].paddr, p[k].len, ar.lo, ar.len) || overlaps(p[k].paddr, p[k].len, ar.lo2, ar.len2)) {
            fault(TrapCause::ALIAS, p[0].paddr, tinfo);
            return;
          }
        }
      }
    }
    for (unsigned k = 0; k < n; ++k) {
      const uint32_t page = p[k].paddr >> kPageShift;
      const uint64_t bits = c_.tbits_[page];
      if (!bits) continue;
      const uint32_t off = p[k].paddr & kPageMask;
      for (uint32_t g = off >> c_.tbitShift_; g <= (off + p[k].len - 1) >> c_.tbitShift_; ++g) {
        if ((bits >> g) & 1u) {
          const uint32_t first = std::max(p[k].paddr, (page << kPageShift) + (g << c_.tbitShift_));
          fault(TrapCause::TBIT, first, tinfo);
          return;
        }
      }
    }
    noteAccess(true, size, p[0].paddr);
    if (kind == GuestKind::Io) {
      for (unsigned k = 0; k < n; ++k) {
        const uint32_t part = k == 0 ? value : value >> (8 * p[0].len);
        mem_[numMem_++] = {MemFx::Write, static_cast<uint8_t>(p[k].len), 0, 0, p[k].paddr, part, 0, 0};
      }
      return;
    }
    if (c_.sbCount_ + pushes_ + n > c_.cfg_.storeBufferEntries) {
      fault(TrapCause::SB_OVERFLOW, p[0].paddr, tinfo);
      return;
    }
    for (unsigned k = 0; k < n; ++k) {
      const uint32_t part = k == 0 ? value : value >> (8 * p[0].len);
      mem_[numMem_++] = {MemFx::Push, static_cast<uint8_t>(p[k].len), 0, 0, p[k].paddr, part, 0, 0};
    }
    pushes_ += n;
  }

  void noteAccess(bool store, unsigned size, uint32_t paddr) {
    if (c_.memTiming_) timed_[numTimed_++] = {slot_, store, static_cast<uint8_t>(size), paddr};
  }

  void setSys(SysFx kind, uint32_t a, uint32_t b) {
    sys_ = kind;
    sysA_ = a;
    sysB_ = b;
  }

  struct RegW {
    uint8_t reg;
    uint32_t value;
  };

  IssCore& c_;
  const uint32_t pc_, next_;
  const uint64_t t_;
  std::array<RegW, kMaxAtoms + 2> regW_;
  unsigned numRegW_ = 0;
  std::array<PendingMem, 2 * kMaxAtoms> mem_;
  unsigned numMem_ = 0;
  unsigned pushes_ = 0;
  SysFx sys_ = SysFx::None;
  uint32_t sysA_ = 0, sysB_ = 0;
  bool jumped_ = false;
  uint32_t target_ = 0;
  bool faulted_ = false;
  bool forwarded_ = false;
  TrapCause cause_ = TrapCause::None;
  uint32_t tval_ = 0, tinfo_ = 0;
  uint8_t slot_ = 0;
  std::array<TimedAccess, kMaxAtoms> timed_;
  unsigned numTimed_ = 0;
};

// ---- decode into the molecule cache --------------------------------------------------------
void IssCore::decode(DecodedMolecule& m, uint32_t pc) {
  m = DecodedMolecule{};
  uint32_t w0;
  std::memcpy(&w0, mem_.data() + pc, 4);
  m.word0 = w0;
  const unsigned n = sizeCodeToAtoms(w0 >> kHeaderLo);
  if (n == 0 || n > cfg_.features.maxAtoms) {
    m.illegal = kIllegal;
    return;
  }
  m.bytes = static_cast<uint8_t>(4 * n);
  const uint32_t lastPage = (pc + m.bytes - 1) >> kPageShift;
  if (uint64_t{pc} + m.bytes > memBytes_ || ioPage(lastPage)) {
    m.illegal = kFetchFault;
    return;
  }
  if (lastPage != pc >> kPageShift) crossInto_[lastPage] = 1;
  const MoleculeDecode d = decodeMolecule(std::span<const uint8_t>(mem_.data() + pc, m.bytes), cfg_.features.maxAtoms);
  if (d.error != MoleculeError::None) {
    m.illegal = kIllegal;
    return;
  }
  m.commit = d.molecule.commit;
  auto addSrc = [&](unsigned r) {
    for (unsigned i = 0; i < m.numSrcs; ++i)
      if (m.srcs[i] == r) return;
    m.srcs[m.numSrcs++] = static_cast<uint8_t>(r);
  };
  for (unsigned s = 0; s < n; ++s) {
    const Atom& a = d.molecule.atoms[s];
    const AtomInfo& info = atomInfo(a.op);
    if (!featureEnabled(cfg_.features, a.op)) {
      m.illegal = kIllegal;
      return;
    }
    const bool ldp = a.op == Op::LDP8U || a.op == Op::LDP8S || a.op == Op::LDP16U || a.op == Op::LDP16S || a.op == Op::LDP32;
    const bool stc = a.op == Op::STC8 || a.op == Op::STC16 || a.op == Op::STC32;
    if ((ldp && a.aux >= cfg_.aliasRegisters) || (stc && (a.aux >> cfg_.aliasRegisters) != 0)) {
      m.illegal = kIllegal;
      return;
    }
    if (a.op == Op::NOP) {
      ++m.numNops;
      continue;
    }
    const uint8_t slot = m.numExec;
    m.atoms[m.numExec++] = a;
    const RegUse use = regUse(a);  // includes xflags for mfsr/mtsr xflags
    for (unsigned i = 0; i < use.numReads; ++i) addSrc(use.reads[i]);
    for (unsigned i = 0; i < use.numWrites; ++i)
      m.dsts[m.numDsts++] = {use.writes[i], static_cast<uint8_t>(info.timing), slot};
  }
}

// ---- one molecule ---------------------------------------------------------------------------
template <bool kTiming>
bool IssCore::stepImpl() {
  if (stop_.reason != StopReason::Running) return false;
  const uint32_t pc = pc_;
  uint64_t t = now_;

  // Trap entry shared by faults and the trap atom (docs/iss.md "Traps").
  auto enterTrap = [&](TrapCause cause, uint32_t tval, uint32_t tinfo, uint32_t tpc) {
    ++stats_.traps[static_cast<unsigned>(cause) & (kNumCauseSlots - 1)];
    const auto tstatus = static_cast<unsigned>(Sreg::TSTATUS);
    if (sregs_[tstatus] & 1u) {
      stop_ = {StopReason::DoubleTrap, cause, pc, tval, 0};
      return;
    }
    if (sregs_[static_cast<unsigned>(Sreg::TVEC)] == 0) {
      stop_ = {StopReason::UnhandledTrap, cause, pc, tval, 0};
      return;
    }
    sregs_[static_cast<unsigned>(Sreg::TPC)] = tpc;
    sregs_[static_cast<unsigned>(Sreg::TCAUSE)] = static_cast<uint32_t>(cause);
    sregs_[static_cast<unsigned>(Sreg::TVAL)] = tval;
    sregs_[static_cast<unsigned>(Sreg::TINFO)] = tinfo;
    sregs_[tstatus] |= 1u;
    pc_ = sregs_[static_cast<unsigned>(Sreg::TVEC)];
    if constexpr (kTiming) now_ += cfg_.trapPenalty;
  };
  // A faulting molecule issues at t and has no effect (precise at molecule granularity).
  auto faultAt = [&](TrapCause cause, uint32_t tval, uint32_t tinfo) {
    now_ = t + 1;
    enterTrap(cause, tval, tinfo, pc);
    return true;
  };

  // ---- fetch ----
  if ((pc & (kMoleculeAlign - 1)) || uint64_t{pc} + 8 > memBytes_ || ioPage(pc >> kPageShift))
    return faultAt(TrapCause::FETCH, pc, 0);
  std::unique_ptr<CodePage>& pageSlot = code_[pc >> kPageShift];
  if (!pageSlot) pageSlot = std::make_unique<CodePage>();
  CodePage& page = *pageSlot;
  DecodedMolecule& m = page.mols[(pc & kPageMask) / kMoleculeAlign];
  if (m.gen != page.gen) {
    decode(m, pc);
    m.gen = page.gen;
  }
  if (m.illegal == kFetchFault) return faultAt(TrapCause::FETCH, pc, 0);

  // ---- issue: t = max(now + fetch extra, ready[src]) ----
  if constexpr (kTiming) {
    t = now_ + (memTiming_ ? memTiming_->fetch(pc, m.bytes) : 0);
    unsigned cause = kStallFetch;
    for (unsigned i = 0; i < m.numSrcs; ++i) {
      const unsigned s = m.srcs[i];
      if (ready_[s] > t) {
        t = ready_[s];
        cause = producer_[s];
      }
    }
    if (t > now_) {
      stats_.stall[cause] += t - now_;
      stats_.stallTotal += t - now_;
    }
  }
  if (m.illegal) return faultAt(TrapCause::ILLEGAL, m.word0, 0);

  // ---- execute: semantics against the deferred-effect context ----
  Exec x(*this, pc, pc + m.bytes, t);
  for (unsigned i = 0; i < m.numExec; ++i) {
    const Atom& a = m.atoms[i];
    x.slot_ = static_cast<uint8_t>(i);
    switch (a.op) {
#define ATOM(id, ...)   \
  case Op::id:          \
    sem::id(x, a);      \
    break;
#include "codemorph/hostisa/isa.def"
#undef ATOM
    }
    if (x.faulted_) break;
  }
  if (x.faulted_) return faultAt(x.cause_, x.tval_, x.tinfo_);

  // ---- apply, in the order of docs/iss.md "Order of effects" ----
  // 1. register and flag writes
  for (unsigned i = 0; i < x.numRegW_; ++i) regs_[x.regW_[i].reg] = x.regW_[i].value;
  regs_[0] = 0;
  // 2. memory effects in slot order (I/O bus accesses happen here)
  for (unsigned i = 0; i < x.numMem_; ++i) {
    const PendingMem& e = x.mem_[i];
    switch (e.kind) {
      case MemFx::Write: writeMem(e.addr, &e.value, e.size); break;
      case MemFx::Push: {
        sb_[sbCount_++] = {e.addr, e.value, e.size};
        sbLo_ = std::min<uint64_t>(sbLo_, e.addr);
        sbHi_ = std::max<uint64_t>(sbHi_, uint64_t{e.addr} + e.size);
        stats_.sbHighWater = std::max<uint64_t>(stats_.sbHighWater, sbCount_);
        break;
      }
      case MemFx::BusWrite:
        if (bus_) bus_->write(e.addr, e.size, e.value & sem::widthMask(e.size));
        break;
      case MemFx::BusRead: {
        uint32_t v = bus_ ? bus_->read(e.addr, e.size) : 0xFFFFFFFFu;
        v &= sem::widthMask(e.size);
        if (e.rd != 0) regs_[e.rd] = e.aux ? sem::sext(v, e.size) : v;
        break;
      }
      case MemFx::Protect: alias_[e.aux] = {true, e.addr, e.size, e.addr2, e.len2}; break;
    }
  }
  if (x.forwarded_) ++stats_.storeForwards;
  // 3. system effects
  uint64_t extra = 0;
  switch (x.sys_) {
    case SysFx::Mtsr: writeSregArch(x.sysA_, x.sysB_); break;
    case SysFx::TlbWr: tlbWrite(x.sysA_, x.sysB_); break;
    case SysFx::TlbFl: tlbFlushAll(); break;
    case SysFx::Rollback: {
      const uint32_t tc = sregs_[static_cast<unsigned>(Sreg::TCAUSE)];
      const unsigned why = (sregs_[static_cast<unsigned>(Sreg::TSTATUS)] & 1u) ? (tc >= 1 && tc <= 14 ? tc : 15u) : 0u;
      ++stats_.rollbacks[why];
      rollback();
      extra += cfg_.rollbackCycles;
      break;
    }
    default: break;
  }
  // 4. commit point
  if (m.commit) {
    commit();
    ++stats_.commits;
    extra += cfg_.commitCycles;
  }
  // 5. timing: scoreboard and the next issue cycle
  ++stats_.molecules;
  stats_.atoms += m.numExec;
  stats_.nops += m.numNops;
  if (x.jumped_) {
    ++stats_.branchesTaken;
    extra += cfg_.branchTakenPenalty;
  }
  if constexpr (kTiming) {
    uint64_t storeExtra = 0;
    if (x.numTimed_ == 0) {  // no MemoryTiming (or no access): no extra load latency
      for (unsigned i = 0; i < m.numDsts; ++i) {
        const DecodedMolecule::Dst& d = m.dsts[i];
        ready_[d.reg] = t + cfg_.latency[d.cls];
        producer_[d.reg] = d.cls;
      }
    } else {
      uint32_t loadExtra[kMaxAtoms] = {};
      for (unsigned i = 0; i < x.numTimed_; ++i) {
        const TimedAccess& ta = x.timed_[i];
        if (ta.store)
          storeExtra += memTiming_->store(ta.paddr, ta.size);
        else
          loadExtra[ta.slot] = memTiming_->load(ta.paddr, ta.size);
      }
      for (unsigned i = 0; i < m.numDsts; ++i) {
        const DecodedMolecule::Dst& d = m.dsts[i];
        ready_[d.reg] = t + cfg_.latency[d.cls] + loadExtra[d.slot];
        producer_[d.reg] = d.cls;
      }
    }
    if (x.sys_ == SysFx::Eret) extra += cfg_.trapPenalty;
    now_ = t + 1 + extra + storeExtra;
    if (storeExtra) {
      stats_.stall[static_cast<unsigned>(TimingClass::Store)] += storeExtra;
      stats_.stallTotal += storeExtra;
    }
  } else {
    now_ = t + 1;
  }
  // 6. control: the next pc, traps, halt, service calls (m is not used past this point:
  //    a service handler may rewrite memory and so the molecule cache)
  pc_ = x.jumped_ ? x.target_ : x.next_;
  switch (x.sys_) {
    case SysFx::Eret:
      pc_ = sregs_[static_cast<unsigned>(Sreg::TPC)];
      sregs_[static_cast<unsigned>(Sreg::TSTATUS)] &= ~1u;
      break;
    case SysFx::Halt: stop_ = {StopReason::Halted, TrapCause::None, pc, 0, 0}; break;
    case SysFx::Trap: enterTrap(TrapCause::SOFTWARE, x.sysA_, 0, x.next_); break;
    case SysFx::Svc:
      ++stats_.serviceCalls;
      if (!service_) {
        stop_ = {StopReason::UnhandledService, TrapCause::None, pc, 0, x.sysA_};
      } else {
        const uint64_t held = service_->service(x.sysA_, *api_);
        stats_.serviceCycles += held;
        now_ += held;
        lastHeld_ = held;
      }
      break;
    default: break;
  }
  return true;
}

// One step, with the host accounting of CoreApi::setRunAccounting when kAcct.
template <bool kTiming, bool kAcct>
bool IssCore::stepOne() {
  if constexpr (!kAcct) {
    return stepImpl<kTiming>();
  } else {
    const uint32_t from = pc_;
    const uint64_t t0 = now_;
    lastHeld_ = 0;
    if (!stepImpl<kTiming>()) return false;
    if (from >= acct_.cyclesLo && from < acct_.cyclesHi && acct_.cycles) *acct_.cycles += now_ - t0 - lastHeld_;
    const uint32_t to = pc_;
    if (to >= acct_.landLo && to < acct_.landHi && (to < from || to > from + acct_.nearBytes) && acct_.observer)
      acct_.observer->landed(from, to);
    return true;
  }
}

bool IssCore::step() {
  if (acctOn_) return cfg_.timing ? stepOne<true, true>() : stepOne<false, true>();
  return cfg_.timing ? stepImpl<true>() : stepImpl<false>();
}

RunResult IssCore::run(uint64_t maxCycles, uint64_t maxSteps) {
  const uint64_t limit = maxCycles > UINT64_MAX - now_ ? UINT64_MAX : now_ + maxCycles;
  auto loop = [&]<bool kTiming, bool kAcct>() {
    for (uint64_t steps = 0;; ++steps) {
      if (stop_.reason != StopReason::Running) return RunResult::Stopped;
      if (now_ >= limit) return RunResult::CycleLimit;
      if (steps >= maxSteps) return RunResult::MoleculeLimit;
      stepOne<kTiming, kAcct>();
    }
  };
  if (acctOn_)
    return cfg_.timing ? loop.template operator()<true, true>() : loop.template operator()<false, true>();
  return cfg_.timing ? loop.template operator()<true, false>() : loop.template operator()<false, false>();
}

}  // namespace codemorph::hostisa::iss
