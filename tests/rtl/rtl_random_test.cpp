// Constrained-random molecules in lockstep cosim (docs/rtl.md "Tests"). Each seed builds a
// program of random molecules -- every atom class except jalr/eret/halt (directed tests
// cover those), random operands biased toward mapped guest and host data, random commit
// bits, a few illegal molecules; 2-, 4- and (hostisa.max_atoms = 8) 8-atom molecules --
// lays each molecule in its own slot (rtl_random_program.h), and runs it
// on the ISS and the RTL with a trap handler that skips the faulting slot. Seeds are fixed
// (printed); the test fails on the first divergence and prints which atoms ran and which
// traps were taken.
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "codemorph/support/stats.h"
#include "rtl_random_program.h"

namespace cmrtl {
namespace {

struct SeedResult {
  uint64_t molecules = 0;
  uint64_t cycles = 0;
};

SeedResult runSeed(uint64_t seed, const IssConfig& cfg, bool withTiming, Coverage& cov) {
  rtl::Cosim c(cfg);
  Service svc;
  Bus bus;
  Timing timing;
  c.setServiceHandler(&svc);
  c.setIoBus(&bus);
  if (withTiming) c.setMemoryTiming(&timing);
  Gen g(seed, cfg);
  setupRandomProgram(c, g, cfg, cov);
  const Outcome o = runLockstep(c, 20000);
  support::StatsRegistry stats;
  c.iss().registerStats(stats);
  for (const auto& info : hostisa::trapCauseTable()) {
    std::string name(info.name);
    for (char& ch : name)
      if (ch == '-') ch = '_';
    cov.traps[name] += stats.value("iss.traps." + name);
  }
  return {o.molecules, o.cycles};
}

void runSeeds(const char* what, const IssConfig& cfg, bool withTiming, std::initializer_list<uint64_t> seeds) {
  Coverage cov;
  uint64_t mols = 0, cycles = 0;
  for (uint64_t seed : seeds) {
    const SeedResult r = runSeed(seed, cfg, withTiming, cov);
    std::printf("[rtl random] %s seed %llu: %llu molecules, %llu cycles, no divergence\n", what,
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(r.molecules),
                static_cast<unsigned long long>(r.cycles));
    mols += r.molecules;
    cycles += r.cycles;
    if (::testing::Test::HasFailure()) return;
  }
  std::printf("[rtl random] %s: %llu molecules in lockstep; atoms generated (%zu kinds):", what,
              static_cast<unsigned long long>(mols), cov.atoms.size());
  for (const auto& [k, v] : cov.atoms) std::printf(" %s=%llu", k.c_str(), static_cast<unsigned long long>(v));
  std::printf("\n[rtl random] %s: traps taken:", what);
  for (const auto& [k, v] : cov.traps)
    if (v > 0) std::printf(" %s=%.0f", k.c_str(), v);
  std::printf("\n");
}

TEST(RtlRandom, DefaultConfiguration) {
  runSeeds("default", smallConfig(), false,
           {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24});
}

TEST(RtlRandom, WithMemoryTiming) {
  runSeeds("memory-timing", smallConfig(), true, {101, 102, 103, 104, 105, 106, 107, 108});
}

TEST(RtlRandom, SmallBuffersAndTlb) {
  IssConfig cfg = smallConfig();
  cfg.storeBufferEntries = 3;
  cfg.aliasRegisters = 3;
  cfg.tlbEntries = 6;
  cfg.tbitGranule = 64;
  cfg.latency = {2, 4, 7, 3, 1, 2, 3};
  cfg.branchTakenPenalty = 3;
  cfg.trapPenalty = 4;
  cfg.commitCycles = 1;
  cfg.rollbackCycles = 2;
  runSeeds("small-buffers", cfg, false, {201, 202, 203, 204, 205, 206, 207, 208});
}

// 8-atom molecules (hostisa.max_atoms = 8): half the molecules have 8 atoms, so two LSU
// atoms (slots 2 and 6), four ALUs and two loads, stores or I/O accesses per molecule.
TEST(RtlRandom, EightAtomMolecules) {
  IssConfig cfg = smallConfig();
  cfg.features.maxAtoms = 8;
  runSeeds("8-atom", cfg, false, {301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313, 314, 315, 316});
  runSeeds("8-atom memory-timing", cfg, true, {321, 322, 323, 324});
  IssConfig small = cfg;
  small.storeBufferEntries = 3;
  small.aliasRegisters = 3;
  small.tlbEntries = 6;
  small.latency = {2, 4, 7, 3, 1, 2, 3};
  runSeeds("8-atom small-buffers", small, false, {331, 332, 333, 334});
}

TEST(RtlRandom, FeaturesOffAndTimingOff) {
  IssConfig cfg = smallConfig();
  cfg.timing = false;
  cfg.features.x86Flags = false;
  cfg.features.partialRegs = false;
  cfg.features.segAgen = false;
  cfg.features.aliasHw = false;
  runSeeds("features-off", cfg, false, {31});
  IssConfig cfg2 = smallConfig();
  cfg2.features.hostTlb = false;
  runSeeds("host-tlb-off", cfg2, false, {41});
}

}  // namespace
}  // namespace cmrtl
