// Memory and speculation hardware: gated store buffer (forwarding, commit, rollback,
// overflow), host TLB (miss/prot/dirty, page crossing, replacement), T-bits, alias
// registers, I/O space and the I/O bus, bus errors, fetch faults, precise molecules and
// the feature knobs. Every fault cause of traps.def is raised here or in iss_trap_test.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <tuple>
#include <vector>

#include "molecule_builder.h"

namespace cmtest {
namespace {

using iss::StopReason;
constexpr uint32_t kRWD = kTlbValid | kTlbWritable | kTlbDirtyOk;

struct RecordingBus : iss::IoBus {
  struct Access {
    bool write;
    uint32_t addr;
    unsigned size;
    uint32_t value;
  };
  std::vector<Access> log;
  uint32_t read(uint32_t paddr, unsigned size) override {
    log.push_back({false, paddr, size, 0});
    return 0xCAFEBABEu;
  }
  void write(uint32_t paddr, unsigned size, uint32_t value) override { log.push_back({true, paddr, size, value}); }
};

// A core with guest pages 0x10000..0x1FFFF identity-mapped in the TLB (writable, dirty-ok).
class Mem : public ::testing::Test {
 protected:
  explicit Mem(IssConfig cfg = smallConfig()) : core(cfg) {}
  void SetUp() override {}
  void start(Program& p) {
    p.loadInto(core);
    core.reset(p.base());
    if (core.config().features.hostTlb)
      for (uint32_t a = 0x10000; a < 0x14000; a += 0x1000) core.tlbInsert(a, a | kRWD);
  }
  uint32_t mem32(uint32_t a) {
    uint8_t b[4];
    core.readMemory(a, b);
    return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
  }
  void poke32(uint32_t a, uint32_t v) {
    const uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
    core.writeMemory(a, b);
  }
  Iss core;
};

TEST_F(Mem, GatedStoresForwardYoungestFirstAndByteWise) {
  Program p;
  p.add({st(Op::STG32, 1, 10, 0)});   // [0x10000] = 0x11223344
  p.add({st(Op::STG8, 2, 10, 1)});    // [0x10001] = 0xAA (younger, partial overlap)
  p.add({st(Op::STG16, 3, 10, 3)});   // [0x10003..4] = 0xBBCC
  p.add({ld(Op::LDG32, 4, 10, 0)});   // bytes 44 AA 22 CC: byte 1 and 3 from younger stores
  p.add({ld(Op::LDG32, 5, 10, 2)});   // bytes 22 CC BB, then memory 0x10005 = 0x55
  p.add({ld(Op::LD32, 6, 10, 0)});    // host load: no forwarding, sees memory
  p.add({ld(Op::LDG16S, 7, 10, 3)});  // 0xBBCC sign-extended
  p.add({halt()});
  start(p);
  poke32(0x10004, 0x77665500u);
  core.setReg(10, 0x10000);
  core.setReg(1, 0x11223344u);
  core.setReg(2, 0xAA);
  core.setReg(3, 0xBBCC);
  core.run();
  EXPECT_EQ(core.reg(4), 0xCC22AA44u);
  EXPECT_EQ(core.reg(5), 0x55BBCC22u);
  EXPECT_EQ(core.reg(6), 0u);
  EXPECT_EQ(core.reg(7), 0xFFFFBBCCu);
  EXPECT_EQ(mem32(0x10000), 0u);  // still gated
  EXPECT_EQ(core.storeBufferOccupancy(), 3u);
}

TEST_F(Mem, CommitDrainsInOrderAndCopiesShadows) {
  Program p;
  p.add({st(Op::STG32, 1, 10, 0)});
  p.add({st(Op::STG8, 2, 10, 0)});
  p.add({addi(5, 0, 42)}, /*commit=*/true);
  p.add({halt()});
  start(p);
  core.setReg(10, 0x10000);
  core.setReg(1, 0x11223344u);
  core.setReg(2, 0x99);
  core.run();
  EXPECT_EQ(mem32(0x10000), 0x11223399u);
  EXPECT_EQ(core.storeBufferOccupancy(), 0u);
  EXPECT_EQ(core.shadowReg(5), 42u);   // the commit molecule's own write is committed
  EXPECT_EQ(core.shadowReg(10), 0x10000u);
}

TEST_F(Mem, RollbackRestoresRegistersFlagsSregsAndMemoryExactly) {
  Program p;
  p.add({addi(1, 0, 7), addi(2, 0, 8)}, true);              // committed: r1=7 r2=8
  p.add({mtsr(Sreg::SEGBASE3, 1)}, true);                  // committed segbase3 = 7
  p.add({st(Op::STG32, 2, 10, 0), addi(1, 0, 100)});       // speculative
  p.add({cc(Op::SUB_CC, 4, 3, 0, 2), mtsr(Sreg::SEGBASE3, 2)});
  p.add({addi(40, 0, 5)});                                 // r40 is not shadowed
  p.add({sys(Op::ROLLBACK)});
  p.add({ld(Op::LDG32, 20, 10, 0), halt()});
  start(p);
  core.setReg(10, 0x10000);
  poke32(0x10000, 0xDEADBEEFu);
  core.run();
  EXPECT_EQ(core.reg(1), 7u);
  EXPECT_EQ(core.reg(2), 8u);
  EXPECT_EQ(core.reg(3), 0u);
  EXPECT_EQ(core.sreg(static_cast<unsigned>(Sreg::XFLAGS)), 0u);
  EXPECT_EQ(core.sreg(static_cast<unsigned>(Sreg::SEGBASE3)), 7u);
  EXPECT_EQ(core.reg(40), 5u);
  EXPECT_EQ(core.storeBufferOccupancy(), 0u);
  EXPECT_EQ(core.reg(20), 0xDEADBEEFu);  // the discarded store is not forwarded
  EXPECT_EQ(mem32(0x10000), 0xDEADBEEFu);
}

TEST(MemSb, OverflowAtExactlyNPlusOne) {
  IssConfig cfg = smallConfig();
  cfg.storeBufferEntries = 4;
  Iss core(cfg);
  Program p;
  for (int i = 0; i < 5; ++i) p.add({st(Op::STG8, 1, 10, i)});
  p.add({halt()});
  p.loadInto(core);
  core.reset(p.base());
  core.tlbInsert(0x10000, 0x10000 | kRWD);
  core.setReg(10, 0x10000);
  core.run();
  EXPECT_EQ(core.stopInfo().reason, StopReason::UnhandledTrap);
  EXPECT_EQ(core.stopInfo().cause, TrapCause::SB_OVERFLOW);
  EXPECT_EQ(core.stopInfo().tval, 0x10004u);
  EXPECT_EQ(core.stopInfo().pc, p.base() + 4 * 8);
  EXPECT_EQ(core.storeBufferOccupancy(), 4u);
}

TEST(MemSb, PageCrossingStoreTakesTwoEntries) {
  IssConfig cfg = smallConfig();
  cfg.storeBufferEntries = 2;
  Iss core(cfg);
  Program p;
  p.add({st(Op::STG32, 1, 10, 0)});  // crosses 0x10FFE..0x11001: two entries
  p.add({st(Op::STG8, 1, 11, 0)});   // third entry: overflow
  p.loadInto(core);
  core.reset(p.base());
  core.tlbInsert(0x10000, 0x30000 | kRWD);  // discontiguous physical pages
  core.tlbInsert(0x11000, 0x50000 | kRWD);
  core.setReg(10, 0x10FFE);
  core.setReg(11, 0x10000);
  core.setReg(1, 0x44332211u);
  core.step();
  EXPECT_EQ(core.storeBufferOccupancy(), 2u);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::SB_OVERFLOW);
}

TEST_F(Mem, TlbMissProtDirtyAndTinfo) {
  Program p;
  p.add({ld(Op::LDG16U, 1, 10, 0)});
  start(p);
  core.tlbFlush();
  core.setReg(10, 0x20ABC);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::TLB_MISS);
  EXPECT_EQ(core.stopInfo().tval, 0x20ABCu);

