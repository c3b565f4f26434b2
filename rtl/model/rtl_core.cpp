// RtlCore: hostisa::iss::CoreApi over the verilated SystemC model of rtl/cm_core.sv.
// See rtl_core.h for the contract and docs/rtl.md for the design. The C++ side owns
// physical memory, T-bits and I/O bits (the RTL reaches them through the DPI-C functions
// at the end of this file) and answers the service-call port. Architectural state the
// CoreApi exposes is read and written as a debug module would: reads come from the model's
// public read-only signals, writes go through the core's debug write port (dbg_*), one
// clock per write, between molecules.
#include "codemorph/rtl/rtl_core.h"

#include <systemc>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <utility>

#include "codemorph/support/serialize.h"
// The ISS's internal header, for IssStats only: the checkpoint format is the ISS's and its
// stats block is carried through (rtl/CMakeLists.txt adds hostisa/iss/src privately).
#include "iss_core.h"

#include "Vcm_core.h"
#include "Vcm_core__Dpi.h"
#include "Vcm_core___024root.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace codemorph::rtl {

using hostisa::isShadowed;
using hostisa::kFlagsRegIndex;
using hostisa::kNumRegs;
using hostisa::kPageShift;
using hostisa::Sreg;
using hostisa::iss::IssConfig;
using hostisa::iss::RunResult;
using hostisa::iss::StopInfo;
using hostisa::iss::StopReason;

namespace {

constexpr uint32_t kXflagsMask = 0xCD5u;  // CF PF AF ZF SF DF OF (docs/iss.md section 1)
constexpr uint32_t kPageSize = 1u << kPageShift;
constexpr unsigned kStateExec = 1;  // cm_core state_e S_EXEC: a fetched molecule waits

// cfg port addresses (cm_core_pkg::cfg_addr_e).
enum CfgAddr : uint32_t {
  kCfgLat0 = 0, kCfgBranchPen = 7, kCfgTrapPen = 8, kCfgCommitCycles = 9, kCfgRollbackCycles = 10,
  kCfgSbEntries = 11, kCfgAliasRegs = 12, kCfgTlbEntries = 13, kCfgTbitShift = 14, kCfgMemBytes = 15,
  kCfgFeatures = 16, kCfgResetPc = 17,
};

void flushActiveWrites();  // after Impl: applies the memory writes of the last clock edge

// The one SystemC harness of the process (SystemC elaborates once). The model's clock is a
// plain signal that the harness's `drive` method toggles in delta cycles, only while a
// request is being served: SystemC time does not advance while the RTL runs, and nothing
// is evaluated while it is idle. So the same model can be clocked two ways:
//  - on its own (tests, `codemorph iss --core rtl`): C++ starts the kernel with
//    sc_start() and `drive` pauses it (sc_pause) after the requested number of clocks or
//    when a molecule retired -- one return from the kernel per molecule;
//  - inside an enclosing SystemC design (the PC, Kernel::Embedded): the caller is that
//    design's SC_THREAD, which notifies `drive` and waits for `done`; the simulated time
//    of the design is not touched (its devices follow the modelled cycles, as with the ISS).
// Input signals are written only when they change (a write of a new value costs an
// evaluation of the model), so run_i stays high from one molecule to the next.
// Delta phases of one clock: write clk=1 | the model evaluates the rising edge | write
// clk=0 | the model evaluates the falling edge | bookkeeping (and the next clk=1). With a
// trace open, one extra delta after each edge so the dump follows the model's evaluation.
struct Harness : sc_core::sc_module {
  sc_core::sc_signal<bool> clk{"clk"};
  sc_core::sc_signal<bool> rstN{"rst_n"}, cfgWe{"cfg_we"}, run{"run"}, retired{"retired"},
      stoppedSig{"stopped"}, svcReq{"svc_req"}, svcAck{"svc_ack"}, svcNone{"svc_none"}, adv{"adv"},
      dbgWe{"dbg_we"};
  sc_core::sc_signal<uint32_t> cfgAddr{"cfg_addr"}, svcNum{"svc_num"}, pcSig{"pc"}, dbgSel{"dbg_sel"},
      dbgIdx{"dbg_idx"}, fetchExtra{"fetch_extra"};
  sc_core::sc_signal<uint64_t> cfgWdata{"cfg_wdata"}, cycle{"cycle"}, svcCycles{"svc_cycles"},
      advCycles{"adv_cycles"}, dbgWdata{"dbg_wdata"};
  Vcm_core top{"cm_core"};
  bool inUse = false;
  // Request control (set by C++ before starting a request).
  uint64_t edgesLeft = 0;     // stop after this many more clocks (0 = no limit)
  bool pauseOnRetire = false;
  bool embedded = false;      // stepped from a thread of an enclosing design
  uint64_t edges = 0;
  VerilatedFstC* trace = nullptr;
  sc_core::sc_event tickEv, doneEv;
  unsigned phase = 0;

