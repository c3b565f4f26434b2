// Each firmware routine on a core model -- the ISS, the RTL, or both in lockstep
// (fw_machine.h) -- (docs/cms-runtime.md 2-6): reset and BOOT,
// the lookup probe (hit, miss, context, collisions, hit counting and PROMOTE), the
// commit after every service call, the exits (interpret, budget, indirect), trap entry
// with the TLB-fill retry and the rollback-then-FAULT path, and the halt/resume glue.
#include <gtest/gtest.h>

#include "fw_machine.h"

namespace codemorph::firmware::test {
namespace {

constexpr unsigned kBoot = static_cast<unsigned>(Service::BOOT);
constexpr unsigned kDispatch = static_cast<unsigned>(Service::DISPATCH);
constexpr unsigned kInterpret = static_cast<unsigned>(Service::INTERPRET);
constexpr unsigned kBudget = static_cast<unsigned>(Service::BUDGET);
constexpr unsigned kTlbFill = static_cast<unsigned>(Service::TLB_FILL);
constexpr unsigned kFault = static_cast<unsigned>(Service::FAULT);
constexpr unsigned kPromote = static_cast<unsigned>(Service::PROMOTE);

// BOOT also sets the x86 state of the tests: r9 = eip, r1 = 5, r3 = 0x5000.
void bootAt(FwMachine& m, uint32_t eip) {
  m.onService = [&m, eip, inner = m.onService](unsigned n, CoreApi& c) {
    if (n == kBoot) {
      c.setReg(kReg_eip, eip);
      c.setReg(1, 5);
      c.setReg(3, 0x5000);
    }
    if (inner) inner(n, c);
  };
}
void haltOn(FwMachine& m, unsigned service) {
  m.onService = [&m, service](unsigned n, CoreApi& c) {
    if (n == service) c.setPc(m.entry(&Entries::halt));
  };
}

TEST(FW_SUITE, EntryPointsAreMoleculeAligned) {
  const Entries& e = entries();
  EXPECT_EQ(e.reset, 0u);
  EXPECT_EQ(e.resume, e.halt + 8);  // run() continues after the halt molecule
  for (uint32_t off : {e.halt, e.resume, e.dispatch, e.dispatchIndirect, e.interpret, e.exitBudget, e.trap, e.fault})
    EXPECT_EQ(off % 8, 0u);
  EXPECT_LE(image().size(), kAbi_FIRMWARE_MAX_BYTES);
  EXPECT_EQ(symbol("LOOKUP_HASH_SHIFT"), kAbi_LOOKUP_HASH_SHIFT);  // the .equ lines match abi.h
  EXPECT_EQ(symbol("SVC_FAULT"), kFault);
  EXPECT_THROW(symbol("no_such_symbol"), std::out_of_range);
}

TEST(FW_SUITE, ResetBootsThenAMissCallsDispatch) {
  FwMachine m;
  haltOn(m, kDispatch);
  bootAt(m, 0x1234);
  m.runFromReset();
  ASSERT_EQ(m.calls.size(), 2u);
  EXPECT_EQ(m.calls[0].number, kBoot);
  EXPECT_EQ(m.calls[1].number, kDispatch);
  EXPECT_EQ(m.calls[1].eip, 0x1234u);
  EXPECT_EQ(m.core.stopInfo().reason, hostisa::iss::StopReason::Halted);
  EXPECT_EQ(m.core.sreg(static_cast<unsigned>(Sreg::TVEC)), m.entry(&Entries::trap));
}

TEST(FW_SUITE, LookupHitJumpsToTheTranslationAndCounts) {
  FwMachine m;
  bootAt(m, 0x1234);
  m.installLookup(0x1234, 1, m.tcache(), 5);
  m.place(m.tcache(), "li r1, 77\nhalt\n");
  m.runFromReset();
  EXPECT_EQ(m.core.reg(1), 77u);
  EXPECT_EQ(m.lookupCount(0x1234), 6u);
  EXPECT_EQ(m.calls.size(), 1u);  // BOOT only
}

TEST(FW_SUITE, WrongContextOrCollidingEipMisses) {
  for (int variant = 0; variant < 2; ++variant) {
    FwMachine m;
    haltOn(m, kDispatch);
    bootAt(m, 0x1234);
    // Same index: bit 24 of the EIP lands outside the mask both directly and shifted.
    const uint32_t eip = variant == 0 ? 0x1234u : 0x1234u ^ (1u << 24);
    ASSERT_EQ(lookupIndex(eip), lookupIndex(0x1234));
    m.installLookup(eip, variant == 0 ? 2u : 1u, m.tcache());
    m.place(m.tcache(), "li r1, 77\nhalt\n");
    m.runFromReset();
    ASSERT_EQ(m.calls.size(), 2u) << variant;
    EXPECT_EQ(m.calls[1].number, kDispatch);
    EXPECT_EQ(m.core.reg(1), 5u);
  }
}

TEST(FW_SUITE, HotCountCallsPromoteOnce) {
  FwMachine m;
  haltOn(m, kPromote);
  bootAt(m, 0x1234);
  m.installLookup(0x1234, 1, m.tcache(), m.hot - 1);
  m.runFromReset();
  ASSERT_EQ(m.calls.size(), 2u);
  EXPECT_EQ(m.calls[1].number, kPromote);
  EXPECT_EQ(m.calls[1].eip, 0x1234u);
  EXPECT_EQ(m.lookupCount(0x1234), m.hot);
}

TEST(FW_SUITE, ServiceResultsAreCommittedBeforeTheNextTranslation) {
  FwMachine m;
  bootAt(m, 0x1234);
  std::vector<uint32_t> r1AtBudget;
  m.onService = [&, inner = m.onService](unsigned n, CoreApi& c) {
    inner(n, c);
    if (n != kBudget) return;
    r1AtBudget.push_back(c.reg(1));
    if (r1AtBudget.size() == 1) c.setReg(1, 42);
    else c.setPc(m.entry(&Entries::halt));
  };
  m.installLookup(0x1234, 1, m.tcache());
  // A translation whose entry check fails: it rolls back and leaves through fw_exit_budget.
  m.place(m.tcache(), "li r1, 99\nrollback\nj FW_EXIT_BUDGET\n");
  m.runFromReset();
  ASSERT_EQ(r1AtBudget.size(), 2u);
  EXPECT_EQ(r1AtBudget[0], 5u);   // the committed state of BOOT
  EXPECT_EQ(r1AtBudget[1], 42u);  // what the CMS wrote survived the rollback
}

TEST(FW_SUITE, InterpretExitCallsInterpretWithTheExitEip) {
  FwMachine m;
  haltOn(m, kInterpret);
  bootAt(m, 0x1234);
  m.installLookup(0x1234, 1, m.tcache());
  m.place(m.tcache(), "li r9, 0x3333\nj FW_INTERPRET commit\n");
  m.runFromReset();
  ASSERT_EQ(m.calls.size(), 2u);
  EXPECT_EQ(m.calls[1].number, kInterpret);
  EXPECT_EQ(m.calls[1].eip, 0x3333u);
}

TEST(FW_SUITE, IndirectExitProbesTheLookupTable) {
  FwMachine m;
  bootAt(m, 0x1234);
  m.installLookup(0x1234, 1, m.tcache());
  m.installLookup(0x4444, 1, m.tcache() + 0x100);
  m.place(m.tcache(), "li r9, 0x4444\nj FW_DISPATCH_INDIRECT commit\n");
  m.place(m.tcache() + 0x100, "li r5, 1\nhalt\n");
  m.runFromReset();
  EXPECT_EQ(m.core.reg(5), 1u);
  EXPECT_EQ(m.lookupCount(0x4444), 1u);
  EXPECT_EQ(m.calls.size(), 1u);
}

TEST(FW_SUITE, TlbMissIsFilledAndTheMoleculeRetried) {
  FwMachine m;
  bootAt(m, 0x1234);
  m.onService = [&, inner = m.onService](unsigned n, CoreApi& c) {
    inner(n, c);
    if (n != kTlbFill) return;
    c.tlbInsert(c.sreg(static_cast<unsigned>(Sreg::TVAL)),
                0x5000u | hostisa::kTlbValid | hostisa::kTlbWritable | hostisa::kTlbDirtyOk);
    c.setReg(kReg_result, 0);
  };
  const uint32_t v = 0xCAFEF00D;
  m.core.writeMemory(0x5000, {reinterpret_cast<const uint8_t*>(&v), 4});
  m.installLookup(0x1234, 1, m.tcache());
  m.place(m.tcache(), "li r1, 7\nldg32 r2, 0(r3)\nhalt\n");
  m.runFromReset();
  EXPECT_EQ(m.core.reg(2), v);
  EXPECT_EQ(m.core.reg(1), 7u);  // nothing was rolled back
  ASSERT_EQ(m.calls.size(), 2u);
  EXPECT_EQ(m.calls[1].number, kTlbFill);
  EXPECT_TRUE(m.calls[1].trapMode);
  EXPECT_EQ(m.word(m.data() + kAbi_DATA_TRAP_CAUSE), static_cast<uint32_t>(hostisa::TrapCause::TLB_MISS));
  EXPECT_EQ(m.word(m.data() + kAbi_DATA_TRAP_VAL), 0x5000u);
  EXPECT_EQ(m.word(m.data() + kAbi_DATA_TRAP_PC), m.tcache() + 8);
  EXPECT_EQ(m.word(m.data() + kAbi_DATA_TRAPS), 1u);
  EXPECT_EQ(m.core.sreg(static_cast<unsigned>(Sreg::TSTATUS)) & 1, 0u);
}

TEST(FW_SUITE, FailedTlbFillRollsBackAndCallsFault) {
  FwMachine m;
  bootAt(m, 0x1234);
  uint32_t r1AtFault = 0;
  m.onService = [&, inner = m.onService](unsigned n, CoreApi& c) {
    inner(n, c);
    if (n == kTlbFill) c.setReg(kReg_result, 1);  // the x86 access faults
    if (n == kFault) {
      r1AtFault = c.reg(1);
      c.setReg(kReg_eip, 0x2000);
    }
    if (n == kDispatch) c.setPc(m.entry(&Entries::halt));
  };
  m.installLookup(0x1234, 1, m.tcache());
  m.place(m.tcache(), "li r1, 7\nldg32 r2, 0(r3)\nhalt\n");
  m.runFromReset();
  ASSERT_EQ(m.calls.size(), 4u);
  EXPECT_EQ(m.calls[1].number, kTlbFill);
  EXPECT_EQ(m.calls[2].number, kFault);
  EXPECT_TRUE(m.calls[2].trapMode);
  EXPECT_EQ(r1AtFault, 5u);  // rolled back to the committed state
  EXPECT_EQ(m.calls[3].number, kDispatch);
  EXPECT_EQ(m.calls[3].eip, 0x2000u);
  EXPECT_FALSE(m.calls[3].trapMode);  // trap mode left before dispatching
}

TEST(FW_SUITE, OtherTrapsRollBackAndCallFault) {
  FwMachine m;
  haltOn(m, kFault);
  bootAt(m, 0x1234);
  m.installLookup(0x1234, 1, m.tcache());
  m.place(m.tcache(), "li r1, 7\ndiv r2, r1, zero\nhalt\n");
  m.runFromReset();
  ASSERT_EQ(m.calls.size(), 2u);
  EXPECT_EQ(m.calls[1].number, kFault);
  EXPECT_EQ(m.core.reg(1), 5u);
  EXPECT_EQ(m.word(m.data() + kAbi_DATA_TRAP_CAUSE), static_cast<uint32_t>(hostisa::TrapCause::DIVIDE));
}

TEST(FW_SUITE, HaltStopsTheCoreAndResumeDispatches) {
  FwMachine m;
  haltOn(m, kDispatch);
  bootAt(m, 0x1234);
  m.runFromReset();
  ASSERT_EQ(m.calls.size(), 2u);
  m.core.resume();
  m.core.run(UINT64_MAX, 1000);
  ASSERT_EQ(m.calls.size(), 3u);
  EXPECT_EQ(m.calls[2].number, kDispatch);
}

}  // namespace
}  // namespace codemorph::firmware::test
