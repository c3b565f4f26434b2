// Constrained-random molecules in lockstep cosim (docs/rtl.md "Tests"). Each seed builds a
// program of random molecules -- every atom class except jalr/eret/halt (directed tests
// cover those), random operands biased toward mapped guest and host data, random commit
// bits, a few illegal molecules -- lays each molecule in its own 16-byte slot, and runs it
// on the ISS and the RTL with a trap handler that skips the faulting slot. Seeds are fixed
// (printed); the test fails on the first divergence and prints which atoms ran and which
// traps were taken.
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "codemorph/support/stats.h"
#include "rtl_test_util.h"

namespace cmrtl {
namespace {

using hostisa::Atom;
using hostisa::Format;
using hostisa::Molecule;
using hostisa::Op;
using hostisa::Sreg;
using hostisa::Unit;

constexpr uint32_t kCode = 0x10000;       // random molecules, 16 bytes per slot
constexpr uint32_t kHandler = 0x0F000;    // trap handler
constexpr uint32_t kHostData = 0x40000;   // physical, host accesses (r6)
constexpr uint32_t kGuestLin = 0x00400000;  // linear pages -> physical 0x50000.. (r1..r5)
constexpr uint32_t kGuestPhys = 0x50000;
constexpr unsigned kSlots = 400;

struct Coverage {
  std::map<std::string, uint64_t> atoms;
  std::map<std::string, double> traps;
};

class Gen {
 public:
  Gen(uint64_t seed, const IssConfig& cfg) : rng_(seed), cfg_(cfg) {}

  unsigned pick(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(rng_); }
  bool chance(unsigned percent) { return pick(100) < percent; }

  // A random atom of unit kind `u` (ALU, ALU0, LSU or BRU) for the slot at `slot`.
  Atom atom(Unit u, unsigned slot) {
    std::vector<Op> ops;
    for (const auto& info : hostisa::atomTable()) {
      if (info.unit != u) continue;
      if (info.op == Op::JALR || info.op == Op::ERET || info.op == Op::HALT) continue;
      if ((info.op == Op::TLBFL || info.op == Op::TLBWR) && !chance(10)) continue;
      ops.push_back(info.op);
    }
    const Op op = ops[pick(static_cast<unsigned>(ops.size()))];
    const auto& info = hostisa::atomInfo(op);
    Atom a;
    a.op = op;
    a.rd = static_cast<uint8_t>(8 + pick(48));                      // r8..r55
    a.rs1 = static_cast<uint8_t>(chance(85) ? pick(56) : pick(64));
    a.rs2 = static_cast<uint8_t>(pick(56));
    a.width = static_cast<uint8_t>(1u << pick(3));
    a.cond = static_cast<uint8_t>(pick(16));
    const bool mem = (info.operands & (hostisa::kLoad | hostisa::kStore)) != 0;
    if (mem) {
      const bool guest = (info.operands & hostisa::kGuest) != 0;
      a.rs1 = static_cast<uint8_t>(chance(90) ? (guest ? 1 + pick(5) : 6) : pick(56));
    }
    switch (info.format) {
      case Format::I: a.imm = static_cast<int32_t>(pick(2048)) - 1024; break;
      case Format::IW: a.imm = static_cast<int32_t>(pick(512)) - 256; break;
      case Format::U: a.imm = static_cast<int32_t>(pick(65536)); break;
      case Format::M:
      case Format::MS: a.imm = chance(80) ? static_cast<int32_t>(pick(64)) : static_cast<int32_t>(pick(2048)) - 1024; break;
      case Format::MP: a.imm = chance(70) ? static_cast<int32_t>(pick(9)) - 4 : static_cast<int32_t>(pick(64)) - 8; a.aux = static_cast<uint8_t>(pick(cfg_.aliasRegisters)); break;
      case Format::MC: a.aux = static_cast<uint8_t>(pick(1u << cfg_.aliasRegisters)); break;
      case Format::B:
      case Format::BZ:
      case Format::BC:
      case Format::J: a.imm = static_cast<int32_t>(2 * (1 + pick(3))); break;  // forward 1..3 slots
      case Format::SG: a.aux = static_cast<uint8_t>(pick(8)); break;
      case Format::MFS: {
        const auto t = hostisa::sregTable();
        a.aux = t[pick(static_cast<unsigned>(t.size()))].number;
        break;
      }
      case Format::MTS: {
        static const Sreg ok[] = {Sreg::XFLAGS, Sreg::TSCRATCH0, Sreg::TSCRATCH1, Sreg::SEGBASE1, Sreg::SEGLIM3,
                                  Sreg::SEGATTR3, Sreg::SEGBASE3, Sreg::TINFO, Sreg::CYCLE_LO};
        a.aux = static_cast<uint8_t>(ok[pick(9)]);
        break;
      }
      case Format::K: a.imm = static_cast<int32_t>(pick(8)); break;
      default: break;
    }
    (void)slot;
    // Fields the format lacks must be zero (hostisa::Atom).
    bool has[12] = {};
    const auto& fi = hostisa::formatInfo(info.format);
    for (unsigned i = 0; i < fi.numFields; ++i) has[static_cast<unsigned>(fi.fields[i].kind)] = true;
    using hostisa::FieldKind;
    if (!has[static_cast<unsigned>(FieldKind::Rd)]) a.rd = 0;
    if (!has[static_cast<unsigned>(FieldKind::Rs1)]) a.rs1 = 0;
    if (!has[static_cast<unsigned>(FieldKind::Rs2)]) a.rs2 = 0;
    if (!has[static_cast<unsigned>(FieldKind::Width)]) a.width = 0;
    if (!has[static_cast<unsigned>(FieldKind::Cond)]) a.cond = 0;
    if (!has[static_cast<unsigned>(FieldKind::Simm)] && !has[static_cast<unsigned>(FieldKind::Uimm)] &&
        !has[static_cast<unsigned>(FieldKind::Off)])
      a.imm = 0;
    return a;
  }