  SC_HAS_PROCESS(Harness);
  Harness() : sc_core::sc_module(sc_core::sc_module_name("codemorph_rtl_harness")) {
    top.clk_i(clk);
    top.rst_ni(rstN);
    top.cfg_we_i(cfgWe);
    top.cfg_addr_i(cfgAddr);
    top.cfg_wdata_i(cfgWdata);
    top.run_i(run);
    top.retired_o(retired);
    top.stopped_o(stoppedSig);
    top.pc_o(pcSig);
    top.cycle_o(cycle);
    top.svc_req_o(svcReq);
    top.svc_num_o(svcNum);
    top.svc_ack_i(svcAck);
    top.svc_none_i(svcNone);
    top.svc_cycles_i(svcCycles);
    top.adv_i(adv);
    top.adv_cycles_i(advCycles);
    top.dbg_we_i(dbgWe);
    top.dbg_sel_i(dbgSel);
    top.dbg_idx_i(dbgIdx);
    top.dbg_wdata_i(dbgWdata);
    top.fetch_extra_i(fetchExtra);
    rstN.write(true);
    SC_METHOD(drive);
    sensitive << tickEv;
    dont_initialize();
  }
  // Trace time: 1 ns per clock, the falling edge at 0.5 ns (as with a 1 ns sc_clock).
  void dump(bool fall) {
    if (trace) trace->dump(edges * 1000 + (fall ? 500 : 0));
  }
  void drive() {
    switch (phase) {
      case 0: clk.write(true); phase = trace ? 1 : 2; break;
      case 1: phase = 2; break;  // the model evaluates the rising edge in this delta
      case 2: dump(false); clk.write(false); phase = trace ? 3 : 4; break;
      case 3: phase = 4; break;  // the falling edge
      default:
        dump(true);
        flushActiveWrites();
        ++edges;  // a full clock (posedge + negedge) has passed
        if ((edgesLeft && --edgesLeft == 0) || (pauseOnRetire && retired.read())) {
          pauseOnRetire = false;
          edgesLeft = 0;
          phase = 0;
          if (embedded) doneEv.notify(sc_core::SC_ZERO_TIME);
          else sc_core::sc_pause();
          return;
        }
        clk.write(true);
        phase = trace ? 1 : 2;
        break;
    }
    tickEv.notify(sc_core::SC_ZERO_TIME);
  }
  // Serves the request set up in edgesLeft/pauseOnRetire.
  void serve() {
    phase = 0;
    if (embedded) {
      if (sc_core::sc_get_status() != sc_core::SC_RUNNING ||
          sc_core::sc_get_current_process_handle().proc_kind() != sc_core::SC_THREAD_PROC_)
        throw std::logic_error("RtlCore (embedded): the model must be clocked from a SystemC thread");
      tickEv.notify(sc_core::SC_ZERO_TIME);
      sc_core::wait(doneEv);
    } else {
      if (sc_core::sc_get_status() == sc_core::SC_ELABORATION) sc_core::sc_start(sc_core::SC_ZERO_TIME);
      tickEv.notify(sc_core::SC_ZERO_TIME);
      sc_core::sc_start();
    }
  }
  static Harness& get() {
    static Harness* h = [] {
      Verilated::traceEverOn(true);
      sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_, sc_core::SC_DO_NOTHING);
      return new Harness();  // lives until exit: SystemC cannot tear down and re-elaborate
    }();
    return *h;
  }
};

RtlCore::Impl* g_active = nullptr;  // the core whose model is being clocked (DPI context)

}  // namespace

struct RtlCore::Impl {
  explicit Impl(const IssConfig& c)
      : cfg(c), h(Harness::get()), root(*h.top.rootp), memBytes(c.memBytes),
        mem(c.memBytes, 0), tbits(c.memBytes >> kPageShift, 0), ioBits((1u << (32 - kPageShift)) / 64, 0) {
    unsigned shift = 0;
    while ((1u << shift) < c.tbitGranule) ++shift;
    tbitShift = shift;
  }

  IssConfig cfg;
  Harness& h;
  Vcm_core___024root& root;
  uint64_t memBytes;
  std::vector<uint8_t> mem;
  std::vector<uint64_t> tbits;   // per memory page, one bit per granule
  std::vector<uint64_t> ioBits;  // 2^20 pages
  unsigned tbitShift = 7;
  hostisa::iss::ServiceHandler* service = nullptr;
  hostisa::iss::IoBus* bus = nullptr;
  hostisa::iss::MemoryTiming* memTiming = nullptr;
  CoreApi* api = nullptr;
  std::unique_ptr<VerilatedFstC> trace;
  uint64_t edges0 = 0;  // harness clock count at construction
  std::vector<MemWrite> writes;
  // The host changed memory or page attributes since the last molecule: the prefetched
  // molecule and the attribute look-ups of the LSU must be redone (DBG_FETCH) first.
  bool refetch = true;
  // Stats block of the ISS checkpoint format, carried through (the RTL counts no stats).
  std::vector<uint8_t> issStats;

  // Memory writes the core made at the last clock edge, applied in order once the edge's
  // evaluation is over (at the falling edge): every read of that edge -- the loads, which
  // the register file makes at the edge -- sees memory as it was before the molecule
  // (docs/iss.md section 2), whatever order the model evaluates its blocks in.
  struct PendingWrite {
    uint32_t paddr, bytes, value;
  };
  std::vector<PendingWrite> pending;
  void flushWrites() {
    for (const PendingWrite& w : pending) {
      for (unsigned i = 0; i < w.bytes && i < 4; ++i) {
        const uint64_t a = uint64_t{w.paddr} + i;
        if (a < memBytes) mem[a] = static_cast<uint8_t>(w.value >> (8 * i));
      }
      writes.push_back({w.paddr, w.bytes});
    }
    pending.clear();
  }

