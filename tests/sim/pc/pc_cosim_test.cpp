// The PC with the ISS and the RTL in lockstep (PcMachineConfig::core = Cosim, docs/rtl.md
// "The PC on the RTL"): a difference between the two cores stops the run at once with the
// cosim report as the machine's CoreError message. The difference is made on purpose: one
// byte of the firmware's reset molecule changed in the RTL's copy of memory only.
// (The clean runs are pc_test.py's rtl_boot and rtl_demo.) One PcMachine per process:
// SystemC elaborates once.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>

#include "codemorph/cms/runtime.h"
#include "codemorph/hostisa/iss/iss_config.h"
#include "codemorph/pc/pc_machine.h"
#include "codemorph/rtl/cosim.h"
#include "codemorph/support/config.h"

namespace codemorph::pc {
namespace {

TEST(PcCosim, ADivergenceStopsTheRunWithTheReport) {
  constexpr const char* kBios = "/usr/share/seabios/bios.bin";
  struct stat st {};
  if (::stat(kBios, &st) != 0) GTEST_SKIP() << "no " << kBios;
  support::Config config;
  cms::RuntimeConfig::defineKnobs(config);
  hostisa::iss::defineIssKnobs(config);
  PcMachineConfig mc;
  mc.bios = platform::PhysicalMemory::loadBios(kBios);
  mc.runtime = cms::RuntimeConfig::fromConfig(config);
  mc.iss = hostisa::iss::IssConfig::fromConfig(config);
  mc.core = CoreKind::Cosim;
  PcMachine machine("pc", mc);
  auto* cosim = dynamic_cast<rtl::Cosim*>(machine.core());
  ASSERT_NE(cosim, nullptr);
  // The firmware sits at the bottom of the CMS-reserved region; its reset molecule is the
  // first one either core executes. Flip one byte of it in the RTL's memory only.
  const uint64_t fwBase = cosim->memorySize() - (uint64_t{mc.runtime.reservedMiB} << 20);
  cosim->rtl().directMemory()[fwBase + 4] ^= 0x5A;
  const MachineResult r = machine.run();
  std::printf("%s\n", r.message.c_str());
  EXPECT_EQ(r.stop, MachineStop::CoreError);
  EXPECT_NE(r.message.find("cosim divergence at molecule 0 (pc 0x"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("expected"), std::string::npos) << r.message;
  EXPECT_EQ(cosim->moleculesChecked(), 0u);
}

}  // namespace
}  // namespace codemorph::pc