  // One molecule as 2 or 4 words (encoded through the ISA tables only).
  std::vector<uint32_t> molecule(Coverage& cov) {
    for (;;) {
      Molecule m;
      m.numAtoms = chance(40) ? 2 : 4;
      m.commit = chance(12);
      for (unsigned s = 0; s < m.numAtoms; ++s) {
        std::vector<Unit> units;
        for (Unit u : {Unit::Alu, Unit::Alu0, Unit::Lsu, Unit::Bru})
          if (hostisa::slotAccepts(m.numAtoms, s, u)) units.push_back(u);
        m.atoms[s] = chance(20) ? Atom{} : atom(units[pick(static_cast<unsigned>(units.size()))], s);
      }
      uint32_t words[hostisa::kMaxAtoms];
      if (hostisa::validateMolecule(m) != hostisa::MoleculeError::None) continue;
      const unsigned n = hostisa::encodeMolecule(m, words);
      if (n == 0) continue;
      for (unsigned s = 0; s < n; ++s) ++cov.atoms[std::string(hostisa::atomInfo(m.atoms[s].op).mnemonic)];
      std::vector<uint32_t> out(words, words + n);
      if (chance(2)) out[1] |= 1u << (hostisa::kCommitBit - 1);  // reserved header bit: ILLEGAL
      return out;
    }
  }

 private:
  std::mt19937_64 rng_;
  IssConfig cfg_;
};

// Trap handler: skip the 16-byte slot (tpc + 16), count traps in r56, eret.
constexpr const char* kHandlerSource = R"(
        .text
handler: { mfsr r60, tpc ; addi r56, r56, 1 }
        { addi r60, r60, 16 }
        { mtsr tpc, r60 }
        eret
)";

struct Service final : hostisa::iss::ServiceHandler {
  uint64_t service(unsigned number, CoreApi& core) override {
    core.setReg(55, number * 3 + 1);
    return number % 5;
  }
};

struct Bus final : hostisa::iss::IoBus {
  uint32_t n = 0;
  uint32_t read(uint32_t paddr, unsigned) override { return paddr * 2654435761u + (n++); }
  void write(uint32_t, unsigned, uint32_t value) override { n += value & 7; }
};

// A small stateful cache-like timing model (direct-mapped tags), as the platform's would be.
struct Timing final : hostisa::iss::MemoryTiming {
  uint32_t tags[16] = {};
  uint32_t access(uint32_t paddr, uint32_t miss) {
    const uint32_t line = paddr >> 6, idx = line & 15;
    if (tags[idx] == line + 1) return 0;
    tags[idx] = line + 1;
    return miss;
  }
  uint32_t fetch(uint32_t paddr, unsigned) override { return access(paddr, 3); }
  uint32_t load(uint32_t paddr, unsigned) override { return access(paddr, 4); }
  uint32_t store(uint32_t paddr, unsigned) override { return access(paddr, 1); }
};

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