  // Clocking from where the host calls. Embedded in a design that has not started
  // simulating yet (the PC builds its core while it elaborates), clocked operations --
  // reset and every debug-port write -- wait in `deferred` and run, in order, at the first
  // one made while the simulation runs. A host call made from inside a clock (an IoBus
  // callback of the molecule being executed, e.g. the CMS adjusting r30 after a device
  // access) cannot clock the model: it waits in `afterMolecule` and is applied as soon as
  // the molecule has retired (the ISS applies it at once; see docs/rtl.md "Known limits").
  bool embedded = false;
  bool inKernel = false;
  std::vector<std::function<void()>> deferred, afterMolecule;
  // True if a clocked operation must be queued (queue()) now; else runs what was deferred.
  bool deferring() {
    if (inKernel || (embedded && sc_core::sc_get_status() != sc_core::SC_RUNNING)) return true;
    if (!deferred.empty()) {
      auto ops = std::move(deferred);
      deferred.clear();
      for (auto& f : ops) f();
    }
    return false;
  }
  void queue(std::function<void()> op) { (inKernel ? afterMolecule : deferred).push_back(std::move(op)); }
  void runAfterMolecule() {
    auto ops = std::move(afterMolecule);
    afterMolecule.clear();
    for (auto& f : ops) f();
  }
  void serve() {
    g_active = this;
    inKernel = true;
    try {
      h.serve();
    } catch (...) {
      inKernel = false;
      throw;
    }
    inKernel = false;
    flushWrites();
  }
  // Runs exactly n clocks.
  void clocks(uint64_t n) {
    h.edgesLeft = n;
    serve();
  }
  void tick() { clocks(1); }
  // One write through the core's debug port (cm_core_pkg::dbg_sel_e), the core idle.
  enum Dbg : uint32_t {
    kReg, kShadow, kFlags, kFlagsShadow, kSreg, kSregShadow, kPc, kResume, kTlbInsert, kTlbFlush, kFetch,
    kSbEntry, kSbCount, kAliasLo, kAliasLo2, kTlbEntry, kTlbNext, kReady, kClass, kNow, kStopA, kStopB,
  };
  template <class T, class V>
  static void set(sc_core::sc_signal<T>& sig, V value) {
    if (sig.read() != static_cast<T>(value)) sig.write(static_cast<T>(value));
  }
  void dbg(Dbg sel, uint32_t idx, uint64_t value) {
    if (deferring()) return queue([=, this] { dbg(sel, idx, value); });
    set(h.run, false);
    h.dbgWe.write(true);
    set(h.dbgSel, sel);
    set(h.dbgIdx, idx);
    set(h.dbgWdata, value);
    tick();
    h.dbgWe.write(false);
  }
  // Runs until a molecule retires (or a trap is taken); false if the model did not.
  bool untilRetired() {
    h.edgesLeft = 4;  // a molecule takes 1 or 2 clocks; more means a stuck model
    h.pauseOnRetire = true;
    set(h.run, true);
    serve();
    return h.retired.read();
  }
  void cfgWrite(uint32_t addr, uint64_t value) {
    set(h.run, false);
    h.cfgWe.write(true);
    h.cfgAddr.write(addr);
    h.cfgWdata.write(value);
    tick();
    h.cfgWe.write(false);
  }
  void configure(uint32_t resetPc) {
    for (unsigned i = 0; i < hostisa::kNumTimingClasses; ++i) cfgWrite(kCfgLat0 + i, cfg.latency[i]);
    cfgWrite(kCfgBranchPen, cfg.branchTakenPenalty);
    cfgWrite(kCfgTrapPen, cfg.trapPenalty);
    cfgWrite(kCfgCommitCycles, cfg.commitCycles);
    cfgWrite(kCfgRollbackCycles, cfg.rollbackCycles);
    cfgWrite(kCfgSbEntries, cfg.storeBufferEntries);
    cfgWrite(kCfgAliasRegs, cfg.aliasRegisters);
    cfgWrite(kCfgTlbEntries, cfg.tlbEntries);
    cfgWrite(kCfgTbitShift, tbitShift);
    cfgWrite(kCfgMemBytes, memBytes);
    const auto& f = cfg.features;
    cfgWrite(kCfgFeatures, (cfg.timing ? 1u : 0u) | (f.x86Flags ? 2u : 0u) | (f.partialRegs ? 4u : 0u) |
                               (f.segAgen ? 8u : 0u) | (f.hostTlb ? 16u : 0u) | (f.aliasHw ? 32u : 0u) |
                               (f.maxAtoms == 8 ? 64u : 0u));
    cfgWrite(kCfgResetPc, resetPc);
  }
  void reset(uint32_t resetPc) {
    if (deferring()) return queue([=, this] { reset(resetPc); });
    configure(resetPc);
    set(h.run, false);
    set(h.fetchExtra, 0u);
    h.svcAck.write(false);
    h.adv.write(false);
    h.rstN.write(false);
    tick();
    h.rstN.write(true);
    tick();
  }

  bool ioPage(uint32_t page) const { return (ioBits[page >> 6] >> (page & 63)) & 1u; }
};

namespace {
void flushActiveWrites() {
  if (g_active) g_active->flushWrites();
}
}  // namespace

