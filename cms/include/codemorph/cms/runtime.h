// The Code Morphing Software runtime: runs an x86 guest on a VLIW core model (or, with
// translation off, on the interpreter alone) against a platform (docs/cms-runtime.md).
//
// The platform (sim/) implements GuestPlatform; the runtime calls syncTo(now()) before
// every port or MMIO access and before looking at the interrupt line, never runs past
// nextEventTime(), and stops when the platform asks (isa-debug-exit, reset, shutdown).
#pragma once
#include <codemorph/cms/cpu_model.h>
#include <codemorph/cms/cpu_state.h>
#include <codemorph/cms/exceptions.h>
#include <codemorph/cms/guest_bus.h>

#include <cstdint>
#include <memory>
#include <string>

namespace codemorph::support {
class Config;
class StatsRegistry;
class OutArchive;
class InArchive;
}  // namespace codemorph::support
namespace codemorph::hostisa::iss {
class CoreApi;
}

namespace codemorph::cms {

class RegionTranslator;

enum class ClockMode : uint8_t {
  Cycles,        // device time follows modelled core cycles (CMS costs included)
  Instructions,  // device time follows retired x86 instructions (like QEMU -icount)
};

// What the runtime needs from the machine around the CPU, beyond memory and ports.
class GuestPlatform : public GuestBus {
 public:
  // Bring every device up to time t (in the run's clock units); events due by t fire.
  virtual void syncTo(uint64_t t) = 0;
  // Time of the next scheduled device event (UINT64_MAX: none).
  virtual uint64_t nextEventTime() const = 0;
  // The INTR line (after syncTo) and the interrupt acknowledge cycle (the PIC's vector).
  virtual bool intrPending() = 0;
  virtual uint8_t intrAcknowledge() = 0;
  // A device asked the run to stop (isa-debug-exit, Bochs shutdown) or the machine to
  // reset (0xCF9, 8042, port 0x92); checked after every I/O access.
  virtual bool stopRequested() const = 0;
  virtual bool resetRequested() = 0;  // reading clears the request
  // A20 gate as the chipset drives it (8042 / port 0x92).
  virtual bool a20() const = 0;
};

struct CostModel {
  uint32_t interpretPerInsn = 20;    // cycles per interpreted x86 instruction
  uint32_t serviceCall = 10;         // fixed cost of entering and leaving the CMS
  uint32_t translatePerInsnGear2 = 600;
  uint32_t translatePerInsnGear3 = 3000;
  uint32_t faultHandling = 200;      // per rollback/fault analysed
  uint32_t tlbFill = 60;             // per host-TLB fill (x86 page walk)
  uint32_t chain = 20;               // per chaining or unchaining patch
  uint32_t invalidate = 100;         // per translation invalidated
};

struct RuntimeConfig {
  bool translate = true;             // --no-translate: false
  uint32_t threshold = 50;           // --cms-threshold: executions before gear 2 (0: first)
  uint32_t hotThreshold = 2000;      // executions of a gear-2 translation before gear 3
  ClockMode clock = ClockMode::Cycles;
  uint32_t reservedMiB = 16;         // CMS-reserved host memory (cms.reserved_mib)
  bool chaining = true;              // cms.chaining
  bool aliasHoisting = true;         // cms.alias_hoisting
  CostModel cost;
  // What translations must respect of the core (read from the core's knobs when the
  // configuration defines them: hostisa.max_atoms, iss.store_buffer_entries, iss.tbit_granule).
  uint32_t maxAtoms = 4;
  uint32_t storeBufferEntries = 32;
  uint32_t tbitGranule = 128;
  // The co-designed features translations may use (iss.alias_registers, hostisa.alias_hw,
  // hostisa.x86_flags, hostisa.partial_regs, hostisa.seg_agen): an atom of a disabled
  // feature, or an alias index >= aliasRegisters, is ILLEGAL on the core.
  uint32_t aliasRegisters = 8;
  bool aliasHardware = true;
  bool x86Flags = true;
  bool partialRegs = true;
  bool segAgen = true;
  // Knobs: cms.translate, cms.threshold, cms.hot_threshold, cms.clock, cms.reserved_mib,
  // cms.chaining, cms.alias_hoisting, cms.cost.* (docs/configuration.md).
  static void defineKnobs(support::Config& config);
  static RuntimeConfig fromConfig(const support::Config& config);
};

enum class RunStop : uint8_t {
  Limit,           // the cycle/instruction budget of run() was used up
  GuestStop,       // GuestPlatform::stopRequested()
  TripleFault,     // shutdown; the caller resets (reset()) or stops (-no-reboot)
  Unimplemented,   // the interpreter met something it does not implement
  CoreError,       // the core model stopped unexpectedly (double trap, ...): a CMS bug
  Idle,            // HLT with nothing that can wake the CPU: no device event scheduled
                   // (nextEventTime() == UINT64_MAX) and no interrupt deliverable
};

struct RunOutcome {
  RunStop stop = RunStop::Limit;
  std::string message;  // one line for TripleFault / Unimplemented / CoreError
};

class Runtime {
 public:
  // core: the VLIW core whose memory holds guest RAM at 0 and the reserved region at the
  // top (may be null when config.translate is false); its directMemory() must be the bytes
  // of platform.ram(). platform: not owned. translator: null = defaultRegionTranslator()
  // (region_translator.h); tests pass hand-written ones. Throws std::invalid_argument
  // when translation is asked for without a core, a shared memory or a translator.
  Runtime(const RuntimeConfig& config, hostisa::iss::CoreApi* core, GuestPlatform& platform,
          const CpuModel& model = defaultCpuModel(), RegionTranslator* translator = nullptr);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // x86 power-on reset (SDM Vol. 3A 9.1.1) plus a flush of the translation cache.
  void reset();
  // Runs until `until` (in the clock's units: cycles or retired x86 instructions), or a stop.
  RunOutcome run(uint64_t until);

  uint64_t now() const;                 // in the clock's units
  uint64_t cycles() const;              // modelled cycles (both clocks)
  uint64_t instructionsRetired() const; // interpreted + translated
  uint64_t instructionsInterpreted() const;
  uint64_t instructionsTranslated() const;

  // The x86 state at the last commit point (for loaders, tests and reports).
  CpuState& cpu();
  const CpuState& cpu() const;

  // Bytes at [base, base+size) of guest physical memory changed without a store the CMS
  // saw (DMA, memory-map changes: PAM, SMRAM, A20): drop the translations there.
  void invalidatePhysical(uint64_t base, uint64_t size);
  // Physical pages [base, base+size) are (not) plain RAM for the CPU (routes their
  // translated accesses through the platform bus; see docs/cms-runtime.md section 2).
  void setPhysicalIo(uint64_t base, uint64_t size, bool io);

  // Told about every physical store the interpreter makes (gear 1, and re-execution after a
  // rollback); stores by translated code are not reported. nullptr: none. Not owned.
  void setStoreObserver(StoreObserver* observer);

  void registerStats(support::StatsRegistry& stats) const;
  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

  class Impl;  // the implementation (cms/runtime/runtime_impl.h); public only so that its parts can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace codemorph::cms