  // With a handler: tinfo = size 2 << 1, read.
  Iss c2(smallConfig());
  Program q;
  q.add({st(Op::STG32, 1, 10, 0)});
  q.loadInto(c2);
  for (auto [attr, cause] : std::vector<std::pair<uint32_t, TrapCause>>{
           {kTlbValid, TrapCause::TLB_PROT},
           {kTlbValid | kTlbDirtyOk, TrapCause::TLB_PROT},
           {kTlbValid | kTlbWritable, TrapCause::TLB_DIRTY}}) {
    c2.reset(q.base());
    c2.setSreg(static_cast<unsigned>(Sreg::TVEC), 0x8000);
    c2.tlbInsert(0x20000, 0x40000 | attr);
    c2.setReg(10, 0x20010);
    c2.step();
    EXPECT_EQ(c2.sreg(static_cast<unsigned>(Sreg::TCAUSE)), static_cast<uint32_t>(cause));
    EXPECT_EQ(c2.sreg(static_cast<unsigned>(Sreg::TVAL)), 0x20010u);
    EXPECT_EQ(c2.sreg(static_cast<unsigned>(Sreg::TINFO)), 1u | (4u << 1));
    EXPECT_EQ(c2.sreg(static_cast<unsigned>(Sreg::TPC)), q.base());
    EXPECT_EQ(c2.pc(), 0x8000u);
    EXPECT_EQ(c2.storeBufferOccupancy(), 0u);
  }
}