// ---- construction -----------------------------------------------------------------------------
RtlCore::RtlCore(const IssConfig& config, Kernel kernel) {
  config.validate();
  if (config.storeBufferEntries > RtlLimits::kStoreBufferEntries || config.tlbEntries > RtlLimits::kTlbEntries ||
      config.aliasRegisters > RtlLimits::kAliasRegisters || config.features.maxAtoms > RtlLimits::kMaxAtoms)
    throw std::invalid_argument(
        "RtlCore: configuration beyond the RTL's sizes (store buffer <= 32, TLB <= 64, alias <= 8)");
  Harness& h = Harness::get();
  if (h.inUse) throw std::logic_error("RtlCore: only one RTL core may exist at a time (SystemC elaborates once)");
  h.inUse = true;
  impl_ = std::make_unique<Impl>(config);
  impl_->api = this;
  impl_->embedded = kernel == Kernel::Embedded;
  h.embedded = impl_->embedded;
  impl_->edges0 = h.edges;
  impl_->reset(0);
}

RtlCore::~RtlCore() {
  closeTrace();
  if (g_active == impl_.get()) g_active = nullptr;
  impl_->h.inUse = false;
}

const IssConfig& RtlCore::config() const { return impl_->cfg; }

void RtlCore::openTrace(const std::string& path) {
  closeTrace();
  impl_->trace = std::make_unique<VerilatedFstC>();
  impl_->h.top.trace(impl_->trace.get(), 99);
  impl_->trace->open(path.c_str());
  if (!impl_->trace->isOpen()) {
    impl_->trace.reset();
    throw std::runtime_error("RtlCore: cannot open FST trace " + path);
  }
  impl_->h.trace = impl_->trace.get();
}

void RtlCore::closeTrace() {
  if (impl_ && impl_->trace) {
    impl_->h.trace = nullptr;
    impl_->trace->close();
    impl_->trace.reset();
  }
}

uint64_t RtlCore::clockEdges() const { return impl_->h.edges - impl_->edges0; }
const std::vector<RtlCore::MemWrite>& RtlCore::coreWrites() const { return impl_->writes; }
void RtlCore::clearCoreWrites() { impl_->writes.clear(); }

hostisa::iss::Iss::AliasState RtlCore::aliasRegister(unsigned index) const {
  if (index >= RtlLimits::kAliasRegisters) throw std::out_of_range("RtlCore: alias register index");
  const auto& r = impl_->root;
  return {r.cm_core__DOT__u_alias__DOT__valid_q[index] != 0, r.cm_core__DOT__u_alias__DOT__lo_q[index],
          r.cm_core__DOT__u_alias__DOT__len_q[index], r.cm_core__DOT__u_alias__DOT__lo2_q[index],
          r.cm_core__DOT__u_alias__DOT__len2_q[index]};
}
uint64_t RtlCore::readyCycle(unsigned index) const {
  if (index > kNumRegs) throw std::out_of_range("RtlCore: scoreboard index");
  return impl_->root.cm_core__DOT__u_scoreboard__DOT__ready_q[index];
}

// ---- execution -----------------------------------------------------------------------------
void RtlCore::reset(uint32_t resetPc) { impl_->reset(resetPc); }

// One molecule: fetch it first unless the core prefetched it at the last retire edge (and
// the host changed nothing since), make the MemoryTiming fetch callback for it (answered
// through fetch_extra_i), run the execute clock(s), then answer a service call.
bool RtlCore::step() {
  Impl& m = *impl_;
  if (m.deferring()) throw std::logic_error("RtlCore::step: the enclosing SystemC simulation is not running");
  if (stopped()) return false;
  if (m.refetch || m.root.cm_core__DOT__state_q != kStateExec) {
    m.dbg(Impl::kFetch, 0, 0);
    m.refetch = false;
  }
  if (m.memTiming && m.cfg.timing) {
    const unsigned bytes = m.root.cm_core__DOT__u_fetch__DOT__bytes_q;
    Impl::set(m.h.fetchExtra, bytes ? m.memTiming->fetch(m.root.cm_core__DOT__pc_q, bytes) : 0u);
  }
  if (!m.untilRetired()) throw std::logic_error("RtlCore: the model did not retire a molecule");
  m.runAfterMolecule();
  if (m.h.svcReq.read()) {
    const unsigned number = m.h.svcNum.read();
    uint64_t held = 0;
    if (m.service) held = m.service->service(number, *this);
    Impl::set(m.h.run, false);
    m.h.svcAck.write(true);
    m.h.svcNone.write(m.service == nullptr);
    m.h.svcCycles.write(held);
    m.tick();
    m.h.svcAck.write(false);
    m.h.svcNone.write(false);
  }
  return true;
}

RunResult RtlCore::run(uint64_t maxCycles, uint64_t maxSteps) {
  const uint64_t start = cycles();
  const uint64_t limit = maxCycles > UINT64_MAX - start ? UINT64_MAX : start + maxCycles;
  for (uint64_t steps = 0;; ++steps) {
    if (stopped()) return RunResult::Stopped;
    if (cycles() >= limit) return RunResult::CycleLimit;
    if (steps >= maxSteps) return RunResult::MoleculeLimit;
    step();
  }
}

bool RtlCore::stopped() const { return impl_->root.cm_core__DOT__u_trap__DOT__reason_q != 0; }

