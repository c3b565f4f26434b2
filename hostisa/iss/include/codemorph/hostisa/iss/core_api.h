// The core interface: what every model of the VLIW core offers to the platform, the hosted
// CMS and the lockstep checker. The reference ISS (iss.h) implements it; the verilated RTL
// model will implement it too, so nothing here may depend on how the ISS works inside.
// Semantics, fault rules and the timing model are specified in docs/iss.md.
//
// Callbacks the core makes into the host (all optional except where noted):
//   ServiceHandler  svc imm16 atoms (the hosted CMS); without one an svc stops the core.
//   IoBus           accesses to I/O-space pages (MMIO/ports); without one reads return
//                   all ones and writes are dropped.
//   MemoryTiming    extra latency of fetches, loads and stores (cache/TLB models);
//                   without one every access has zero extra latency.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "codemorph/hostisa/isa.h"

namespace codemorph::support {
class OutArchive;
class InArchive;
}  // namespace codemorph::support

namespace codemorph::hostisa::iss {

class CoreApi;

// The boundary to the hosted Code Morphing Software (ARCHITECTURE.md section 3).
class ServiceHandler {
 public:
  virtual ~ServiceHandler() = default;
  // Called after the svc molecule's own effects (including its commit) are applied and
  // the pc already points at the next molecule. The handler may read and write registers,
  // special registers, memory and the pc through `core`. Returns the number of cycles the
  // core is held (the CMS cost model), added to the cycle count.
  virtual uint64_t service(unsigned number, CoreApi& core) = 0;
};

// The core's port to I/O space. size is 1, 2 or 4; accesses never cross a page.
class IoBus {
 public:
  virtual ~IoBus() = default;
  virtual uint32_t read(uint32_t paddr, unsigned size) = 0;
  virtual void write(uint32_t paddr, unsigned size, uint32_t value) = 0;
};

// Extra latency of memory accesses, in cycles (0 = the base timing of docs/iss.md).
class MemoryTiming {
 public:
  virtual ~MemoryTiming() = default;
  virtual uint32_t fetch(uint32_t paddr, unsigned bytes) { (void)paddr; (void)bytes; return 0; }
  virtual uint32_t load(uint32_t paddr, unsigned size) { (void)paddr; (void)size; return 0; }
  virtual uint32_t store(uint32_t paddr, unsigned size) { (void)paddr; (void)size; return 0; }
};

// Why the core stopped. A stopped core executes nothing until resume() or reset().
enum class StopReason : uint8_t {
  Running = 0,       // not stopped
  Halted,            // halt atom (pc = next molecule)
  DoubleTrap,        // a trap while tstatus bit 0 was set
  UnhandledTrap,     // a trap while tvec == 0
  UnhandledService,  // svc without a ServiceHandler (pc = next molecule)
};
std::string_view stopReasonName(StopReason r);

struct StopInfo {
  StopReason reason = StopReason::Running;
  TrapCause cause = TrapCause::None;  // DoubleTrap/UnhandledTrap: the trap's cause
  uint32_t pc = 0;                    // address of the molecule that stopped the core
  uint32_t tval = 0;                  // DoubleTrap/UnhandledTrap: the trap's value
  uint32_t service = 0;               // UnhandledService: the svc number
};

// Host-side accounting of execution (not architectural: it changes no state, timing or
// stats of the core). A host that must attribute cycles by code address, or notice jumps
// into an area, asks the core to do it inside run()/step() instead of stepping it one
// molecule at a time (the CMS runtime: firmware cycles, lookup and chain hits).
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // A step moved the pc from `from` (the molecule's address) to `to` (see RunAccounting).
  virtual void landed(uint32_t from, uint32_t to) = 0;
};
struct RunAccounting {
  // Every step that begins at a pc in [cyclesLo, cyclesHi) adds its cycles to *cycles: the
  // advance of cycles() over the step (trap entry and advanceCycles() from callbacks
  // included) minus what a service handler returned during it.
  uint64_t cyclesLo = 0, cyclesHi = 0;
  uint64_t* cycles = nullptr;
  // After every executed step from pc `from` that leaves pc() = `to` in [landLo, landHi)
  // with to < from or to > from + nearBytes (32-bit arithmetic): observer->landed(from, to).
  uint64_t landLo = 0, landHi = 0;
  uint32_t nearBytes = 0;
  RunObserver* observer = nullptr;
};

enum class RunResult : uint8_t {
  Stopped,        // the core stopped (see stopInfo())
  CycleLimit,     // cycles() reached the cycle budget
  MoleculeLimit,  // the step budget was used up
};

class CoreApi {
 public:
  virtual ~CoreApi() = default;

