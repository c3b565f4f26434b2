// The reference instruction-set simulator of the host VLIW ISA: functional semantics,
// the speculation hardware (shadow registers, gated store buffer, alias registers,
// T-bits, I/O-space detection, host TLB), a cycle timing model and stats. It is the
// golden model the RTL must match molecule by molecule and cycle by cycle; the rules it
// implements are written down in docs/iss.md.
//
// Usage:
//   IssConfig cfg = IssConfig::fromConfig(config);
//   Iss core(cfg);
//   core.writeMemory(0x1000, program);  core.reset(0x1000);
//   core.run();                          // until halt / unhandled trap / ...
#pragma once

#include <memory>
#include <string>

#include "codemorph/hostisa/iss/core_api.h"
#include "codemorph/hostisa/iss/iss_config.h"

namespace codemorph::support {
class StatsRegistry;
}

namespace codemorph::hostisa::iss {

class IssCore;  // implementation (src/iss_core.h)

class Iss final : public CoreApi {
 public:
  explicit Iss(const IssConfig& config = {});
  ~Iss() override;
  Iss(const Iss&) = delete;
  Iss& operator=(const Iss&) = delete;

  const IssConfig& config() const;

  // Registers every stat under prefix (default "iss.") with unit and description. The
  // counters live in this object, which must outlive the registry's last dump.
  void registerStats(support::StatsRegistry& stats, const std::string& prefix = "iss.") const;

  // CoreApi
  void reset(uint32_t resetPc) override;
  bool step() override;
  RunResult run(uint64_t maxCycles = UINT64_MAX, uint64_t maxSteps = UINT64_MAX) override;
  bool stopped() const override;
  StopInfo stopInfo() const override;
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
  void setServiceHandler(ServiceHandler* handler) override;
  void setIoBus(IoBus* bus) override;
  void setMemoryTiming(MemoryTiming* timing) override;
  bool setRunAccounting(const RunAccounting* accounting) override;
  void saveCheckpoint(support::OutArchive& out) const override;
  void loadCheckpoint(support::InArchive& in) override;

  // Extra inspection for tests and tools (not part of CoreApi).
  struct AliasState {
    bool valid;
    uint32_t lo, len;      // first physical piece [lo, lo+len)
    uint32_t lo2, len2;    // second piece of a page-crossing load (len2 = 0 if none)
  };
  AliasState aliasRegister(unsigned index) const;
  // Ready cycle of register 0..63 or kFlagsRegIndex in the scoreboard.
  uint64_t readyCycle(unsigned index) const;

 private:
  std::unique_ptr<IssCore> core_;
};

}  // namespace codemorph::hostisa::iss