StopInfo RtlCore::stopInfo() const {
  const auto& r = impl_->root;
  StopInfo s;
  s.reason = static_cast<StopReason>(r.cm_core__DOT__u_trap__DOT__reason_q);
  if (s.reason == StopReason::Running) return {};
  s.cause = static_cast<hostisa::TrapCause>(r.cm_core__DOT__u_trap__DOT__stop_cause_q);
  s.pc = r.cm_core__DOT__u_trap__DOT__stop_pc_q;
  s.tval = r.cm_core__DOT__u_trap__DOT__stop_tval_q;
  s.service = r.cm_core__DOT__u_trap__DOT__stop_service_q;
  return s;
}

void RtlCore::resume() { impl_->dbg(Impl::kResume, 0, 0); }

uint64_t RtlCore::cycles() const { return impl_->root.cm_core__DOT__u_scoreboard__DOT__now_q; }
void RtlCore::advanceCycles(uint64_t n) {
  Impl& m = *impl_;
  if (m.deferring()) return m.queue([this, n] { advanceCycles(n); });
  Impl::set(m.h.run, false);
  m.h.adv.write(true);
  m.h.advCycles.write(n);
  m.tick();
  m.h.adv.write(false);
}

// ---- architectural state (reads: public signals; writes: debug port) -------------------------
uint32_t RtlCore::pc() const { return impl_->root.cm_core__DOT__pc_q; }
void RtlCore::setPc(uint32_t pc) { impl_->dbg(Impl::kPc, 0, pc); }
uint32_t RtlCore::reg(unsigned index) const {
  return index < kNumRegs && index != 0 ? impl_->root.cm_core__DOT__u_regfile__DOT__regs_q[index] : 0;
}
void RtlCore::setReg(unsigned index, uint32_t value) {
  if (index == 0 || index >= kNumRegs) return;
  impl_->dbg(Impl::kReg, index, value);
}
uint32_t RtlCore::shadowReg(unsigned index) const {
  return isShadowed(index) ? impl_->root.cm_core__DOT__u_regfile__DOT__shadow_q[index] : 0;
}
void RtlCore::setShadowReg(unsigned index, uint32_t value) {
  if (!isShadowed(index)) return;
  impl_->dbg(Impl::kShadow, index, value);
}
uint32_t RtlCore::sreg(unsigned number) const {
  const auto& r = impl_->root;
  if (!hostisa::sregInfo(number)) return 0;
  switch (static_cast<Sreg>(number)) {
    case Sreg::XFLAGS: return r.cm_core__DOT__u_regfile__DOT__flags_q;
    case Sreg::CYCLE_LO: return static_cast<uint32_t>(cycles());
    case Sreg::CYCLE_HI: return static_cast<uint32_t>(cycles() >> 32);
    case Sreg::SBCOUNT: return storeBufferOccupancy();
    default: return number < 64 ? r.cm_core__DOT__u_sregs__DOT__sr_q[number] : 0;
  }
}
void RtlCore::setSreg(unsigned number, uint32_t value) {
  if (!hostisa::sregInfo(number)) return;
  switch (static_cast<Sreg>(number)) {
    case Sreg::CYCLE_LO:
    case Sreg::CYCLE_HI:
    case Sreg::SBCOUNT: return;
    case Sreg::XFLAGS: impl_->dbg(Impl::kFlags, 0, value & kXflagsMask); return;
    default:
      if (number < 64) impl_->dbg(Impl::kSreg, number, value);
  }
}
uint32_t RtlCore::shadowSreg(unsigned number) const {
  const hostisa::SregInfo* info = hostisa::sregInfo(number);
  if (!info || !info->shadowed) return 0;
  if (number == static_cast<unsigned>(Sreg::XFLAGS)) return impl_->root.cm_core__DOT__u_regfile__DOT__flags_shadow_q;
  return number < 64 ? impl_->root.cm_core__DOT__u_sregs__DOT__sr_shadow_q[number] : 0;
}

// ---- memory and attributes ---------------------------------------------------------------------
uint64_t RtlCore::memorySize() const { return impl_->memBytes; }

void RtlCore::readMemory(uint32_t paddr, std::span<uint8_t> out) const {
  if (uint64_t{paddr} + out.size() > impl_->memBytes) throw std::out_of_range("RtlCore: physical range outside memory");
  std::memcpy(out.data(), impl_->mem.data() + paddr, out.size());
}
void RtlCore::writeMemory(uint32_t paddr, std::span<const uint8_t> data) {
  if (uint64_t{paddr} + data.size() > impl_->memBytes) throw std::out_of_range("RtlCore: physical range outside memory");
  std::memcpy(impl_->mem.data() + paddr, data.data(), data.size());
  impl_->refetch = true;
}
std::span<uint8_t> RtlCore::directMemory() { return {impl_->mem.data(), static_cast<size_t>(impl_->memBytes)}; }
void RtlCore::setTranslated(uint32_t paddr, uint32_t len, bool translated) {
  Impl& m = *impl_;
  if (uint64_t{paddr} + len > m.memBytes) throw std::out_of_range("RtlCore: physical range outside memory");
  if (len == 0) return;
  m.refetch = true;
  const uint64_t g0 = paddr >> m.tbitShift, g1 = (uint64_t{paddr} + len - 1) >> m.tbitShift;
  const unsigned perPage = kPageSize >> m.tbitShift;
  for (uint64_t g = g0; g <= g1; ++g) {
    uint64_t& word = m.tbits[g / perPage];
    const uint64_t bit = uint64_t{1} << (g % perPage);
    word = translated ? (word | bit) : (word & ~bit);
  }
}
bool RtlCore::isTranslated(uint32_t paddr) const {
  const Impl& m = *impl_;
  if (paddr >= m.memBytes) throw std::out_of_range("RtlCore: physical address outside memory");
  return (m.tbits[paddr >> kPageShift] >> ((paddr & (kPageSize - 1)) >> m.tbitShift)) & 1u;
}
void RtlCore::setIoSpace(uint32_t paddr, uint32_t len, bool io) {
  if (len == 0) return;
  impl_->refetch = true;
  const uint64_t last = std::min<uint64_t>(uint64_t{paddr} + len - 1, 0xFFFFFFFFull);
  for (uint64_t p = paddr >> kPageShift; p <= (last >> kPageShift); ++p) {
    uint64_t& word = impl_->ioBits[p >> 6];
    word = io ? (word | (uint64_t{1} << (p & 63))) : (word & ~(uint64_t{1} << (p & 63)));
  }
}
bool RtlCore::isIoSpace(uint32_t paddr) const { return impl_->ioPage(paddr >> kPageShift); }