  // ---- execution ---------------------------------------------------------------------
  // Architectural reset: registers, shadows, special registers, store buffer, alias
  // registers, TLB, scoreboard, stop state and the cycle counter cleared; pc = resetPc.
  // Memory contents, T-bits and I/O-space attributes are kept.
  virtual void reset(uint32_t resetPc) = 0;
  // Executes one molecule (or takes one trap). Returns false if the core is stopped.
  virtual bool step() = 0;
  // Steps until the core stops, cycles() has advanced by at least maxCycles, or maxSteps
  // steps were taken, whichever comes first.
  virtual RunResult run(uint64_t maxCycles = UINT64_MAX, uint64_t maxSteps = UINT64_MAX) = 0;
  virtual bool stopped() const = 0;
  virtual StopInfo stopInfo() const = 0;
  // Clears the stop state so that step()/run() execute again from pc().
  virtual void resume() = 0;
  // The cycle counter: the earliest cycle the next molecule may issue (docs/iss.md).
  virtual uint64_t cycles() const = 0;
  // Holds the core for n cycles (e.g. CMS work outside a service call).
  virtual void advanceCycles(uint64_t n) = 0;

  // ---- architectural state -----------------------------------------------------------
  virtual uint32_t pc() const = 0;
  virtual void setPc(uint32_t pc) = 0;
  virtual uint32_t reg(unsigned index) const = 0;          // 0..63; r0 reads 0
  virtual void setReg(unsigned index, uint32_t value) = 0; // writes to r0 are dropped
  virtual uint32_t shadowReg(unsigned index) const = 0;    // 1..31
  virtual void setShadowReg(unsigned index, uint32_t value) = 0;
  // Special registers by number (sregs.def). Unlike mtsr, setSreg also writes read-only
  // ones that hold state (tinfo); cycle/cycleh/sbcount are derived and ignore writes.
  // Undefined numbers: reads 0, writes ignored.
  virtual uint32_t sreg(unsigned number) const = 0;
  virtual void setSreg(unsigned number, uint32_t value) = 0;
  virtual uint32_t shadowSreg(unsigned number) const = 0;  // shadowed sregs only, else 0

  // ---- physical memory and page attributes -------------------------------------------
  virtual uint64_t memorySize() const = 0;  // bytes, from physical address 0
  // Raw host access to physical memory (no store buffer, no T-bits, no I/O bus); throws
  // std::out_of_range outside memory. Writes invalidate pre-decoded molecules.
  virtual void readMemory(uint32_t paddr, std::span<uint8_t> out) const = 0;
  virtual void writeMemory(uint32_t paddr, std::span<const uint8_t> data) = 0;
  // Direct (DMI-like) access to the whole physical memory, for a host that shares it (the
  // CMS interpreter and the platform use the core's bytes as guest RAM). Reads see memory
  // without the store buffer; writes bypass T-bits, the I/O bus and the core's caches of
  // decoded molecules, so host writes through it must never target code the core fetches
  // (write firmware and translations with writeMemory). Empty if the model cannot share
  // its memory. The lockstep Cosim returns the ISS's memory (the RTL keeps a copy that
  // noteHostWrite updates).
  virtual std::span<uint8_t> directMemory() = 0;
  // A host that wrote bytes [paddr, paddr+len) through directMemory() says so here (the
  // CMS does for every interpreter store). A model whose memory is the span has nothing
  // to do (the default); the lockstep Cosim, whose span is the ISS's memory, copies the
  // bytes into the RTL's own memory (in the order of the host's other effects).
  virtual void noteHostWrite(uint32_t paddr, uint32_t len) { (void)paddr; (void)len; }
  // T-bits: granule-wise over [paddr, paddr+len) (partially covered granules included);
  // throws std::out_of_range outside memory.
  virtual void setTranslated(uint32_t paddr, uint32_t len, bool translated) = 0;
  virtual bool isTranslated(uint32_t paddr) const = 0;
  // I/O-space attribute, page-wise over every page touching [paddr, paddr+len).
  virtual void setIoSpace(uint32_t paddr, uint32_t len, bool io) = 0;
  virtual bool isIoSpace(uint32_t paddr) const = 0;

  // ---- speculation hardware and TLB --------------------------------------------------
  // As the tlbwr / tlbfl atoms (entry = physical page | kTlbValid | kTlbWritable | ...).
  virtual void tlbInsert(uint32_t linear, uint32_t entry) = 0;
  virtual void tlbFlush() = 0;
  virtual unsigned storeBufferOccupancy() const = 0;

  // ---- host interfaces (not owned; nullptr removes) ----------------------------------
  virtual void setServiceHandler(ServiceHandler* handler) = 0;
  virtual void setIoBus(IoBus* bus) = 0;
  virtual void setMemoryTiming(MemoryTiming* timing) = 0;
  // Host-side accounting (RunAccounting; copied; nullptr removes). Returns false if the
  // model does not offer it (the host then steps and attributes by itself).
  virtual bool setRunAccounting(const RunAccounting* accounting) {
    (void)accounting;
    return false;
  }

  // ---- checkpoints -------------------------------------------------------------------
  // Everything: architectural and microarchitectural state (store buffer, alias
  // registers, TLB, scoreboard), memory, page attributes and stats counters. Loading
  // into a core of a different configuration throws support::CheckpointError.
  virtual void saveCheckpoint(support::OutArchive& out) const = 0;
  virtual void loadCheckpoint(support::InArchive& in) = 0;
};

}  // namespace codemorph::hostisa::iss
