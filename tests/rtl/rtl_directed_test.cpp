// Directed programs, one per mechanism of the core (docs/rtl.md "Tests"). Each runs in
// lockstep on the ISS and the RTL -- Cosim compares pc, cycles, stop state, every register,
// shadow, special register and the memory the RTL wrote after every molecule, and the
// whole memory at the end -- and then checks a few values of the final state.
#include <cstdio>
#include <filesystem>

#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/rtl/rtl_core.h"
#include "rtl_test_util.h"

namespace cmrtl {
namespace {

using hostisa::Sreg;
using hostisa::TrapCause;

constexpr unsigned sr(Sreg s) { return static_cast<unsigned>(s); }

// A trap handler that records tcause/tval/tinfo in r40/r41/r42 and halts.
constexpr const char* kHaltHandler = R"(
        .balign 8
handler: mfsr r40, tcause
        mfsr r41, tval
        mfsr r42, tinfo
        { mfsr r43, tpc }
        halt
)";

struct Prog {
  explicit Prog(const std::string& src, IssConfig cfg = smallConfig()) : c(cfg) {
    entry = load(c, std::string(src) + kHaltHandler, &symbols, "start", cfg.features.maxAtoms);
    c.reset(entry);
    tvec("handler");
  }
  uint32_t symbol(const std::string& name) const {
    for (const auto& s : symbols)
      if (s.name == name) return static_cast<uint32_t>(s.value);
    ADD_FAILURE() << "no symbol " << name;
    return 0;
  }
  void tvec(const std::string& label) { c.setSreg(sr(Sreg::TVEC), symbol(label)); }
  std::vector<hostisa::AsmSymbol> symbols;
  Outcome go(uint64_t steps = 20000) { return runLockstep(c, steps); }
  rtl::Cosim c;
  uint32_t entry = 0;
};

TEST(RtlDirected, IntegerAlu) {
  Prog r(R"(
start:  { li r1, 5 ; li r2, -7 }
        { add r3, r1, r2 ; sub r4, r1, r2 }
        { and r5, r1, r2 ; or r6, r1, r2 }
        { xor r7, r1, r2 ; andn r8, r1, r2 }
        { shl r9, r2, r1 ; shr r10, r2, r1 }
        { sar r11, r2, r1 ; rol r12, r2, r1 }
        { ror r13, r2, r1 ; slt r14, r2, r1 }
        { sltu r15, r2, r1 ; seq r16, r1, r1 }
        { addi r17, r1, -1024 ; andi r18, r2, 0x3F0 }
        { ori r19, r1, -2 ; xori r20, r2, 1023 }
        { shli r21, r1, 31 ; shri r22, r2, 3 }
        { sari r23, r2, 3 ; roli r24, r2, 9 }
        { slti r25, r2, -6 ; sltiu r26, r1, -1 }
        { seqi r27, r1, 5 ; li r28, 0x8001 }
        { lih r28, 0x1234 ; zext8 r29, r2 }
        { zext16 r30, r2 ; sext8 r31, r28 }
        { sext16 r32, r28 ; ext8h r33, r28 }
        { ins8l r2, r1 ; ins8h r1, r28 }
        { ins16 r28, r5 }
        halt commit
)");
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::Halted);
  EXPECT_EQ(r.c.reg(3), static_cast<uint32_t>(-2));
  EXPECT_EQ(r.c.reg(28), 0x12340001u);
}