// ---- TLB and store buffer ---------------------------------------------------------------------
void RtlCore::tlbInsert(uint32_t linear, uint32_t entry) {
  impl_->dbg(Impl::kTlbInsert, 0, (uint64_t{linear} << 32) | entry);
}
void RtlCore::tlbFlush() { impl_->dbg(Impl::kTlbFlush, 0, 0); }
unsigned RtlCore::storeBufferOccupancy() const { return impl_->root.cm_core__DOT__u_store_buffer__DOT__count_q; }

void RtlCore::setServiceHandler(hostisa::iss::ServiceHandler* handler) { impl_->service = handler; }
void RtlCore::setIoBus(hostisa::iss::IoBus* bus) { impl_->bus = bus; }
void RtlCore::setMemoryTiming(hostisa::iss::MemoryTiming* timing) { impl_->memTiming = timing; }

// ---- checkpoints: the ISS's format (hostisa/iss/src/iss.cpp), field by field -------------------
// State is read from the model's public signals and loaded through the debug port (one clock
// per value, a few hundred clocks in all). The stats block (IssStats) is the ISS's: the RTL
// counts no stats, so it carries the block of the last loaded checkpoint through unchanged
// (zeros if none was loaded).
namespace {
constexpr uint32_t kCheckpointVersion = 1;  // = the ISS's
constexpr size_t kIssStatsBytes = sizeof(hostisa::iss::IssStats);

// Special registers that hold state in cm_sregs (the ISS's sregs_ array holds exactly those).
bool sregHasState(unsigned n) {
  return n < 64 && hostisa::sregInfo(n) && n != static_cast<unsigned>(Sreg::XFLAGS) &&
         n != static_cast<unsigned>(Sreg::CYCLE_LO) && n != static_cast<unsigned>(Sreg::CYCLE_HI) &&
         n != static_cast<unsigned>(Sreg::SBCOUNT);
}
bool sregHasShadow(unsigned n) {
  const hostisa::SregInfo* info = hostisa::sregInfo(n);
  return sregHasState(n) && info->shadowed;
}
}  // namespace

void RtlCore::saveCheckpoint(support::OutArchive& out) const {
  const Impl& m = *impl_;
  const auto& r = m.root;
  out.beginSection("iss", kCheckpointVersion);
  out.put<uint64_t>(m.memBytes);
  out.put<uint32_t>(m.cfg.storeBufferEntries);
  out.put<uint32_t>(m.cfg.aliasRegisters);
  out.put<uint32_t>(m.cfg.tlbEntries);
  out.put<uint32_t>(m.cfg.tbitGranule);
  // regs_[0..64] ([64] = xflags), shadow_ (r1..r31, [64] = xflags), sregs_[256], shadowSregs_[256]
  for (unsigned i = 0; i < kNumRegs; ++i) out.put<uint32_t>(reg(i));
  out.put<uint32_t>(r.cm_core__DOT__u_regfile__DOT__flags_q);
  for (unsigned i = 0; i < kNumRegs; ++i) out.put<uint32_t>(shadowReg(i));
  out.put<uint32_t>(r.cm_core__DOT__u_regfile__DOT__flags_shadow_q);
  for (unsigned n = 0; n < 256; ++n) out.put<uint32_t>(sregHasState(n) ? r.cm_core__DOT__u_sregs__DOT__sr_q[n] : 0);
  for (unsigned n = 0; n < 256; ++n)
    out.put<uint32_t>(sregHasShadow(n) ? r.cm_core__DOT__u_sregs__DOT__sr_shadow_q[n] : 0);
  out.put<uint32_t>(pc());
  const StopInfo s = stopInfo();
  out.put(static_cast<uint8_t>(s.reason));
  out.put(static_cast<uint8_t>(s.cause));
  out.put(s.pc);
  out.put(s.tval);
  out.put(s.service);
  // Store buffer, alias registers, TLB and its fill pointer.
  const unsigned sbCount = storeBufferOccupancy();
  out.put<uint32_t>(sbCount);
  for (unsigned i = 0; i < sbCount; ++i) {
    out.put<uint32_t>(r.cm_core__DOT__u_store_buffer__DOT__addr_q[i]);
    out.put<uint32_t>(r.cm_core__DOT__u_store_buffer__DOT__value_q[i]);
    out.put<uint8_t>(r.cm_core__DOT__u_store_buffer__DOT__size_q[i]);
  }
  for (unsigned i = 0; i < RtlLimits::kAliasRegisters; ++i) {
    out.put<uint8_t>(r.cm_core__DOT__u_alias__DOT__valid_q[i] ? 1 : 0);
    out.put<uint32_t>(r.cm_core__DOT__u_alias__DOT__lo_q[i]);
    out.put<uint32_t>(r.cm_core__DOT__u_alias__DOT__len_q[i]);
    out.put<uint32_t>(r.cm_core__DOT__u_alias__DOT__lo2_q[i]);
    out.put<uint32_t>(r.cm_core__DOT__u_alias__DOT__len2_q[i]);
  }
  for (unsigned i = 0; i < m.cfg.tlbEntries; ++i) {
    out.put<uint32_t>(r.cm_core__DOT__u_tlb__DOT__vpn_q[i]);
    out.put<uint32_t>(r.cm_core__DOT__u_tlb__DOT__val_q[i]);
  }
  out.put<uint32_t>(r.cm_core__DOT__u_tlb__DOT__next_q);
  // Timing: now, ready cycles and producer classes of r0..r63 and xflags; stats.
  out.put<uint64_t>(cycles());
  for (unsigned i = 0; i <= kNumRegs; ++i) out.put<uint64_t>(r.cm_core__DOT__u_scoreboard__DOT__ready_q[i]);
  for (unsigned i = 0; i <= kNumRegs; ++i) out.put<uint8_t>(r.cm_core__DOT__u_scoreboard__DOT__class_q[i]);
  if (m.issStats.size() == kIssStatsBytes) {
    for (uint8_t b : m.issStats) out.put(b);
  } else {
    out.put(hostisa::iss::IssStats{});
  }
  // Memory and attributes.
  out.beginSection("iss.memory", kCheckpointVersion);
  out.putBytes(m.mem);
  for (uint64_t w : m.tbits) out.put(w);
  for (uint64_t w : m.ioBits) out.put(w);
}

