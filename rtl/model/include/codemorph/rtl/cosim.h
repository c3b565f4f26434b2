// Lockstep co-simulation of the reference ISS and the RTL core (ARCHITECTURE.md section 4,
// docs/rtl.md "Cosim"). Cosim is itself a CoreApi: host writes (memory, registers, T-bits,
// I/O bits, TLB) go to both cores, reads come from the ISS, and step() executes one
// molecule on each and compares their architectural effects -- pc, cycle count, stop
// state, r1..r63, shadows, special registers and their shadows, store-buffer occupancy and
// the memory bytes the RTL wrote -- plus the whole memory when a core stops. The first
// divergence stops the run with a report naming the molecule (address and disassembly)
// and every expected (ISS) vs actual (RTL) value.
//
// Host callbacks happen once: the ServiceHandler and IoBus see the ISS's calls only; their
// effects and results are recorded and replayed onto the RTL, whose calls are checked
// against the record (same for MemoryTiming, so one stateful cache model serves both).
// Effects count whichever way the handler makes them: through the CoreApi it is handed or
// through this Cosim (the CMS holds the Cosim) -- while the ISS is inside a callback, host
// calls on the Cosim are applied to the ISS and recorded for the RTL's same point.
// directMemory() is the ISS's memory; the host reports its writes through it with
// noteHostWrite, which copies them into the RTL's memory (docs/rtl.md "The PC on the RTL").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "codemorph/hostisa/iss/core_api.h"
#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/rtl/rtl_core.h"

namespace codemorph::rtl {

class Cosim final : public hostisa::iss::CoreApi {
 public:
  // kernel: who runs SystemC for the RTL core (RtlCore::Kernel).
  explicit Cosim(const hostisa::iss::IssConfig& config = {}, RtlCore::Kernel kernel = RtlCore::Kernel::Own);
  ~Cosim() override;

  hostisa::iss::Iss& iss();
  RtlCore& rtl();
  // The first divergence (nullopt while both agree); once set, the cosim is stopped.
  const std::optional<std::string>& divergence() const;
  uint64_t moleculesChecked() const;
  // Compares the whole memory now (also done automatically when a core stops).
  bool compareAllMemory();

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
  // The ISS's memory. The RTL holds a copy of its own (each model's loads must see its
  // memory as it was before the molecule): a host that writes through this span calls
  // noteHostWrite, which copies the bytes into the RTL's memory -- at once, or, while the
  // ISS is inside a host callback, when the RTL reaches the same point.
  std::span<uint8_t> directMemory() override;
  void noteHostWrite(uint32_t paddr, uint32_t len) override;
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
  // The ISS's checkpoint (both cores hold the same state); a load goes into both and their
  // states are compared at once (a difference is reported as a divergence).
  void saveCheckpoint(support::OutArchive& out) const override;
  void loadCheckpoint(support::InArchive& in) override;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace codemorph::rtl