  // Data: random bytes in the host and guest data pages.
  std::vector<uint8_t> data(0x6000);
  for (auto& b : data) b = static_cast<uint8_t>(g.pick(256));
  c.writeMemory(kHostData, data);
  c.writeMemory(kGuestPhys, data);
  // Code: random molecules, one 16-byte slot each, then halt.
  std::vector<uint8_t> code;
  for (unsigned i = 0; i < kSlots; ++i) {
    std::vector<uint32_t> w = g.molecule(cov);
    w.resize(4, 0);  // a 2-atom molecule is followed by a nop molecule (zero words)
    for (uint32_t x : w)
      for (unsigned k = 0; k < 4; ++k) code.push_back(static_cast<uint8_t>(x >> (8 * k)));
  }
  c.writeMemory(kCode, code);
  hostisa::AsmOptions opt;
  opt.baseAddress = kHandler;
  const auto h = hostisa::assemble(kHandlerSource, opt);
  EXPECT_TRUE(h.ok) << h.errorText();
  c.writeMemory(h.imageBase, h.image);
  std::string halts;
  for (unsigned i = 0; i < 16; ++i) halts += "halt commit\n";  // branches reach 3 slots ahead
  const auto end = hostisa::assemble(halts, {.baseAddress = kCode + 16 * kSlots});
  c.writeMemory(end.imageBase, end.image);

  c.reset(kCode);
  c.setSreg(static_cast<unsigned>(Sreg::TVEC), kHandler);
  // Guest pages: 0,1 RWD; 2 writable without dirty-ok; 3 read-only; 4 I/O space; 5 unmapped.
  c.tlbInsert(kGuestLin + 0x0000, (kGuestPhys + 0x0000) | kRWD);
  c.tlbInsert(kGuestLin + 0x1000, (kGuestPhys + 0x1000) | kRWD);
  c.tlbInsert(kGuestLin + 0x2000, (kGuestPhys + 0x2000) | hostisa::kTlbValid | hostisa::kTlbWritable);
  c.tlbInsert(kGuestLin + 0x3000, (kGuestPhys + 0x3000) | hostisa::kTlbValid);
  c.tlbInsert(kGuestLin + 0x4000, (kGuestPhys + 0x4000) | kRWD);
  c.setIoSpace(kGuestPhys + 0x4000, 0x1000, true);
  c.setTranslated(kGuestPhys + 0x30, 0x20, true);
  c.setTranslated(kHostData + 0x1000, 0x80, true);
  // Pointers: r1..r5 guest linear (r2 near a page end), r6 host physical.
  c.setReg(1, kGuestLin + 0x10);
  c.setReg(2, kGuestLin + 0xFFE);
  c.setReg(3, kGuestLin + 0x2010);
  c.setReg(4, kGuestLin + 0x4000);
  c.setReg(5, kGuestLin + 0x3FF0);
  c.setReg(6, kHostData + 0xF00);
  for (unsigned r = 8; r < 56; ++r) c.setReg(r, g.chance(50) ? g.pick(64) : static_cast<uint32_t>(g.pick(0xFFFFFFFFu)));
  c.setSreg(static_cast<unsigned>(Sreg::XFLAGS), static_cast<uint32_t>(g.pick(0x1000)));
  for (unsigned s = 0; s < 8; ++s) {
    c.setSreg(static_cast<unsigned>(Sreg::SEGBASE0) + s, g.pick(0x10000));
    c.setSreg(static_cast<unsigned>(Sreg::SEGLIM0) + s, g.chance(50) ? 0xFFFFFFFFu : g.pick(0x100));
    c.setSreg(static_cast<unsigned>(Sreg::SEGATTR0) + s, g.pick(4));
  }
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