void RtlCore::loadCheckpoint(support::InArchive& in) {
  Impl& m = *impl_;
  in.beginSection("iss", kCheckpointVersion);
  if (in.get<uint64_t>() != m.memBytes || in.get<uint32_t>() != m.cfg.storeBufferEntries ||
      in.get<uint32_t>() != m.cfg.aliasRegisters || in.get<uint32_t>() != m.cfg.tlbEntries ||
      in.get<uint32_t>() != m.cfg.tbitGranule) {
    throw support::CheckpointError("RTL checkpoint: configuration differs from this core's");
  }
  // Read everything first (a truncated or bad checkpoint leaves the core untouched), then
  // load the model: reset, then one debug-port write per value.
  std::array<uint32_t, kNumRegs + 1> regs{}, shadow{};
  std::array<uint32_t, 256> sregs{}, shadowSregs{};
  for (uint32_t& v : regs) in.get(v);
  for (uint32_t& v : shadow) in.get(v);
  for (uint32_t& v : sregs) in.get(v);
  for (uint32_t& v : shadowSregs) in.get(v);
  const uint32_t pc = in.get<uint32_t>();
  StopInfo stop;
  stop.reason = static_cast<StopReason>(in.get<uint8_t>());
  stop.cause = static_cast<hostisa::TrapCause>(in.get<uint8_t>());
  in.get(stop.pc);
  in.get(stop.tval);
  in.get(stop.service);
  const uint32_t sbCount = in.get<uint32_t>();
  if (sbCount > m.cfg.storeBufferEntries) throw support::CheckpointError("RTL checkpoint: store buffer overflow");
  struct Sb { uint32_t paddr, value; uint8_t size; };
  std::vector<Sb> sb(sbCount);
  for (Sb& e : sb) {
    in.get(e.paddr);
    in.get(e.value);
    in.get(e.size);
    if (e.size < 1 || e.size > 4) throw support::CheckpointError("RTL checkpoint: bad store buffer entry");
  }
  struct Alias { uint8_t valid; uint32_t lo, len, lo2, len2; };
  std::array<Alias, RtlLimits::kAliasRegisters> alias{};
  for (Alias& a : alias) {
    in.get(a.valid);
    in.get(a.lo);
    in.get(a.len);
    in.get(a.lo2);
    in.get(a.len2);
    if (a.len > 4 || a.len2 > 4) throw support::CheckpointError("RTL checkpoint: bad alias register");
  }
  std::vector<std::pair<uint32_t, uint32_t>> tlb(m.cfg.tlbEntries);
  for (auto& [vpn, value] : tlb) {
    in.get(vpn);
    in.get(value);
  }
  const uint32_t tlbNext = in.get<uint32_t>() % m.cfg.tlbEntries;
  const uint64_t now = in.get<uint64_t>();
  std::array<uint64_t, kNumRegs + 1> ready{};
  std::array<uint8_t, kNumRegs + 1> producer{};
  for (uint64_t& v : ready) in.get(v);
  for (uint8_t& v : producer) in.get(v);
  std::vector<uint8_t> stats(kIssStatsBytes);
  for (uint8_t& b : stats) in.get(b);
  in.beginSection("iss.memory", kCheckpointVersion);
  std::vector<uint8_t> mem(m.memBytes);
  in.getBytes(mem);
  std::vector<uint64_t> tbits(m.tbits.size()), ioBits(m.ioBits.size());
  for (uint64_t& w : tbits) in.get(w);
  for (uint64_t& w : ioBits) in.get(w);

  // Load: memory and attributes (C++ side), then the model's state.
  m.mem = std::move(mem);
  m.tbits = std::move(tbits);
  m.ioBits = std::move(ioBits);
  m.issStats = std::move(stats);
  m.reset(pc);
  for (unsigned i = 1; i < kNumRegs; ++i)
    if (regs[i]) m.dbg(Impl::kReg, i, regs[i]);
  m.dbg(Impl::kFlags, 0, regs[kFlagsRegIndex] & kXflagsMask);
  for (unsigned i = 1; i < kNumRegs; ++i)
    if (isShadowed(i) && shadow[i]) m.dbg(Impl::kShadow, i, shadow[i]);
  m.dbg(Impl::kFlagsShadow, 0, shadow[kFlagsRegIndex] & kXflagsMask);
  for (unsigned n = 0; n < 256; ++n) {
    if (sregHasState(n) && sregs[n]) m.dbg(Impl::kSreg, n, sregs[n]);
    if (sregHasShadow(n) && shadowSregs[n]) m.dbg(Impl::kSregShadow, n, shadowSregs[n]);
  }
  for (unsigned i = 0; i < sbCount; ++i)
    m.dbg(Impl::kSbEntry, i | (uint32_t{sb[i].size} << 5), (uint64_t{sb[i].value} << 32) | sb[i].paddr);
  m.dbg(Impl::kSbCount, 0, sbCount);
  for (unsigned i = 0; i < alias.size(); ++i) {
    const Alias& a = alias[i];
    m.dbg(Impl::kAliasLo, i | (a.len << 3) | (a.valid ? 0x40u : 0u), a.lo);
    m.dbg(Impl::kAliasLo2, i | (a.len2 << 3), a.lo2);
  }
  for (unsigned i = 0; i < tlb.size(); ++i)
    if (tlb[i].first || tlb[i].second)
      m.dbg(Impl::kTlbEntry, i, (uint64_t{tlb[i].first & 0xFFFFFu} << 32) | tlb[i].second);
  m.dbg(Impl::kTlbNext, 0, tlbNext);
  for (unsigned i = 0; i <= kNumRegs; ++i) {
    if (ready[i]) m.dbg(Impl::kReady, i, ready[i]);
    if (producer[i]) m.dbg(Impl::kClass, i, producer[i] % hostisa::kNumTimingClasses);
  }
  m.dbg(Impl::kNow, 0, now);
  m.dbg(Impl::kStopA, static_cast<uint8_t>(stop.cause), (uint64_t{stop.tval} << 32) | stop.pc);
  m.dbg(Impl::kStopB, 0, static_cast<uint32_t>(stop.reason) | ((stop.service & 0xFFFFu) << 16));
  m.refetch = true;
}

}  // namespace codemorph::rtl