TEST_F(Mem, PageCrossingLoadTranslatesEachPage) {
  Program p;
  p.add({ld(Op::LDG32, 1, 10, 0)});
  start(p);
  core.tlbFlush();
  core.tlbInsert(0x20000, 0x30000 | kRWD);
  core.setReg(10, 0x20FFE);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::TLB_MISS);
  EXPECT_EQ(core.stopInfo().tval, 0x21000u);  // the first byte in the missing page
  core.resume();
  core.tlbInsert(0x21000, 0x70000 | kRWD);
  poke32(0x30FFC, 0x2211FFFFu);
  poke32(0x70000, 0xFFFF4433u);
  core.setPc(p.base());
  core.step();
  EXPECT_FALSE(core.stopped());
  EXPECT_EQ(core.reg(1), 0x44332211u);
}

TEST(MemTlb, RoundRobinReplacementAndReplaceExisting) {
  IssConfig cfg = smallConfig();
  cfg.tlbEntries = 2;
  Iss core(cfg);
  Program p;
  p.add({ld(Op::LDG8U, 1, 10, 0)});
  p.loadInto(core);
  auto probe = [&](uint32_t lin) {
    core.resume();
    core.setPc(p.base());
    core.setReg(10, lin);
    core.step();
    return !core.stopped();
  };
  core.reset(p.base());
  core.tlbInsert(0x10000, 0x10000 | kRWD);  // entry 0
  core.tlbInsert(0x11000, 0x11000 | kRWD);  // entry 1
  core.tlbInsert(0x10000, 0x12000 | kRWD);  // replaces entry 0, no fill
  EXPECT_TRUE(probe(0x10000));
  EXPECT_TRUE(probe(0x11000));
  core.tlbInsert(0x13000, 0x13000 | kRWD);  // round robin: evicts entry 0 (page 0x10000)
  EXPECT_FALSE(probe(0x10000));
  EXPECT_TRUE(probe(0x11000));
  EXPECT_TRUE(probe(0x13000));
  core.tlbInsert(0x11000, 0);  // without kTlbValid: removes the mapping
  EXPECT_FALSE(probe(0x11000));
}

TEST_F(Mem, TbitGranuleEdges) {
  Program p;
  p.add({st(Op::STG8, 1, 10, 0)});
  start(p);
  core.setTranslated(0x10080, 1, true);  // granule [0x10080, 0x10100) with the default 128
  EXPECT_TRUE(core.isTranslated(0x100FF));
  EXPECT_FALSE(core.isTranslated(0x1007F));
  EXPECT_FALSE(core.isTranslated(0x10100));
  struct Case {
    Op op;
    uint32_t addr;
    bool fault;
    uint32_t tval;
  };
  for (const Case& c : std::vector<Case>{{Op::STG8, 0x1007F, false, 0},
                                         {Op::STG16, 0x1007F, true, 0x10080},
                                         {Op::STG8, 0x100FF, true, 0x100FF},
                                         {Op::STG32, 0x10100, false, 0},
                                         {Op::STG32, 0x100FD, true, 0x100FD}}) {
    Program q;
    q.add({st(c.op, 1, 10, 0)});
    q.loadInto(core);
    core.reset(q.base());
    core.tlbInsert(0x10000, 0x10000 | kRWD);
    core.setReg(10, c.addr);
    core.step();
    if (c.fault) {
      EXPECT_EQ(core.stopInfo().cause, TrapCause::TBIT) << std::hex << c.addr;
      EXPECT_EQ(core.stopInfo().tval, c.tval);
    } else {
      EXPECT_FALSE(core.stopped()) << std::hex << c.addr;
    }
  }
  // Host stores ignore T-bits; clearing the granule lets guest stores through.
  Program h;
  h.add({st(Op::ST32, 1, 10, 0)});
  h.loadInto(core);
  core.reset(h.base());
  core.setReg(10, 0x10080);
  core.step();
  EXPECT_FALSE(core.stopped());
  core.setTranslated(0x10080, 0x80, false);
  EXPECT_FALSE(core.isTranslated(0x10080));
}

