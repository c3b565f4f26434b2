// RtlCore: the verilated SystemVerilog core (rtl/cm_*.sv) behind the same interface as the
// reference ISS (hostisa::iss::CoreApi), so that the platform, the hosted CMS, the
// `codemorph iss --core rtl` command and the lockstep checker (cosim.h) can use either.
// docs/rtl.md describes the micro-architecture and how its cycles match docs/iss.md.
//
// The model is a SystemC module whose clock the harness toggles in delta cycles while a
// request is served (one molecule per clock; the next one is prefetched at the retire
// edge), so SystemC time never moves and an idle model costs nothing; step() fetches if
// nothing was prefetched, makes the MemoryTiming fetch call, clocks the model until one
// molecule retires (or one trap is taken) and answers a service call through the
// ServiceHandler. The kernel is run by RtlCore itself (Kernel::Own, sc_start from C++) or
// by an enclosing SystemC design from whose thread the core is stepped (Kernel::Embedded,
// the PC). Checkpoints use the ISS's format, so a run can
// move between the ISS and the RTL in both directions. Physical memory, T-bits and I/O-space
// bits live here in C++ and are reached by the RTL through DPI-C (cm_dpi_pkg.sv).
//
// SystemC elaborates once per process, so the verilated module is created once and shared:
// at most one RtlCore may exist at a time (the constructor throws std::logic_error else);
// every RtlCore resets and reconfigures the shared model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "codemorph/hostisa/iss/core_api.h"
#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/hostisa/iss/iss_config.h"

namespace codemorph::rtl {

struct RtlLimits {
  // Sizes the RTL is built with (cm_core parameters); larger configurations are rejected.
  static constexpr unsigned kStoreBufferEntries = 32;
  static constexpr unsigned kAliasRegisters = 8;
  static constexpr unsigned kTlbEntries = 64;
  static constexpr unsigned kMaxAtoms = 8;
};

class RtlCore final : public hostisa::iss::CoreApi {
 public:
  // Who runs the SystemC kernel. Own: RtlCore itself (sc_start from C++; the caller must
  // not be inside a running simulation). Embedded: an enclosing SystemC design (the PC)
  // whose SC_THREAD calls step() and the other clocked operations; the model is clocked in
  // delta cycles, so the design's simulated time does not move, and clocked operations made
  // while that design still elaborates are deferred until its simulation runs.
  enum class Kernel : uint8_t { Own, Embedded };
  // Throws std::invalid_argument for a configuration the RTL does not support (see
  // RtlLimits), std::logic_error if another RtlCore exists.
  explicit RtlCore(const hostisa::iss::IssConfig& config = {}, Kernel kernel = Kernel::Own);
  ~RtlCore() override;
  RtlCore(const RtlCore&) = delete;
  RtlCore& operator=(const RtlCore&) = delete;

  const hostisa::iss::IssConfig& config() const;

  // FST waveform (viewable in GTKWave): every clock edge from now on until closeTrace().
  void openTrace(const std::string& path);
  void closeTrace();
  // Clocks since construction (1 per molecule, more with a fetch clock or I/O accesses;
  // see docs/rtl.md "Micro-architecture").
  uint64_t clockEdges() const;

  // Memory writes the core itself made since the last call (addresses and sizes), for the
  // lockstep checker.
  struct MemWrite {
    uint32_t paddr;
    uint32_t size;
  };
  const std::vector<MemWrite>& coreWrites() const;
  void clearCoreWrites();

  // Inspection as Iss offers it (the lockstep checker compares them): alias register
  // `index` and the scoreboard's ready cycle of register 0..63 or kFlagsRegIndex.
  hostisa::iss::Iss::AliasState aliasRegister(unsigned index) const;
  uint64_t readyCycle(unsigned index) const;

  // CoreApi
  void reset(uint32_t resetPc) override;
  bool step() override;
  hostisa::iss::RunResult run(uint64_t maxCycles = UINT64_MAX, uint64_t maxSteps = UINT64_MAX) override;
  bool stopped() const override;
  hostisa::iss::StopInfo stopInfo() const override;
  void resume() override;
  uint64_t cycles() const override;
  void advanceCycles(uint64_t n) override;
  uint32_t pc() const override;
  void setPc(uint32_t pc) override;
  uint32_t reg(unsigned index) const override;
  void setReg(unsigned index, uint32_t value) override;
  uint32_t shadowReg(unsigned index) const override;
  void setShadowReg(unsigned index, uint32_t value) override;
  uint32_t sreg(unsigned number) const override;
  void setSreg(unsigned number, uint32_t value) override;
  uint32_t shadowSreg(unsigned number) const override;
  uint64_t memorySize() const override;
  void readMemory(uint32_t paddr, std::span<uint8_t> out) const override;
  void writeMemory(uint32_t paddr, std::span<const uint8_t> data) override;
  std::span<uint8_t> directMemory() override;
  void setTranslated(uint32_t paddr, uint32_t len, bool translated) override;
  bool isTranslated(uint32_t paddr) const override;
  void setIoSpace(uint32_t paddr, uint32_t len, bool io) override;
  bool isIoSpace(uint32_t paddr) const override;
  void tlbInsert(uint32_t linear, uint32_t entry) override;
  void tlbFlush() override;
  unsigned storeBufferOccupancy() const override;
  void setServiceHandler(hostisa::iss::ServiceHandler* handler) override;
  void setIoBus(hostisa::iss::IoBus* bus) override;
  void setMemoryTiming(hostisa::iss::MemoryTiming* timing) override;
  // The ISS's checkpoint format (sections "iss", "iss.memory"); the RTL counts no stats and
  // carries the stats block of the last loaded checkpoint through. A configuration that
  // differs from the checkpoint's throws support::CheckpointError, the core untouched.
  void saveCheckpoint(support::OutArchive& out) const override;
  void loadCheckpoint(support::InArchive& in) override;

  struct Impl;  // rtl_core.cpp (public for the DPI-C entry points there)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace codemorph::rtl