// ---- DPI-C: the RTL's memory ports (cm_dpi_pkg.sv) ---------------------------------------------
using codemorph::rtl::g_active;

extern "C" unsigned int cm_dpi_mem_read(unsigned int paddr, unsigned int bytes, unsigned int) {
  const auto* m = g_active;
  uint32_t v = 0;
  if (!m) return 0;
  for (unsigned i = 0; i < bytes && i < 4; ++i) {
    const uint64_t a = uint64_t{paddr} + i;
    if (a < m->memBytes) v |= uint32_t{m->mem[a]} << (8 * i);
  }
  return v;
}

extern "C" void cm_dpi_mem_write(unsigned int paddr, unsigned int bytes, unsigned int value) {
  if (auto* m = g_active) m->pending.push_back({paddr, bytes, value});  // applied after the edge
}

extern "C" svBit cm_dpi_page_io(unsigned int page, unsigned int) {
  return g_active && (page >> 20) == 0 && g_active->ioPage(page) ? 1 : 0;
}

extern "C" unsigned long long cm_dpi_page_tbits(unsigned int page, unsigned int) {
  const auto* m = g_active;
  return m && page < m->tbits.size() ? m->tbits[page] : 0;
}

extern "C" unsigned int cm_dpi_io_read(unsigned int paddr, unsigned int bytes) {
  auto* m = g_active;
  return m && m->bus ? m->bus->read(paddr, bytes) : 0xFFFFFFFFu;
}

extern "C" void cm_dpi_io_write(unsigned int paddr, unsigned int bytes, unsigned int value) {
  auto* m = g_active;
  if (m && m->bus) m->bus->write(paddr, bytes, value);
}

extern "C" unsigned int cm_dpi_timing_fetch(unsigned int paddr, unsigned int bytes) {
  auto* m = g_active;
  return m && m->memTiming ? m->memTiming->fetch(paddr, bytes) : 0;
}
extern "C" unsigned int cm_dpi_timing_load(unsigned int paddr, unsigned int bytes) {
  auto* m = g_active;
  return m && m->memTiming ? m->memTiming->load(paddr, bytes) : 0;
}
extern "C" unsigned int cm_dpi_timing_store(unsigned int paddr, unsigned int bytes) {
  auto* m = g_active;
  return m && m->memTiming ? m->memTiming->store(paddr, bytes) : 0;
}

// libsystemc provides main() calling sc_main(); our programs have their own main and
// drive the kernel with sc_start, so this is never called.
int sc_main(int, char**) { return 1; }