TEST(MemTbit, SmallestAndLargestGranule) {
  for (unsigned granule : {64u, 4096u}) {
    IssConfig cfg = smallConfig();
    cfg.tbitGranule = granule;
    Iss core(cfg);
    core.setTranslated(0x10000 + granule, 1, true);
    auto store = [&](uint32_t addr) {
      Program p;
      p.add({st(Op::STG8, 1, 10, 0)});
      p.loadInto(core);
      core.reset(p.base());
      core.tlbInsert(addr, (addr & ~0xFFFu) | kRWD);
      core.setReg(10, addr);
      core.step();
      return core.stopInfo().cause;
    };
    EXPECT_EQ(store(0x10000 + granule - 1), TrapCause::None) << granule;
    EXPECT_EQ(store(0x10000 + granule), TrapCause::TBIT) << granule;
    EXPECT_EQ(store(0x10000 + 2 * granule - 1), TrapCause::TBIT) << granule;
    EXPECT_EQ(store(0x10000 + 2 * granule), TrapCause::None) << granule;
  }
}

TEST_F(Mem, AliasOverlapFaultsNonOverlapDoesNot) {
  // ldp32 protects [0x10100, 0x10104) in a2; stc16 at addr with mask.
  for (auto [addr, mask, fault] : std::vector<std::tuple<uint32_t, unsigned, bool>>{
           {0x10103, 0x04, true}, {0x100FF, 0x04, true}, {0x10104, 0x04, false}, {0x100FE, 0x04, false},
           {0x10102, 0x03, false}, {0x10102, 0xFB, false}}) {
    Program r;
    r.add({ldp(Op::LDP32, 1, 10, 0, 2)});
    r.add({stc(Op::STC16, 3, 11, mask)});
    r.add({halt()});
    r.loadInto(core);
    core.reset(r.base());
    core.tlbInsert(0x10000, 0x10000 | kRWD);
    core.setReg(10, 0x10100);
    core.setReg(11, addr);
    core.run();
    const auto a2 = core.aliasRegister(2);
    if (fault) {
      EXPECT_EQ(core.stopInfo().cause, TrapCause::ALIAS) << std::hex << addr;
      EXPECT_EQ(core.stopInfo().tval, addr);
      EXPECT_TRUE(a2.valid);
      EXPECT_EQ(a2.lo, 0x10100u);
      EXPECT_EQ(a2.len, 4u);
    } else {
      EXPECT_EQ(core.stopInfo().reason, StopReason::Halted) << std::hex << addr << " mask " << mask;
    }
  }
}

TEST_F(Mem, CommitClearsAliasRegisters) {
  Program p;
  p.add({ldp(Op::LDP8U, 1, 10, 0, 0)});
  p.add({nop()}, true);
  p.add({stc(Op::STC8, 3, 10, 0x01)});
  p.add({halt()});
  start(p);
  core.setReg(10, 0x10000);
  core.run();
  EXPECT_EQ(core.stopInfo().reason, StopReason::Halted);
  EXPECT_FALSE(core.aliasRegister(0).valid);
}

TEST(MemAlias, IndexBeyondNIsIllegal) {
  IssConfig cfg = smallConfig();
  cfg.aliasRegisters = 4;
  for (const Atom& a : {ldp(Op::LDP32, 1, 10, 0, 4), stc(Op::STC8, 1, 10, 0x10)}) {
    Iss core(cfg);
    Program p;
    const uint32_t at = p.add({a});
    p.loadInto(core);
    core.reset(p.base());
    core.step();
    EXPECT_EQ(core.stopInfo().cause, TrapCause::ILLEGAL);
    uint8_t w[4];
    core.readMemory(at, w);
    EXPECT_EQ(core.stopInfo().tval, uint32_t{w[0]} | uint32_t{w[1]} << 8 | uint32_t{w[2]} << 16 | uint32_t{w[3]} << 24);
  }
}

