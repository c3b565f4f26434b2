// The constrained-random program of the RTL tests (docs/rtl.md "Tests"): random molecules
// -- every atom class except jalr/eret/halt (directed tests cover those), random operands
// biased toward mapped guest and host data, random commit bits, a few illegal molecules --
// each in its own 16-byte slot (32 bytes for 8-atom molecules), a trap handler that skips
// the faulting slot, and the host objects (service handler, I/O bus, a stateful timing
// model) the tests attach. Used by rtl_random_test (lockstep) and rtl_checkpoint_test.
#pragma once

#include <map>
#include <random>
#include <string>
#include <vector>

#include "rtl_test_util.h"

namespace cmrtl {

using hostisa::Atom;
using hostisa::Format;
using hostisa::Molecule;
using hostisa::Op;
using hostisa::Sreg;
using hostisa::Unit;

constexpr uint32_t kCode = 0x10000;       // random molecules, one slot of slotBytes() each
constexpr uint32_t kHandler = 0x0F000;    // trap handler
constexpr uint32_t kHostData = 0x40000;   // physical, host accesses (r6)
constexpr uint32_t kGuestLin = 0x00400000;  // linear pages -> physical 0x50000.. (r1..r5)
constexpr uint32_t kGuestPhys = 0x50000;
constexpr unsigned kSlots = 400;

struct Coverage {
  std::map<std::string, uint64_t> atoms;
  std::map<std::string, double> traps;
};

// Bytes per molecule slot: 16, or 32 when 8-atom molecules are generated.
inline uint32_t slotBytes(const IssConfig& cfg) { return cfg.features.maxAtoms == 8 ? 32 : 16; }

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
      case Format::J: a.imm = static_cast<int32_t>(slotBytes(cfg_) / 8 * (1 + pick(3))); break;  // 1..3 slots on
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
      if (cfg_.features.maxAtoms == 8 && chance(50)) m.numAtoms = 8;
      m.commit = chance(12);
      for (unsigned s = 0; s < m.numAtoms; ++s) {
        std::vector<Unit> units;
        for (Unit u : {Unit::Alu, Unit::Alu0, Unit::Lsu, Unit::Bru})
          if (hostisa::slotAccepts(m.numAtoms, s, u)) units.push_back(u);
        // (slot 7 of an 8-atom molecule takes FPU atoms, of which there are none: nop)
        m.atoms[s] = units.empty() || chance(20) ? Atom{} : atom(units[pick(static_cast<unsigned>(units.size()))], s);
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

// Trap handler: skip the faulting molecule's slot (tpc + slot bytes), count traps in r56, eret.
inline std::string handlerSource(const IssConfig& cfg) {
  return R"(
        .text
handler: { mfsr r60, tpc ; addi r56, r56, 1 }
        { addi r60, r60, )" + std::to_string(slotBytes(cfg)) + R"( }
        { mtsr tpc, r60 }
        eret
)";
}

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

// Writes the program of `seed` (code, handler, data, attributes, TLB, registers) into a
// freshly constructed core and resets it; the caller attaches the host objects.
inline void setupRandomProgram(CoreApi& c, Gen& g, const IssConfig& cfg, Coverage& cov) {

  // Data: random bytes in the host and guest data pages.
  std::vector<uint8_t> data(0x6000);
  for (auto& b : data) b = static_cast<uint8_t>(g.pick(256));
  c.writeMemory(kHostData, data);
  c.writeMemory(kGuestPhys, data);
  // Code: random molecules, one 16-byte slot each, then halt.
  std::vector<uint8_t> code;
  for (unsigned i = 0; i < kSlots; ++i) {
    std::vector<uint32_t> w = g.molecule(cov);
    w.resize(slotBytes(cfg) / 4, 0);  // a short molecule is followed by nop molecules (zero words)
    for (uint32_t x : w)
      for (unsigned k = 0; k < 4; ++k) code.push_back(static_cast<uint8_t>(x >> (8 * k)));
  }
  c.writeMemory(kCode, code);
  hostisa::AsmOptions opt;
  opt.baseAddress = kHandler;
  const auto h = hostisa::assemble(handlerSource(cfg), opt);
  EXPECT_TRUE(h.ok) << h.errorText();
  c.writeMemory(h.imageBase, h.image);
  std::string halts;
  for (unsigned i = 0; i < 16; ++i) halts += "halt commit\n";  // branches reach 3 slots ahead
  const auto end = hostisa::assemble(halts, {.baseAddress = kCode + slotBytes(cfg) * kSlots});
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
}

}  // namespace cmrtl
