// Checkpoints (save -> load -> continue equals an uninterrupted run, including mid-region
// store buffer, alias, TLB and scoreboard state), determinism, configuration knobs and
// the stats registry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "codemorph/support/config.h"
#include "codemorph/support/serialize.h"
#include "codemorph/support/stats.h"
#include "molecule_builder.h"

namespace cmtest {
namespace {

using iss::StopReason;
constexpr uint32_t kRWD = kTlbValid | kTlbWritable | kTlbDirtyOk;

// A loop with guest loads and gated stores, alias-protected loads, multiplies and a
// commit every iteration: r1 = iterations left, r2 = pointer, r3 = checksum.
Program workload() {
  Program p;
  p.add({li(1, 200), li(2, 0)});
  p.add({lih(2, 1), li(3, 7)});                                   // r2 = 0x10000
  const uint32_t loop = p.add({rrr(Op::MUL, 4, 3, 3), addi(1, 1, -1), ldp(Op::LDP32, 5, 2, 0, 1)});
  p.add({cc(Op::ADD_CC, 4, 3, 3, 5), addi(2, 2, 4), st(Op::STG32, 4, 2, 0)});
  p.add({rrr(Op::XOR, 3, 3, 4), stc(Op::STC32, 3, 2, 0x01)}, /*commit=*/false);
  const uint32_t b = p.add({sel(6, 3, 4, 2), ld(Op::LDG32, 7, 2, -4), bz(Op::BNZ, 1, 0)}, /*commit=*/true);
  p.setTarget(b, loop);
  p.add({halt()});
  return p;
}

struct Snapshot {
  std::array<uint32_t, 64> regs;
  uint64_t cycles;
  std::vector<uint8_t> mem;
  std::string stats;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snap(const Iss& core) {
  Snapshot s;
  for (unsigned i = 0; i < 64; ++i) s.regs[i] = core.reg(i);
  s.cycles = core.cycles();
  s.mem.resize(0x2000);
  core.readMemory(0x10000, s.mem);
  support::StatsRegistry r;
  core.registerStats(r);
  s.stats = r.toJson().dump();
  return s;
}

void start(Iss& core) {
  Program p = workload();
  p.loadInto(core);
  core.reset(p.base());
  for (uint32_t a = 0x10000; a < 0x12000; a += 0x1000) core.tlbInsert(a, a | kRWD);
  core.setTranslated(0x11F00, 16, true);
}

TEST(IssCheckpoint, SaveLoadContinueEqualsUninterrupted) {
  Iss ref(smallConfig());
  start(ref);
  ref.run();
  ASSERT_EQ(ref.stopInfo().reason, StopReason::Halted);
  const Snapshot expected = snap(ref);

  for (uint64_t cut : {1u, 3u, 4u, 5u, 37u, 500u}) {  // inside a region: store buffer/alias live
    Iss a(smallConfig());
    start(a);
    a.run(UINT64_MAX, cut);
    support::OutArchive out;
    a.saveCheckpoint(out);
    Iss b(smallConfig());
    support::InArchive in(out.bytes());
    b.loadCheckpoint(in);
    EXPECT_TRUE(in.atEnd());
    EXPECT_EQ(b.storeBufferOccupancy(), a.storeBufferOccupancy());
    EXPECT_EQ(b.cycles(), a.cycles());
    EXPECT_TRUE(b.isTranslated(0x11F00));
    b.run();
    EXPECT_EQ(snap(b), expected) << "cut after " << cut << " molecules";
    a.run();
    EXPECT_EQ(snap(a), expected);
  }
}

TEST(IssCheckpoint, FilesAreByteReproducible) {
  std::vector<uint8_t> first;
  for (int run = 0; run < 2; ++run) {
    Iss a(smallConfig());
    start(a);
    a.run(UINT64_MAX, 4);  // mid-region: store buffer and alias registers in use
    support::OutArchive out;
    a.saveCheckpoint(out);
    if (run == 0)
      first = out.bytes();
    else
      EXPECT_TRUE(first == out.bytes());
  }
}

TEST(IssCheckpoint, ConfigurationMismatchIsRejected) {
  Iss a(smallConfig());
  support::OutArchive out;
  a.saveCheckpoint(out);
  IssConfig other = smallConfig();
  other.storeBufferEntries = 8;
  Iss b(other);
  support::InArchive in(out.bytes());
  EXPECT_THROW(b.loadCheckpoint(in), support::CheckpointError);
}

TEST(IssDeterminism, TwoRunsAreIdentical) {
  Iss a(smallConfig()), b(smallConfig());
  start(a);
  start(b);
  a.run();
  b.run();
  EXPECT_EQ(snap(a), snap(b));
  EXPECT_GT(a.cycles(), 1000u);
}

TEST(IssConfigTest, DefaultsFromKnobs) {
  support::Config c;
  iss::defineIssKnobs(c);
  iss::defineIssKnobs(c);  // idempotent
  const IssConfig k = IssConfig::fromConfig(c);
  const IssConfig d;
  EXPECT_EQ(k.storeBufferEntries, 32u);
  EXPECT_EQ(k.aliasRegisters, 8u);
  EXPECT_EQ(k.tbitGranule, 128u);
  EXPECT_EQ(k.memBytes, 64ull << 20);
  EXPECT_EQ(k.latency, d.latency);
  EXPECT_EQ(k.features.maxAtoms, 4u);
  EXPECT_TRUE(k.timing);
  EXPECT_EQ(k.branchTakenPenalty, 2u);
  EXPECT_EQ(k.trapPenalty, 5u);
  EXPECT_EQ(k.commitCycles, 0u);
  EXPECT_EQ(k.rollbackCycles, 1u);
}

TEST(IssConfigTest, OutOfRangeValuesAreErrors) {
  support::Config c;
  iss::defineIssKnobs(c);
  EXPECT_THROW(c.set("iss.alias_registers", "9"), support::ConfigError);
  EXPECT_THROW(c.set("iss.store_buffer_entries", "0"), support::ConfigError);
  EXPECT_THROW(c.set("timing.latency.load", "0"), support::ConfigError);
  c.set("iss.tbit_granule", "100");  // in range, not a power of two
  EXPECT_THROW(IssConfig::fromConfig(c), support::ConfigError);
  c.set("iss.tbit_granule", "256");
  c.set("hostisa.max_atoms", "5");
  EXPECT_THROW(IssConfig::fromConfig(c), support::ConfigError);
  c.set("hostisa.max_atoms", "8");
  c.set("timing.latency.div", "7");
  const IssConfig k = IssConfig::fromConfig(c);
  EXPECT_EQ(k.tbitGranule, 256u);
  EXPECT_EQ(k.features.maxAtoms, 8u);
  EXPECT_EQ(k.latencyOf(TimingClass::Div), 7u);
  IssConfig bad;
  bad.aliasRegisters = 0;
  EXPECT_THROW(Iss core(bad), support::ConfigError);
}

TEST(IssConfigTest, EveryTimingClassHasALatency) {
  ASSERT_EQ(iss::kLatencyKnobs.size(), kNumTimingClasses);
  for (unsigned i = 0; i < kNumTimingClasses; ++i)
    EXPECT_EQ(iss::kLatencyKnobs[i].name, timingClassName(static_cast<TimingClass>(i)));
  // ... and every atom's timing class is one of them.
  for (const AtomInfo& a : atomTable()) EXPECT_LT(static_cast<unsigned>(a.timing), kNumTimingClasses) << a.mnemonic;
}

TEST(IssStats, RegisteredWithUnitsAndDescriptions) {
  Iss core(smallConfig());
  start(core);
  core.run();
  support::StatsRegistry r;
  core.registerStats(r);
  const nlohmann::json j = r.toJson();
  for (const char* name :
       {"iss.cycles", "iss.molecules", "iss.atoms", "iss.atoms_per_molecule", "iss.nops", "iss.stall.load_use",
        "iss.stall.fetch", "iss.commits", "iss.rollbacks.explicit", "iss.traps.sb_overflow", "iss.sb_high_water",
        "iss.store_forwards", "iss.tlb.hits", "iss.tlb.misses", "iss.branches_taken", "iss.service_calls",
        "iss.service_cycles"}) {
    ASSERT_TRUE(r.has(name)) << name;
    EXPECT_FALSE(j[name]["unit"].get<std::string>().empty()) << name;
    EXPECT_FALSE(j[name]["description"].get<std::string>().empty()) << name;
  }
  for (const TrapCauseInfo& t : trapCauseTable()) {
    std::string n(t.name);
    for (char& ch : n)
      if (ch == '-') ch = '_';
    EXPECT_TRUE(r.has("iss.traps." + n)) << n;
    EXPECT_TRUE(r.has("iss.rollbacks." + n)) << n;
  }
  EXPECT_EQ(r.value("iss.commits"), 200.0);
  EXPECT_EQ(r.value("iss.branches_taken"), 199.0);
  EXPECT_EQ(r.value("iss.sb_high_water"), 2.0);
  EXPECT_GT(r.value("iss.store_forwards"), 0.0);
  EXPECT_DOUBLE_EQ(r.value("iss.atoms_per_molecule"), r.value("iss.atoms") / r.value("iss.molecules"));
}

}  // namespace
}  // namespace cmtest
