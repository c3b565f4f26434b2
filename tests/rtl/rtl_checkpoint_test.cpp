// Checkpoints across the two core models (docs/rtl.md "Checkpoints"): the ISS runs the
// constrained-random program of a seed for N molecules, saves a checkpoint; the RTL loads it
// and must save exactly the same bytes back; it runs on for a while, saves, and the ISS
// finishes the run from that checkpoint. Both ends (RTL to the halt, ISS to the halt) and a
// lockstep cosim continued from the ISS's checkpoint must reach the very state of an
// uninterrupted ISS run: registers, shadows, special registers, store buffer, alias
// registers, TLB, scoreboard, cycle count, memory (compared as checkpoint bytes; only the
// ISS's stats block differs, the RTL counts no stats). Cut points are taken inside
// speculative regions (store buffer non-empty and alias registers valid) and elsewhere.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/rtl/rtl_core.h"
#include "codemorph/support/serialize.h"
#include "iss_core.h"  // hostisa::iss::IssStats: the one block of the format the RTL carries through
#include "rtl_random_program.h"

namespace cmrtl {
namespace {

using hostisa::iss::Iss;
using rtl::RtlCore;

std::vector<uint8_t> saveCk(const CoreApi& c) {
  support::OutArchive a;
  c.saveCheckpoint(a);
  return a.bytes();
}

void loadCk(CoreApi& c, const std::vector<uint8_t>& bytes) {
  support::InArchive a(bytes);
  c.loadCheckpoint(a);
  EXPECT_TRUE(a.atEnd());
}

// The stats block ends where the "iss.memory" section header begins.
size_t statsOffset(const std::vector<uint8_t>& ck) {
  static const std::string tag = "iss.memory";
  const auto it = std::search(ck.begin(), ck.end(), tag.begin(), tag.end());
  EXPECT_NE(it, ck.end());
  return static_cast<size_t>(it - ck.begin()) - sizeof(uint64_t) - sizeof(hostisa::iss::IssStats);
}

// Equal machine state: the checkpoints are byte-identical outside the stats block.
::testing::AssertionResult sameState(const std::vector<uint8_t>& expected, const std::vector<uint8_t>& actual) {
  if (expected.size() != actual.size())
    return ::testing::AssertionFailure() << "checkpoint sizes differ: " << expected.size() << " vs " << actual.size();
  const size_t s0 = statsOffset(expected), s1 = s0 + sizeof(hostisa::iss::IssStats);
  for (size_t i = 0; i < expected.size(); ++i) {
    if (i >= s0 && i < s1) continue;
    if (expected[i] != actual[i])
      return ::testing::AssertionFailure() << "checkpoints differ first at byte " << i << " (stats block at " << s0
                                           << "): expected " << int{expected[i]} << ", actual " << int{actual[i]};
  }
  return ::testing::AssertionSuccess();
}

// The host objects the program talks to; copyable, so a run continued elsewhere sees the
// same device and cache state as the uninterrupted one.
struct Host {
  Service svc;
  Bus bus;
  Timing timing;
  bool timed = false;
  void attach(CoreApi& c) {
    c.setServiceHandler(&svc);
    c.setIoBus(&bus);
    c.setMemoryTiming(timed ? &timing : nullptr);
  }
};

void setup(CoreApi& c, uint64_t seed, const IssConfig& cfg) {
  Gen g(seed, cfg);
  Coverage cov;
  setupRandomProgram(c, g, cfg, cov);
}

uint64_t runToEnd(CoreApi& c) {
  uint64_t n = 0;
  while (n < 50000 && c.step()) ++n;
  EXPECT_TRUE(c.stopped());
  EXPECT_EQ(c.stopInfo().reason, StopReason::Halted);
  return n;
}

bool speculative(const Iss& iss, const IssConfig& cfg) {
  if (iss.storeBufferOccupancy() == 0) return false;
  for (unsigned a = 0; a < cfg.aliasRegisters; ++a)
    if (iss.aliasRegister(a).valid) return true;
  return false;
}

struct Totals {
  unsigned cuts = 0, speculativeCuts = 0;
};

// One seed: the uninterrupted ISS run, then for each cut the ISS -> RTL -> ISS run, the RTL
// run to the end and a cosim run from the cut.
void checkSeed(uint64_t seed, const IssConfig& cfg, bool timed, Totals& totals) {
  // Reference run, noting the speculative cut points.
  std::vector<uint8_t> refEnd;
  uint64_t refCycles = 0, refMolecules = 0;
  std::vector<uint64_t> cuts = {37};
  {
    Iss ref(cfg);
    Host h;
    h.timed = timed;
    setup(ref, seed, cfg);
    h.attach(ref);
    std::vector<uint64_t> spec, buffered;
    while (refMolecules < 50000 && !ref.stopped()) {
      if (speculative(ref, cfg)) spec.push_back(refMolecules);
      if (ref.storeBufferOccupancy() > 0) buffered.push_back(refMolecules);
      if (ref.step()) ++refMolecules;
    }
    ASSERT_EQ(ref.stopInfo().reason, StopReason::Halted);
    refCycles = ref.cycles();
    refEnd = saveCk(ref);
    if (!spec.empty()) {
      cuts.push_back(spec.front());
      cuts.push_back(spec[spec.size() / 2]);
      cuts.push_back(spec.back());
    }
    if (!buffered.empty()) cuts.push_back(buffered[buffered.size() / 3]);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  }
  for (const uint64_t cut : cuts) {
    SCOPED_TRACE("seed " + std::to_string(seed) + ", cut after " + std::to_string(cut) + " molecules");
    // ISS to the cut.
    Iss first(cfg);
    Host h;
    h.timed = timed;
    setup(first, seed, cfg);
    h.attach(first);
    for (uint64_t i = 0; i < cut; ++i) first.step();
    const bool spec = speculative(first, cfg);
    const std::vector<uint8_t> atCut = saveCk(first);
    const Host hostAtCut = h;
    ++totals.cuts;
    if (spec) ++totals.speculativeCuts;

    // RTL from the cut: the exact state back, then 150 molecules, a checkpoint, the end.
    std::vector<uint8_t> later;
    Host hostLater;
    {
      RtlCore r(cfg);
      Host hr = hostAtCut;
      hr.attach(r);
      loadCk(r, atCut);
      ASSERT_EQ(saveCk(r), atCut) << "the RTL did not load every bit of the checkpoint";
      if (spec) {
        EXPECT_GT(r.storeBufferOccupancy(), 0u);
      }
      for (unsigned i = 0; i < 150 && r.step(); ++i) {
      }
      later = saveCk(r);
      hostLater = hr;
      runToEnd(r);
      EXPECT_EQ(r.cycles(), refCycles);
      EXPECT_TRUE(sameState(refEnd, saveCk(r))) << "RTL run from the ISS checkpoint";
    }
    // ISS from the RTL's checkpoint to the end.
    {
      Iss last(cfg);
      Host hl = hostLater;
      hl.attach(last);
      loadCk(last, later);
      runToEnd(last);
      EXPECT_EQ(last.cycles(), refCycles);
      EXPECT_TRUE(sameState(refEnd, saveCk(last))) << "ISS run from the RTL checkpoint";
    }
    // Lockstep from the ISS's checkpoint: every molecule compared.
    {
      rtl::Cosim c(cfg);
      Host hc = hostAtCut;
      hc.attach(c);
      loadCk(c, atCut);
      ASSERT_FALSE(c.divergence().has_value()) << *c.divergence();
      const Outcome o = runLockstep(c, 50000);
      EXPECT_EQ(o.stop, StopReason::Halted);
      EXPECT_EQ(c.cycles(), refCycles);
      EXPECT_TRUE(sameState(refEnd, saveCk(c))) << "cosim run from the ISS checkpoint";
      EXPECT_EQ(cut + o.molecules, refMolecules);
    }
    if (::testing::Test::HasFailure()) return;
  }
  std::printf("[rtl checkpoint] seed %llu: %llu molecules, %llu cycles, cuts", static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(refMolecules), static_cast<unsigned long long>(refCycles));
  for (uint64_t cut : cuts) std::printf(" %llu", static_cast<unsigned long long>(cut));
  std::printf(": ISS->RTL->ISS, RTL to the end and cosim all equal the uninterrupted run\n");
}

TEST(RtlCheckpoint, IssToRtlAndBack) {
  Totals t;
  for (uint64_t seed : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) checkSeed(seed, smallConfig(), false, t);
  std::printf("[rtl checkpoint] default: %u cuts, %u inside speculative regions\n", t.cuts, t.speculativeCuts);
  EXPECT_GE(t.speculativeCuts, 6u);  // the test must really cut speculative regions
}

TEST(RtlCheckpoint, WithMemoryTimingAndSmallBuffers) {
  Totals t;
  for (uint64_t seed : {101, 102}) checkSeed(seed, smallConfig(), true, t);
  IssConfig cfg = smallConfig();
  cfg.storeBufferEntries = 3;
  cfg.aliasRegisters = 3;
  cfg.tlbEntries = 6;
  cfg.tbitGranule = 64;
  cfg.latency = {2, 4, 7, 3, 1, 2, 3};
  for (uint64_t seed : {201, 202}) checkSeed(seed, cfg, false, t);
  std::printf("[rtl checkpoint] timing/small: %u cuts, %u inside speculative regions\n", t.cuts, t.speculativeCuts);
  EXPECT_GE(t.speculativeCuts, 2u);
}

TEST(RtlCheckpoint, EightAtomMolecules) {
  Totals t;
  IssConfig cfg = smallConfig();
  cfg.features.maxAtoms = 8;
  for (uint64_t seed : {301, 302, 303, 304}) checkSeed(seed, cfg, false, t);
  std::printf("[rtl checkpoint] 8-atom: %u cuts, %u inside speculative regions\n", t.cuts, t.speculativeCuts);
  EXPECT_GE(t.speculativeCuts, 1u);
}

TEST(RtlCheckpoint, StoppedCoreAndMismatchedConfiguration) {
  // A checkpoint of a halted core: the RTL loads the stop state and does not run.
  const IssConfig cfg = smallConfig();
  Iss iss(cfg);
  const uint32_t entry = load(iss, "start: { li r5, 42 ; nop }\nhalt\n");
  iss.reset(entry);
  iss.run();
  ASSERT_EQ(iss.stopInfo().reason, StopReason::Halted);
  const std::vector<uint8_t> ck = saveCk(iss);
  {
    RtlCore r(cfg);
    loadCk(r, ck);
    EXPECT_TRUE(r.stopped());
    EXPECT_EQ(r.stopInfo().reason, StopReason::Halted);
    EXPECT_EQ(r.stopInfo().pc, iss.stopInfo().pc);
    EXPECT_EQ(r.reg(5), 42u);
    EXPECT_FALSE(r.step());
    EXPECT_EQ(saveCk(r), ck);
  }
  // A different store-buffer size is rejected, and the core is left as it was.
  IssConfig other = cfg;
  other.storeBufferEntries = 8;
  RtlCore r(other);
  r.setReg(7, 7);
  support::InArchive a(ck);
  EXPECT_THROW(r.loadCheckpoint(a), support::CheckpointError);
  EXPECT_EQ(r.reg(7), 7u);
}

}  // namespace
}  // namespace cmrtl