TEST_F(Mem, IoBusAccessesAndIoOrder) {
  RecordingBus bus;
  core.setIoBus(&bus);
  core.setIoSpace(0x12000, 0x1000, true);
  Program p;
  p.add({ld(Op::LDIO16S, 1, 10, 4)});     // bus read 2 bytes at 0x12004 -> 0xBABE sign-extended
  p.add({st(Op::STIO8, 2, 10, 1)});       // bus write, not gated
  p.add({ld(Op::LD32, 3, 10, 8)});        // host load from I/O space also goes to the bus
  p.add({st(Op::STG8, 2, 11, 0)});        // gated store to memory
  p.add({ld(Op::LDIO8U, 4, 10, 0)});      // pending gated store -> IO_ORDER
  start(p);
  core.setReg(10, 0x12000);
  core.setReg(11, 0x10000);
  core.setReg(2, 0x1234);
  core.run(UINT64_MAX, 4);
  ASSERT_EQ(bus.log.size(), 3u);
  EXPECT_FALSE(bus.log[0].write);
  EXPECT_EQ(bus.log[0].addr, 0x12004u);
  EXPECT_EQ(bus.log[0].size, 2u);
  EXPECT_EQ(core.reg(1), 0xFFFFBABEu);
  EXPECT_TRUE(bus.log[1].write);
  EXPECT_EQ(bus.log[1].addr, 0x12001u);
  EXPECT_EQ(bus.log[1].value, 0x34u);
  EXPECT_EQ(core.reg(3), 0xCAFEBABEu);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::IO_ORDER);
  EXPECT_EQ(core.stopInfo().tval, 0x12000u);
  EXPECT_EQ(bus.log.size(), 3u);
}

TEST_F(Mem, SpeculativeAccessToIoSpaceFaults) {
  RecordingBus bus;
  core.setIoBus(&bus);
  core.setIoSpace(0x12000, 1, true);
  EXPECT_TRUE(core.isIoSpace(0x12FFF));
  EXPECT_FALSE(core.isIoSpace(0x13000));
  for (const Atom& a : {ld(Op::LDG32, 1, 10, 0x10), st(Op::STG16, 1, 10, 0x10), ldp(Op::LDP8U, 1, 10, 0x10, 0)}) {
    Program p;
    p.add({a});
    start(p);
    core.setReg(10, 0x12000);
    core.step();
    EXPECT_EQ(core.stopInfo().cause, TrapCause::IO_SPACE) << atomInfo(a.op).mnemonic;
    EXPECT_EQ(core.stopInfo().tval, 0x12010u);
  }
  EXPECT_TRUE(bus.log.empty());
}

TEST_F(Mem, FaultingMoleculeHasNoEffectAtAll) {
  RecordingBus bus;
  core.setIoBus(&bus);
  core.setIoSpace(0x12000, 0x1000, true);
  // 4-atom molecule: ALU writes, flags, an I/O load (slot 2) and an sreg write; slot 0's
  // divide faults -> nothing happens, not even the bus read.
  Program p;
  p.add({rrr(Op::DIV, 5, 1, 0), cc(Op::ADD_CC, 4, 6, 1, 1), ld(Op::LDIO32, 7, 10, 0), mtsr(Sreg::TSCRATCH1, 1)});
  start(p);
  core.setReg(1, 9);
  core.setReg(10, 0x12000);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::DIVIDE);
  EXPECT_EQ(core.reg(5), 0u);
  EXPECT_EQ(core.reg(6), 0u);
  EXPECT_EQ(core.reg(7), 0u);
  EXPECT_EQ(core.sreg(static_cast<unsigned>(Sreg::XFLAGS)), 0u);
  EXPECT_EQ(core.sreg(static_cast<unsigned>(Sreg::TSCRATCH1)), 0u);
  EXPECT_TRUE(bus.log.empty());
  EXPECT_EQ(core.pc(), p.base());
}