TEST(RtlDirected, X86ConditionCodes) {
  Prog r(R"(
start:  { li r1, 0x7F ; li r2, 1 }
        { add.cc.8 r3, r1, r2 ; li r9, 0 }
        { setcc r4, o ; sub.cc.8 r5, r9, r2 }
        { setcc r6, b ; adc.cc.16 r7, r1, r1 }
        { sbb.cc.32 r8, r9, r2 ; li r10, 33 }
        { and.cc.16 r11, r1, r2 ; li r12, 8 }
        { or.cc.8 r13, r1, r2 ; sel r14, r1, r2, ne }
        { xor.cc.32 r15, r1, r1 ; li r16, 0 }
        { shl.cc.8 r17, r1, r10 ; li r18, 0x80 }
        { shl.cc.8 r19, r18, r16 ; setcc r20, s }
        { shr.cc.16 r21, r18, r12 ; li r22, -1 }
        { sar.cc.8 r23, r18, r2 ; li r24, 9 }
        { rol.cc.8 r25, r18, r12 ; setcc r26, c }
        { ror.cc.16 r27, r18, r24 ; setcc r28, o }
        { imul.cc.16 r29, r22, r18 ; li r30, 0x4000 }
        { imul.cc.16 r31, r30, r30 ; setcc r32, o }
        { inc.cc.8 r33, r1 ; setcc r34, p }
        { dec.cc.32 r35, r9 ; setcc r36, l }
        { neg.cc.16 r37, r1 ; setcc r38, a }
        { addi.cc.32 r39, r22, 1 ; setcc r44, e }
        { subi.cc.16 r45, r9, -5 ; setcc r46, le }
        { andi.cc.8 r47, r22, -128 ; setcc r48, g }
        mfsr r49, xflags
        bcc ge, skip
        li r50, 1
skip:   halt commit
)");
  EXPECT_EQ(r.go().stop, StopReason::Halted);
  EXPECT_EQ(r.c.reg(3), 0x80u);
  EXPECT_EQ(r.c.reg(4), 1u);  // 0x7F + 1 overflows at 8 bits
}

// The worked example of docs/iss.md section 8: 8 cycles.
TEST(RtlDirected, StallsLoadUseAndMultiply) {
  Prog r(R"(
start:  ld32 r1, 0(r10)
        add r2, r1, r1
        mul r3, r2, r2
        add r4, r3, r0
        halt
)");
  r.c.setReg(10, 0x4000);
  const Outcome o = r.go();
  EXPECT_EQ(o.cycles, 8u);
}

TEST(RtlDirected, MultiplyDivideAndDivideFault) {
  Prog r(R"(
start:  { li r1, -100 ; li r2, 7 }
        { div r3, r1, r2 }
        { rem r4, r1, r2 }
        { divu r5, r1, r2 }
        { remu r6, r1, r2 }
        { mulh r7, r1, r2 }
        { mulhu r8, r1, r2 }
        { add r9, r3, r4 ; mul r10, r3, r4 }
        { div r11, r1, r0 }
        halt
)");
  r.go();
  EXPECT_EQ(r.c.reg(3), static_cast<uint32_t>(-14));
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::DIVIDE));
}

TEST(RtlDirected, BranchesCallAndJalr) {
  Prog r(R"(
start:  { li r1, 10 ; li r2, 0 }
loop:   { addi r1, r1, -1 ; addi r2, r2, 3 }
        { bnz r1, loop }
        { li r3, 4 ; beq r3, r3, over }
        li r4, 99
over:   { blt r1, r3, l2 }
        li r4, 98
l2:     { bgeu r1, r3, bad }
        call func
        { jalr r5, r6 }
bad:    li r4, 97
func:   { li r6, %lo(back) ; jalr zero, lr }
back:   halt
)");
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::Halted);
  EXPECT_EQ(r.c.reg(2), 30u);
  EXPECT_NE(r.c.reg(4), 97u);
}

TEST(RtlDirected, CommitAndRollback) {
  Prog r(R"(
start:  { li r1, 11 ; li r33, 5 }
        { li r2, 22 ; mtsr segbase3, r1 } commit
        { li r1, 111 ; li r34, 6 }
        { add.cc.32 r2, r1, r1 ; mtsr segbase3, r33 }
        { li r35, 7 ; rollback }
        mfsr r36, segbase3
        mfsr r37, xflags
        halt commit
)");
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::Halted);
  EXPECT_EQ(r.c.reg(1), 11u);
  EXPECT_EQ(r.c.reg(2), 22u);
  EXPECT_EQ(r.c.reg(36), 11u);
  EXPECT_EQ(r.c.reg(34), 6u);  // unshadowed
}

