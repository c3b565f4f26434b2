// Test helper: the firmware on a core model without the CMS. The reserved region is
// the top 2 MiB of 8 MiB; a scripted ServiceHandler records every service call; hand-
// written "translations" are assembled with cm-as (codemorph_asm) at any host address.
// The core is chosen at compile time (tests/firmware/CMakeLists.txt builds the same tests
// once per kind): FW_CORE_KIND 0 = the reference ISS, 1 = the RTL (RtlCore), 2 = the ISS
// and the RTL in lockstep (Cosim: any difference after any molecule fails the test).
#pragma once
#include <codemorph/firmware/abi.h>
#include <codemorph/firmware/firmware.h>
#include <codemorph/hostisa/assembler.h>
#include <codemorph/hostisa/iss/iss.h>
#include <gtest/gtest.h>
#if FW_CORE_KIND != 0
#include <codemorph/rtl/cosim.h>
#include <codemorph/rtl/rtl_core.h>
#endif

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

// The test suite's name per core kind (distinct names for ctest).
#if FW_CORE_KIND == 1
#define FW_SUITE FirmwareRtl
#elif FW_CORE_KIND == 2
#define FW_SUITE FirmwareCosim
#else
#define FW_SUITE Firmware
#endif

namespace codemorph::firmware::test {

using hostisa::Sreg;
using hostisa::iss::CoreApi;

struct ServiceCall {
  unsigned number;
  uint32_t eip;     // r9 at the call
  bool trapMode;    // tstatus bit 0 at the call
};

class FwMachine : public hostisa::iss::ServiceHandler {
 public:
  static constexpr uint32_t kMem = 8u << 20, kReserved = 2u << 20;
  static hostisa::iss::IssConfig config() {
    hostisa::iss::IssConfig c;
    c.memBytes = kMem;
    return c;
  }
  static std::unique_ptr<CoreApi> makeCore() {
#if FW_CORE_KIND == 1
    return std::make_unique<rtl::RtlCore>(config());
#elif FW_CORE_KIND == 2
    return std::make_unique<rtl::Cosim>(config());
#else
    return std::make_unique<hostisa::iss::Iss>(config());
#endif
  }
  FwMachine() : owned(makeCore()), core(*owned) {
    const auto img = image();
    core.writeMemory(base, img);
    core.setServiceHandler(this);
  }

  uint64_t service(unsigned number, CoreApi& c) override {
    calls.push_back({number, c.reg(kReg_eip), (c.sreg(static_cast<unsigned>(Sreg::TSTATUS)) & 1) != 0});
    if (number == static_cast<unsigned>(Service::BOOT)) boot(c);
    if (onService) onService(number, c);
    return 0;
  }
  // What BOOT does in the CMS: firmware registers and the trap vector.
  void boot(CoreApi& c) {
    c.setReg(kReg_fwbase, base);
    c.setReg(kReg_lookup_base, lookup());
    c.setReg(kReg_lookup_mask, kAbi_LOOKUP_ENTRIES - 1);
    c.setReg(kReg_context, 1);
    c.setReg(kReg_hot, hot);
    c.setReg(kReg_data, data());
    c.setSreg(static_cast<unsigned>(Sreg::TVEC), base + entries().trap);
  }
  uint32_t data() const { return base + kAbi_DATA_OFFSET; }
  uint32_t lookup() const { return base + kAbi_LOOKUP_OFFSET; }
  uint32_t tcache() const { return base + kAbi_TCACHE_OFFSET; }
  uint32_t entry(uint32_t Entries::*e) const { return base + entries().*e; }

  void installLookup(uint32_t eip, uint32_t context, uint32_t hostPc, uint32_t count = 0) {
    const uint32_t words[4] = {eip, context, hostPc, count};
    core.writeMemory(lookup() + lookupIndex(eip) * kAbi_LOOKUP_ENTRY_BYTES,
                     {reinterpret_cast<const uint8_t*>(words), sizeof words});
  }
  uint32_t word(uint32_t address) const {
    uint32_t v;
    core.readMemory(address, {reinterpret_cast<uint8_t*>(&v), 4});
    return v;
  }
  uint32_t lookupCount(uint32_t eip) const {
    return word(lookup() + lookupIndex(eip) * kAbi_LOOKUP_ENTRY_BYTES + kAbi_LOOKUP_COUNT);
  }
  // Assembles `text` at `address`; FW_DISPATCH, FW_INTERPRET, FW_EXIT_BUDGET,
  // FW_DISPATCH_INDIRECT and FW_HALT are predefined.
  void place(uint32_t address, const std::string& text) {
    std::string src;
    src += ".equ FW_DISPATCH, " + std::to_string(entry(&Entries::dispatch)) + "\n";
    src += ".equ FW_DISPATCH_INDIRECT, " + std::to_string(entry(&Entries::dispatchIndirect)) + "\n";
    src += ".equ FW_INTERPRET, " + std::to_string(entry(&Entries::interpret)) + "\n";
    src += ".equ FW_EXIT_BUDGET, " + std::to_string(entry(&Entries::exitBudget)) + "\n";
    src += ".equ FW_HALT, " + std::to_string(entry(&Entries::halt)) + "\n";
    src += text;
    hostisa::AsmOptions o;
    o.baseAddress = address;
    const hostisa::AsmResult r = hostisa::assemble(src, o);
    ASSERT_TRUE(r.ok) << r.errorText();
    core.writeMemory(r.imageBase, r.image);
  }
  // Reset at the firmware's reset vector and run until the core stops.
  void runFromReset(uint64_t maxSteps = 100000) {
    core.reset(entry(&Entries::reset));
    core.run(UINT64_MAX, maxSteps);
  }

  ~FwMachine() {
#if FW_CORE_KIND == 2
    const auto& d = static_cast<rtl::Cosim&>(core).divergence();
    if (d) ADD_FAILURE() << *d;
    else if (!static_cast<rtl::Cosim&>(core).compareAllMemory()) ADD_FAILURE() << *static_cast<rtl::Cosim&>(core).divergence();
#endif
  }

  std::unique_ptr<CoreApi> owned;
  CoreApi& core;
  uint32_t base = kMem - kReserved;
  uint32_t hot = 1000;
  std::vector<ServiceCall> calls;
  std::function<void(unsigned, CoreApi&)> onService;
};

}  // namespace codemorph::firmware::test