TEST(MemPrecise, EightAtomMoleculeLowestSlotFaultWinsAndNothingApplies) {
  IssConfig cfg = smallConfig();
  cfg.features.maxAtoms = 8;
  Iss core(cfg);
  RecordingBus bus;
  core.setIoBus(&bus);
  core.setIoSpace(0x12000, 0x1000, true);
  Program p(0x1000, 8);
  Molecule m;
  m.numAtoms = 8;
  for (auto& a : m.atoms) a = nop();
  m.atoms[0] = add(5, 1, 1);
  m.atoms[2] = st(Op::STIO32, 1, 10, 0);   // would write the bus
  m.atoms[4] = addi(6, 0, 1);
  m.atoms[6] = ld(Op::LDG32, 7, 11, 0);    // TLB miss
  m.atoms[3] = mtsr(Sreg::TSCRATCH0, 1);
  p.addMolecule(m);
  m.atoms[2] = st(Op::STG32, 1, 12, 0);    // TLB miss in slot 2 ...
  m.atoms[6] = ld(Op::LDG32, 7, 13, 0);    // ... and a T-bit-free I/O-space fault in slot 6
  const uint32_t second = p.addMolecule(m);
  p.loadInto(core);
  core.reset(p.base());
  core.tlbInsert(0x12000, 0x12000 | kRWD);
  core.tlbInsert(0x14000, 0x12000 | kRWD);
  core.setReg(1, 3);
  core.setReg(10, 0x12000);
  core.setReg(11, 0x40000);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::TLB_MISS);
  EXPECT_EQ(core.stopInfo().tval, 0x40000u);
  EXPECT_TRUE(bus.log.empty());
  EXPECT_EQ(core.reg(5), 0u);
  EXPECT_EQ(core.reg(6), 0u);
  EXPECT_EQ(core.sreg(static_cast<unsigned>(Sreg::TSCRATCH0)), 0u);
  // Second molecule: slot 2 (TLB miss at 0x50000) wins over slot 6 (IO_SPACE).
  core.resume();
  core.setPc(second);
  core.setReg(12, 0x50000);
  core.setReg(13, 0x14000);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::TLB_MISS);
  EXPECT_EQ(core.stopInfo().tval, 0x50000u);
}

TEST_F(Mem, BusErrorsOutsideMemory) {
  for (const Atom& a : {ld(Op::LD32, 1, 10, 0), st(Op::ST8, 1, 10, 0), ld(Op::LDG8U, 1, 10, 0)}) {
    Program p;
    p.add({a});
    start(p);
    core.tlbInsert(0x200000, 0x200000 | kRWD);
    core.setReg(10, 0x200000);  // 2 MiB: beyond the 1 MiB of memory
    core.step();
    EXPECT_EQ(core.stopInfo().cause, TrapCause::BUS_ERROR) << atomInfo(a.op).mnemonic;
    EXPECT_EQ(core.stopInfo().tval, 0x200000u);
  }
  // A host access straddling the end of memory.
  Program p;
  p.add({ld(Op::LD32, 1, 10, 0)});
  start(p);
  core.setReg(10, 0xFFFFE);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::BUS_ERROR);
}

TEST_F(Mem, FetchFaults) {
  Program p;
  p.add({halt()});
  start(p);
  for (uint32_t pc : {0x1004u, 0x100000u, 0xFFFFFFF8u}) {
    core.reset(pc);
    core.step();
    EXPECT_EQ(core.stopInfo().cause, TrapCause::FETCH) << std::hex << pc;
    EXPECT_EQ(core.stopInfo().tval, pc);
  }
  core.setIoSpace(0x1000, 1, true);
  core.reset(0x1000);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::FETCH);
  // A 4-atom molecule whose second half lies beyond memory.
  core.setIoSpace(0x1000, 1, false);
  Program q(0xFFFF8);
  q.add({add(1, 1, 1), add(2, 2, 2), nop(), nop()});
  ASSERT_EQ(q.bytes().size(), 16u);
  core.writeMemory(0xFFFF8, std::span<const uint8_t>(q.bytes().data(), 8));
  core.reset(0xFFFF8);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::FETCH);
}

TEST_F(Mem, IllegalMolecules) {
  Program p;
  const uint32_t a = p.addWords({0xC0000000u, 0});  // size code 11
  p.loadInto(core);
  core.reset(a);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::ILLEGAL);
  EXPECT_EQ(core.stopInfo().tval, 0xC0000000u);
  // 8-atom molecule with hostisa.max_atoms = 4.
  Program q(0x2000, 8);
  Molecule m;
  m.numAtoms = 8;
  for (auto& at : m.atoms) at = nop();
  q.addMolecule(m);
  q.loadInto(core);
  core.reset(0x2000);
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::ILLEGAL);
}

struct FeatureCase {
  const char* name;
  void (*off)(IsaFeatures&);
  Atom atom;
};