TEST(RtlDirected, StoreBufferForwardingAndDrain) {
  Prog r(R"(
start:  li r1, 0x7744
        lih r1, 0x1122
        stg32 r1, 0(r10)
        { li r2, 0x55 }
        stg8 r2, 1(r10)
        ldg32 r3, 0(r10)
        ld32 r4, 0(r11)
        ldg16u r5, 3(r10)
        { mfsr r6, sbcount } commit
        ld32 r7, 0(r11)
        halt commit
)");
  r.c.setReg(10, 0x0040'2000);
  r.c.setReg(11, 0x6000);
  r.c.tlbInsert(0x0040'2000, 0x6000 | kRWD);
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::Halted);
  EXPECT_EQ(r.c.reg(3), 0x11225544u);
  EXPECT_EQ(r.c.reg(4), 0u);  // host loads do not forward
  EXPECT_EQ(r.c.reg(6), 2u);
  EXPECT_EQ(r.c.reg(7), 0x11225544u);
}

TEST(RtlDirected, StoreBufferOverflow) {
  IssConfig cfg = smallConfig();
  cfg.storeBufferEntries = 2;
  Prog r(R"(
start:  stg32 r1, 0(r10)
        stg32 r1, 4(r10)
        stg32 r1, 8(r10)
        halt
)", cfg);
  r.c.setReg(10, 0x0040'2000);
  r.c.tlbInsert(0x0040'2000, 0x6000 | kRWD);
  r.go();
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::SB_OVERFLOW));
  EXPECT_EQ(r.c.reg(41), 0x6008u);
}

TEST(RtlDirected, PageCrossingStoreTakesTwoEntries) {
  Prog r(R"(
start:  li r1, 0x5678
        lih r1, 0x1234
        stg32 r1, 0(r10)
        ldg32 r2, 0(r10)
        { mfsr r3, sbcount } commit
        halt commit
)");
  r.c.setReg(10, 0x0040'2FFE);
  r.c.tlbInsert(0x0040'2000, 0x6000 | kRWD);
  r.c.tlbInsert(0x0040'3000, 0x9000 | kRWD);
  r.go();
  EXPECT_EQ(r.c.reg(2), 0x12345678u);
  EXPECT_EQ(r.c.reg(3), 2u);
}

TEST(RtlDirected, AliasFault) {
  Prog r(R"(
start:  ldp32 r1, 4(r10), a1
        stc32 r2, (r11), 0x01
        stc32 r2, (r11), 0x02
        halt
)");
  r.c.setReg(10, 0x0040'2000);
  r.c.setReg(11, 0x0040'2006);
  r.c.tlbInsert(0x0040'2000, 0x6000 | kRWD);
  r.go();
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::ALIAS));
  EXPECT_EQ(r.c.reg(41), 0x6006u);
}

TEST(RtlDirected, TranslatedBitFault) {
  Prog r(R"(
start:  stg8 r1, 0x7F(r10)
        stg16 r1, 0xFF(r10)
        halt
)");
  r.c.setReg(10, 0x0040'2000);
  r.c.tlbInsert(0x0040'2000, 0x6000 | kRWD);
  r.c.setTranslated(0x6100, 1, true);
  r.go();
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::TBIT));
  EXPECT_EQ(r.c.reg(41), 0x6100u);
  EXPECT_EQ(r.c.reg(42), 0x5u);  // write, 2 bytes
}

struct EchoBus final : hostisa::iss::IoBus {
  uint32_t last = 0;
  uint32_t read(uint32_t paddr, unsigned size) override { return paddr + size; }
  void write(uint32_t, unsigned, uint32_t value) override { last = value; }
};

TEST(RtlDirected, IoSpaceAccessesAndFaults) {
  Prog r(R"(
start:  ldio32 r1, 8(r10)
        { li r2, 0x1AB }
        stio16 r2, 2(r10)
        ld8s r3, 0(r12)
        stg32 r2, 0(r11)
        stio8 r2, 0(r10)
        halt
)");
  EchoBus bus;
  r.c.setIoBus(&bus);
  r.c.setReg(10, 0x0040'5000);
  r.c.setReg(11, 0x0040'2000);
  r.c.setReg(12, 0xA000);
  r.c.tlbInsert(0x0040'5000, 0xA000 | kRWD);
  r.c.tlbInsert(0x0040'2000, 0x6000 | kRWD);
  r.c.setIoSpace(0xA000, 0x1000, true);
  r.go();
  EXPECT_EQ(r.c.reg(1), 0xA00Cu);
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::IO_ORDER));
}

// 8-atom molecules (hostisa.max_atoms = 8): two LSU atoms per molecule (slots 2 and 6), in
// slot order -- both read memory and the store buffer as they were before the molecule, the
// second sees the first's pushes as pending (capacity, IO_ORDER), the ldp's alias range is
// set at apply time, I/O accesses reach the bus in slot order -- and four ALUs.
struct LogBus final : hostisa::iss::IoBus {
  std::vector<std::string> log;
  uint32_t read(uint32_t paddr, unsigned size) override {
    log.push_back("r" + std::to_string(paddr));
    return paddr + size;
  }
  void write(uint32_t paddr, unsigned, uint32_t value) override {
    log.push_back("w" + std::to_string(paddr) + "=" + std::to_string(value));
  }
};

TEST(RtlDirected, EightAtomMolecules) {
  IssConfig cfg = smallConfig();
  cfg.features.maxAtoms = 8;
  Prog r(R"(
start:  { li r1, 0x4433 ; li r3, 7 }
        { lih r1, 0x1122 ; li r4, 9 }
        { st32 r1, 0(r11) ; li r9, 1 }
        # host store and host load of one word: the load sees memory before the molecule
        { st32 r3, 0(r11) ; ld32 r5, 0(r11) ; add r6, r3, r4 ; sub r7, r3, r4 ; addi r8, r3, 100 ; mul r26, r3, r4 }
        # a gated store and a guest load of the same bytes: no forwarding within the molecule
        { stg32 r4, 0(r10) ; ldg32 r13, 0(r10) ; li r14, 3 ; li r15, 4 ; li r16, 5 }
        # next molecule: both loads forward from the buffer
        { ldg32 r17, 0(r10) ; ldg16u r18, 0(r10) ; mfsr r19, sbcount }
        # two pushes of one byte, drained in order at the commit
        { stg8 r3, 1(r10) ; stg8 r4, 1(r10) } commit
        { ld32 r20, 0(r12) ; ldg8u r21, 1(r10) }
        # the I/O bus sees slot 2's access before slot 6's
        { stio32 r3, 4(r27) ; ldio32 r23, 8(r27) }
        { ldio16u r24, 2(r27) ; stio8 r4, 1(r27) }
        # ldp then stc on the same bytes in one molecule: the alias range is set at apply
        { ldp32 r22, 0(r10), a1 ; stc32 r3, (r10), 0x02 }
        # a later molecule: the alias register now protects the range
        { li r25, 1 ; stc32 r3, (r10), 0x02 }
        halt
)", cfg);
  LogBus bus;
  r.c.setIoBus(&bus);
  r.c.setReg(10, 0x0040'2000);
  r.c.setReg(11, 0x7000);
  r.c.setReg(12, 0x6000);
  r.c.setReg(27, 0x0040'5000);
  r.c.tlbInsert(0x0040'2000, 0x6000 | kRWD);
  r.c.tlbInsert(0x0040'5000, 0xA000 | kRWD);
  r.c.setIoSpace(0xA000, 0x1000, true);
  r.c.writeMemory(0x6000, std::vector<uint8_t>{0xEF, 0xBE, 0xAD, 0xDE});
  const Outcome o = r.go();
  EXPECT_EQ(r.c.reg(5), 0x11224433u);   // before the molecule's host store
  EXPECT_EQ(r.c.reg(6), 16u);
  EXPECT_EQ(r.c.reg(26), 63u);
  EXPECT_EQ(r.c.reg(13), 0xDEADBEEFu);  // not forwarded from its own molecule's push
  EXPECT_EQ(r.c.reg(17), 9u);           // forwarded
  EXPECT_EQ(r.c.reg(18), 9u);
  EXPECT_EQ(r.c.reg(19), 1u);
  EXPECT_EQ(r.c.reg(20), 0x00000909u);  // drained in order: the younger byte wins
  EXPECT_EQ(r.c.reg(21), 9u);
  EXPECT_EQ(r.c.reg(23), 0xA00Cu);
  EXPECT_EQ(r.c.reg(24), 0xA004u);
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::ALIAS));
  EXPECT_EQ(r.c.reg(25), 0u);           // the alias fault came first
  EXPECT_GT(o.molecules, 10u);
  ASSERT_EQ(bus.log.size(), 4u);
  EXPECT_EQ(bus.log[0], "w40964=7");    // 0xA004
  EXPECT_EQ(bus.log[1], "r40968");      // 0xA008
  EXPECT_EQ(bus.log[2], "r40962");
  EXPECT_EQ(bus.log[3], "w40961=9");
}

// Code written by the molecule just before it (a host store, and a commit draining gated
// stores): the RTL must not execute the molecule it prefetched at that edge (docs/rtl.md).
TEST(RtlDirected, SelfModifyingCode) {
  Prog r(R"(
start:  ld32 r3, 0(r10)
        ld32 r4, 4(r10)
        st32 r3, 0(r11)
        st32 r4, 4(r11)
dst:    { li r5, 1 ; nop }
        stg32 r3, 0(r12)
        { stg32 r4, 4(r12) } commit
dst2:   { li r6, 1 ; nop }
        halt
repl:   { li r7, 77 ; nop }
)");
  const uint32_t dst2 = r.symbol("dst2");
  r.c.setReg(10, r.symbol("repl"));
  r.c.setReg(11, r.symbol("dst"));
  r.c.setReg(12, 0x0040'0000 | (dst2 & 0xFFFu));
  r.c.tlbInsert(0x0040'0000, (dst2 & ~0xFFFu) | kRWD);
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::Halted);
  EXPECT_EQ(r.c.reg(5), 0u);   // dst became `li r7, 77`
  EXPECT_EQ(r.c.reg(6), 0u);   // so did dst2
  EXPECT_EQ(r.c.reg(7), 77u);
}

// Host changes between molecules reach the molecule the RTL already prefetched: data
// written through directMemory() (loads read memory at the retire edge), code written with
// writeMemory(), T-bits and I/O bits (the RTL fetches again). ISS and RTL are stepped side
// by side (Cosim has no directMemory) and compared after every molecule.
TEST(RtlDirected, HostWritesBetweenMolecules) {
  const char* src = R"(
start:  ld32 r1, 0(r11)
        ld32 r2, 0(r11)
        ldg32 r3, 0(r10)
        ldg32 r4, 0(r10)
next:   { li r5, 1 ; nop }
        { li r6, 1 ; nop }
        ld8u r8, 0(r12)
        stg32 r1, 0x100(r10)
        halt
)";
  IssConfig cfg = smallConfig();
  hostisa::iss::Iss iss(cfg);
  rtl::RtlCore rtl(cfg);
  std::vector<hostisa::AsmSymbol> symbols;
  for (CoreApi* c : {static_cast<CoreApi*>(&iss), static_cast<CoreApi*>(&rtl)}) {
    const uint32_t entry = load(*c, src, &symbols);
    c->reset(entry);
    c->setReg(10, 0x0040'2000);
    c->setReg(11, 0x6000);
    c->setReg(12, 0xA000);
    c->tlbInsert(0x0040'2000, 0x6000 | kRWD);
  }
  uint32_t next = 0;
  for (const auto& sym : symbols)
    if (sym.name == "next") next = static_cast<uint32_t>(sym.value);
  ASSERT_NE(next, 0u);
  // The molecule `{ li r7, 77 ; nop }`, taken from an assembly of its own.
  hostisa::AsmOptions opt;
  const hostisa::AsmResult repl = hostisa::assemble("{ li r7, 77 ; nop }\n", opt);
  ASSERT_TRUE(repl.ok);
  for (unsigned step = 0; step < 20 && !iss.stopped(); ++step) {
    SCOPED_TRACE("after molecule " + std::to_string(step));
    for (CoreApi* c : {static_cast<CoreApi*>(&iss), static_cast<CoreApi*>(&rtl)}) {
      const uint8_t v = static_cast<uint8_t>(0x10 + step);
      c->directMemory()[0x6000] = v;  // data the next loads read
      // Each change hits the molecule the RTL prefetched at the previous retire edge.
      if (step == 4) c->writeMemory(next, repl.image);     // its code
      if (step == 6) c->setIoSpace(0xA000, 0x1000, true);  // the host load now goes to the bus
      if (step == 7) c->setTranslated(0x6100, 4, true);    // the stg now faults (TBIT)
      c->step();
    }
    ASSERT_EQ(iss.pc(), rtl.pc());
    ASSERT_EQ(iss.cycles(), rtl.cycles());
    for (unsigned r = 1; r < 9; ++r) ASSERT_EQ(iss.reg(r), rtl.reg(r)) << "r" << r;
    ASSERT_EQ(iss.stopInfo().reason, rtl.stopInfo().reason);
  }
  EXPECT_EQ(rtl.reg(1), 0x10u);  // read after the host wrote 0x10 before molecule 0
  EXPECT_EQ(rtl.reg(2), 0x11u);
  EXPECT_EQ(rtl.reg(5), 0u);     // the rewritten molecule ran instead
  EXPECT_EQ(rtl.reg(7), 77u);
  EXPECT_EQ(rtl.reg(8), 0xFFu);  // I/O read without a bus: all ones
  EXPECT_EQ(rtl.stopInfo().reason, StopReason::UnhandledTrap);
  EXPECT_EQ(rtl.stopInfo().cause, TrapCause::TBIT);
}

TEST(RtlDirected, SpeculativeAccessToIoSpaceFaults) {
  Prog r(R"(
start:  ldg32 r1, 8(r10)
        halt
)");
  r.c.setReg(10, 0x0040'5000);
  r.c.tlbInsert(0x0040'5000, 0xA000 | kRWD);
  r.c.setIoSpace(0xA000, 0x1000, true);
  r.go();
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::IO_SPACE));
}

// TLB miss, protection and dirty faults, each fixed by a handler that remaps and retries.
TEST(RtlDirected, TlbMissProtDirty) {
  Prog r(R"(
start:  { li r20, 0 }
        ldg32 r1, 0(r10)
        stg32 r1, 0(r10)
        { mfsr r21, tcause } commit
        halt commit
fix:    { mfsr r30, tcause ; addi r20, r20, 1 }
        { li r31, 0x6001 }
        { seqi r32, r30, 5 }
        { bz r32, notprot }
        { li r31, 0x6003 }
notprot: { seqi r32, r30, 6 }
        { bz r32, go }
        { li r31, 0x6007 }
go:     { mfsr r33, tval }
        tlbwr r33, r31
        eret
)");
  r.tvec("fix");
  r.c.setReg(10, 0x0040'2010);
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::Halted);
  EXPECT_EQ(r.c.reg(20), 3u);  // miss, prot, dirty
}

TEST(RtlDirected, SoftwareTrapEretAndDoubleTrap) {
  Prog r(R"(
start:  { li r1, 1 ; trap 0x42 }
        { li r2, 2 }
        { div r3, r1, r0 }
        halt
h:      mfsr r10, tval
        mfsr r11, tpc
        { addi r12, r12, 1 ; bnz r12, second }
second: { seqi r13, r12, 1 }
        { bz r13, dbl }
        eret
dbl:    trap 7
)");
  r.tvec("h");
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::DoubleTrap);
  EXPECT_EQ(r.c.stopInfo().cause, TrapCause::SOFTWARE);  // trap 7 inside the handler
  EXPECT_EQ(r.c.stopInfo().tval, 7u);
  EXPECT_EQ(r.c.reg(10), 0u);  // tval of the second (DIVIDE) trap
  EXPECT_EQ(r.c.reg(2), 2u);
}

TEST(RtlDirected, UnhandledTrap) {
  Prog r(R"(
start:  { li r1, 1 }
        trap 3
)");
  r.c.setSreg(sr(Sreg::TVEC), 0);
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::UnhandledTrap);
}

struct AddService final : hostisa::iss::ServiceHandler {
  uint64_t service(unsigned number, CoreApi& core) override {
    core.setReg(2, core.reg(1) + number);
    const uint32_t v = 0xC0DE;
    core.writeMemory(0x7000, {reinterpret_cast<const uint8_t*>(&v), 4});
    return 17;
  }
};

TEST(RtlDirected, ServiceCall) {
  Prog r(R"(
start:  { li r1, 100 }
        { svc 5 } commit
        ld32 r3, 0(r4)
        { mfsr r5, cycle }
        svc 9
)");
  AddService h;
  r.c.setServiceHandler(&h);
  r.c.setReg(4, 0x7000);
  r.go(4);
  EXPECT_EQ(r.c.reg(2), 105u);
  EXPECT_EQ(r.c.reg(3), 0xC0DEu);
  r.c.setServiceHandler(nullptr);
  const Outcome o = r.go();
  EXPECT_EQ(o.stop, StopReason::UnhandledService);
  EXPECT_EQ(r.c.stopInfo().service, 9u);
}

TEST(RtlDirected, FetchAndIllegalFaults) {
  {
    Prog r(R"(
start:  { li r1, 0x1004 }
        jalr r2, r1
)");
    r.go();
    EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::FETCH));
  }
  Prog r2(R"(
start:  agen.32 r1, r2, ds
        halt
)", [] {
    IssConfig c = smallConfig();
    c.features.segAgen = false;
    return c;
  }());
  r2.go();
  EXPECT_EQ(r2.c.reg(40), static_cast<uint32_t>(TrapCause::ILLEGAL));
}

TEST(RtlDirected, SegmentAgen) {
  Prog r(R"(
start:  { mtsr segbase3, r1 }
        { mtsr seglim3, r2 }
        agen.32 r3, r4, ds
        agen.16 r5, r6, ds
        halt
)");
  r.c.setReg(1, 0x10000);
  r.c.setReg(2, 0xFF);
  r.c.setReg(4, 0x10);
  r.c.setReg(6, 0xFF);
  r.go();
  EXPECT_EQ(r.c.reg(3), 0x10010u);
  EXPECT_EQ(r.c.reg(40), static_cast<uint32_t>(TrapCause::SEGMENT));
}

// The checker itself: a state difference is reported at the first molecule, with pc,
// disassembly and expected vs actual.
TEST(RtlDirected, CosimReportsTheFirstDivergence) {
  rtl::Cosim c(smallConfig());
  const uint32_t entry = load(c, "start: add r1, r2, r3\nhalt\n");
  c.reset(entry);
  c.rtl().setReg(3, 1);  // the RTL alone
  EXPECT_FALSE(c.step());
  ASSERT_TRUE(c.divergence().has_value());
  const std::string& rep = *c.divergence();
  EXPECT_NE(rep.find("pc 0x1000"), std::string::npos) << rep;
  EXPECT_NE(rep.find("add r1, r2, r3"), std::string::npos) << rep;
  EXPECT_NE(rep.find("r1: expected 0x0, actual 0x1"), std::string::npos) << rep;
  EXPECT_TRUE(c.stopped());
}

TEST(RtlDirected, FstTrace) {
  const std::string path = (std::filesystem::temp_directory_path() / "cm_rtl_trace_test.fst").string();
  {
    rtl::RtlCore core(smallConfig());
    const uint32_t entry = load(core, "start: { li r1, 3 ; li r2, 4 }\nadd r3, r1, r2\nhalt\n");
    core.reset(entry);
    core.openTrace(path);
    core.run();
    core.closeTrace();
    EXPECT_EQ(core.reg(3), 7u);
  }
  EXPECT_GT(std::filesystem::file_size(path), 100u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace cmrtl