TEST(MemFeatures, DisabledFeaturesAreIllegal) {
  const std::vector<FeatureCase> cases = {
      {"x86_flags", [](IsaFeatures& f) { f.x86Flags = false; }, cc(Op::ADD_CC, 4, 1, 2, 3)},
      {"x86_flags bcc", [](IsaFeatures& f) { f.x86Flags = false; }, bcc(4, 1)},
      {"partial_regs", [](IsaFeatures& f) { f.partialRegs = false; }, rrr(Op::INS8L, 1, 2)},
      {"seg_agen", [](IsaFeatures& f) { f.segAgen = false; }, agen(4, 1, 2, 0)},
      {"host_tlb", [](IsaFeatures& f) { f.hostTlb = false; }, tlbwr(1, 2)},
      {"alias_hw", [](IsaFeatures& f) { f.aliasHw = false; }, ldp(Op::LDP32, 1, 2, 0, 0)},
      {"alias_hw stc", [](IsaFeatures& f) { f.aliasHw = false; }, stc(Op::STC8, 1, 2, 1)},
  };
  for (const FeatureCase& c : cases) {
    IssConfig cfg = smallConfig();
    c.off(cfg.features);
    Iss core(cfg);
    Program p;
    p.add({c.atom});
    p.loadInto(core);
    core.reset(p.base());
    core.step();
    EXPECT_EQ(core.stopInfo().cause, TrapCause::ILLEGAL) << c.name;
    // ... and the same atom runs with the feature on.
    Iss on(smallConfig());
    p.loadInto(on);
    on.reset(p.base());
    on.setReg(2, 0x10000);
    on.tlbInsert(0x10000, 0x10000 | kRWD);
    on.step();
    EXPECT_NE(on.stopInfo().cause, TrapCause::ILLEGAL) << c.name;
  }
}

TEST(MemFeatures, HostTlbOffMeansLinearIsPhysical) {
  IssConfig cfg = smallConfig();
  cfg.features.hostTlb = false;
  Iss core(cfg);
  Program p;
  p.add({st(Op::STG32, 1, 10, 0)}, true);
  p.add({ld(Op::LDG32, 2, 10, 0), halt()});
  p.loadInto(core);
  core.reset(p.base());
  core.setReg(1, 0xABCD1234u);
  core.setReg(10, 0x30000);
  core.run();
  EXPECT_EQ(core.stopInfo().reason, StopReason::Halted);
  EXPECT_EQ(core.reg(2), 0xABCD1234u);
  uint8_t b[4];
  core.readMemory(0x30000, b);
  EXPECT_EQ(b[0], 0x34);
}

TEST_F(Mem, StioToMemoryIsImmediateButOrderedAfterGatedStores) {
  Program p;
  p.add({st(Op::STIO32, 1, 10, 0)});  // immediate write to memory
  p.add({st(Op::STG8, 1, 10, 8)});
  p.add({st(Op::STIO8, 1, 10, 4)});   // pending gated store -> IO_ORDER
  start(p);
  core.setReg(1, 0x55667788u);
  core.setReg(10, 0x10000);
  core.step();
  EXPECT_EQ(mem32(0x10000), 0x55667788u);
  core.step();
  core.step();
  EXPECT_EQ(core.stopInfo().cause, TrapCause::IO_ORDER);
}

TEST_F(Mem, SelfModifyingCodeSeesNewMolecule) {
  // The pre-decoded molecule at `target` is replaced by a host store; the core must
  // execute the new encoding (decode cache invalidated on every write).
  Program p;
  const uint32_t first = p.add({li(1, 1), halt()});
  p.loadInto(core);
  core.reset(first);
  core.run();
  EXPECT_EQ(core.reg(1), 1u);
  Program q;
  q.add({li(1, 2), halt()});
  uint32_t w0, w1;
  std::memcpy(&w0, q.bytes().data(), 4);
  std::memcpy(&w1, q.bytes().data() + 4, 4);
  Program r(0x3000);
  r.add({st(Op::ST32, 2, 10, 0)});
  r.add({st(Op::ST32, 3, 10, 4)});
  r.add({jalr(0, 10)});
  r.loadInto(core);
  core.reset(0x3000);
  core.setReg(2, w0);
  core.setReg(3, w1);
  core.setReg(10, first);
  core.run();
  EXPECT_EQ(core.reg(1), 2u);
}

}  // namespace
}  // namespace cmtest
