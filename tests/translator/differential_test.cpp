// Differential test of the translator (docs/translator.md "Testing"): random x86 regions
// (harness/region_generator.h), translated at gear 2 and gear 3, run on the reference ISS
// and compared with the x86 reference interpreter running the same instructions: GPRs, EIP,
// defined arithmetic flags, budget and memory. Some regions get a trace direction that the
// execution does not take (a side exit fires) and some a budget too small (the entry check
// must roll back). Region counts are fixed; the seed is fixed so failures reproduce.
#include <gtest/gtest.h>

#include <codemorph/hostisa/disassembler.h>
#include <codemorph/x86/disasm.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "harness/region_generator.h"
#include "harness/translation_runner.h"
#include "../cms/diff/rng.h"

namespace codemorph::translator::test {
namespace {

#ifndef TRANSLATOR_DIFF_REGIONS
#define TRANSLATOR_DIFF_REGIONS 3000
#endif
#ifndef TRANSLATOR_DIFF_MAX_INSNS
#define TRANSLATOR_DIFF_MAX_INSNS 24
#endif
// The long variant (CMakeLists.txt) names its suite differently so ctest names stay unique.
#ifndef TRANSLATOR_DIFF_SUITE
#define TRANSLATOR_DIFF_SUITE TranslatorDiff
#endif

struct Totals {
  uint64_t regions = 0, translations = 0, x86Insns = 0, retired = 0, cycles = 0, molecules = 0, atoms = 0;
  uint64_t translateNs = 0, aliasRetranslations = 0, speculativeFaults = 0, sideExits = 0, budgetExits = 0, interpretExits = 0, indirectExits = 0;
};

bool isConditional(const x86::DecodedInsn& i) {
  using M = x86::Mnemonic;
  return i.mnemonic == M::JCC || i.mnemonic == M::LOOP || i.mnemonic == M::LOOPE || i.mnemonic == M::LOOPNE ||
         i.mnemonic == M::JCXZ;
}

void runMode(cms::diff::Mode mode, uint64_t seed, unsigned regions, Totals (&totals)[2]) {
  RegionGenerator gen(mode);
  unsigned failures = 0;
  for (unsigned n = 0; n < regions && failures < 5; ++n) {
    cms::diff::Rng rng(seed * 7 + 1 + n * 0x9E3779B97F4A7C15ull);  // per region: CODEMORPH_DIFF_ONLY reproduces
    // CODEMORPH_DIFF_MAX_INSNS overrides the region length limit (the CMS's traces reach 64).
    const char* maxEnv = std::getenv("CODEMORPH_DIFF_MAX_INSNS");
    const unsigned maxInsns = maxEnv ? static_cast<unsigned>(std::strtoul(maxEnv, nullptr, 0)) : TRANSLATOR_DIFF_MAX_INSNS;
    const GeneratedRegion g = gen.generate(seed, n, maxInsns);
    if (g.eips.empty()) continue;
    // CODEMORPH_DIFF_ONLY=<n>: translate only region n (with CODEMORPH_TRANSLATOR_DUMP).
    if (const char* only = std::getenv("CODEMORPH_DIFF_ONLY"); only && std::strtoul(only, nullptr, 0) != n) continue;
    TranslateRequest req;
    req.insns = regionFromTrace(g.ram, g.initial, g.eips);
    req.mode.code32 = g.initial.seg[cms::kCS].bigDefault();
    req.mode.stack32 = g.initial.seg[cms::kSS].bigDefault();
    req.placement = testPlacement();
    // Now and then the trace goes the other way at a conditional branch: a side exit.
    for (size_t i = 0; i + 1 < req.insns.size(); ++i)
      if (isConditional(req.insns[i].insn) && rng.chance(25)) {
        req.insns[i].followTaken = !req.insns[i].followTaken;
        break;
      }
    // The likely direction of a final conditional branch is the CMS's guess: either way.
    if (isConditional(req.insns.back().insn)) req.insns.back().followTaken = rng.chance(50);
    for (int gi = 0; gi < 2; ++gi) {
      req.options = TranslateOptions{};
      req.options.gear = gi == 0 ? Gear::Quick : Gear::Optimized;
      req.options.verifyIr = true;
      if (std::getenv("CODEMORPH_DIFF_NO_HOIST")) req.options.aliasHoisting = false;
      req.options.ioSafe = rng.chance(5);  // every access ldio/stio, in program order
      req.options.partialRegs = !rng.chance(10);  // hostisa.partial_regs off: no ins*/ext8h
      req.options.seg_agen = !rng.chance(10);     // hostisa.seg_agen off: no agen
      const unsigned widthPick = rng.below(10);
      req.options.maxAtoms = widthPick == 0 ? 2 : widthPick == 1 ? 8 : 4;
      const auto start = std::chrono::steady_clock::now();
      TranslateResult tr = translate(req);
      totals[gi].translateNs += static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
      if (!tr.ok) {
        // Only a region whose first instruction is not translated may be refused.
        ASSERT_FALSE(isTranslatable(req.insns[0].insn, req.mode))
            << "region " << n << " gear " << (gi + 2) << ": " << tr.error;
        continue;
      }
      const bool smallBudget = rng.chance(10);
      const uint32_t budget = smallBudget ? rng.below(tr.translation.x86Instructions) : 100000;
      IssRunConfig rc;
      rc.maxAtoms = req.options.maxAtoms;
      rc.hostTlb = rng.chance(20);
      rc.partialRegs = req.options.partialRegs;
      rc.segAgen = req.options.seg_agen;
      IssOutcome iss = runOnIss(tr.translation, g.initial, g.ram, budget, rc);
      Totals& tot = totals[gi];
      if (iss.landing == Landing::Trap && tr.translation.hoistedLoads > 0) {
        // A hoisted load overlapped a store (ALIAS, or an earlier fault of an access that
        // used its stale value): what the CMS does (docs/cms-runtime.md 6) is retranslate
        // without hoisting; that translation must then be right.
        ++tot.aliasRetranslations;
        req.options.aliasHoisting = false;
        tr = translate(req);
        ASSERT_TRUE(tr.ok) << tr.error;
        iss = runOnIss(tr.translation, g.initial, g.ram, budget, rc);
      }
      if (iss.landing == Landing::Trap && iss.cause != hostisa::TrapCause::ALIAS &&
          interpreterLeavesTrace(g.initial, g.ram, req.insns)) {
        ++tot.speculativeFaults;  // an access hoisted above a side exit that was taken
        continue;
      }
      const Translation& t = tr.translation;
      ++tot.translations;
      std::string diff;
      if (smallBudget) {
        ++tot.budgetExits;
        const InterpOutcome ref = runOnInterpreter(g.initial, g.ram, 0);
        if (iss.landing != Landing::ExitBudget) diff = std::string("landed at ") + landingName(iss.landing) + "\n";
        diff += compare(iss, ref, budget, 0);
      } else if (iss.landing == Landing::Trap || iss.landing == Landing::Other || iss.landing == Landing::ExitBudget) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "landed at %s (cause %u, tval %08x, tpc %08x)\n", landingName(iss.landing),
                      static_cast<unsigned>(iss.cause), iss.tval, iss.tpc);
        diff = buf;
      } else {
        const uint32_t retired = budget - iss.r30;
        bool known = false;
        for (const Exit& e : t.exits) known |= e.retired == retired;
        if (!known) diff = "retired count matches no exit\n";
        const InterpOutcome ref = runOnInterpreter(g.initial, g.ram, retired);
        diff += compare(iss, ref, budget, retired);
        tot.x86Insns += t.x86Instructions;
        tot.retired += retired;
        tot.cycles += iss.cycles;
        tot.molecules += t.molecules;
        tot.atoms += t.atoms;
        if (retired < t.x86Instructions && iss.landing == Landing::Dispatch) ++tot.sideExits;
        if (iss.landing == Landing::Interpret) ++tot.interpretExits;
        if (iss.landing == Landing::DispatchIndirect) ++tot.indirectExits;
      }
      if (!diff.empty()) {
        ++failures;
        std::string listing;
        for (const auto& ri : req.insns) {
          char buf[160];
          std::snprintf(buf, sizeof buf, "  %08x %s%s\n", ri.eip, x86::toString(ri.insn, ri.eip).c_str(),
                        ri.followTaken ? " (taken)" : "");
          listing += buf;
        }
        if (std::getenv("CODEMORPH_TRANSLATOR_DUMP")) {
          hostisa::DisasmOptions d;
          d.baseAddress = kCodeBase;
          d.maxAtoms = 8;
          listing += hostisa::disassembleImage(t.code, d);
        }
        ADD_FAILURE() << cms::diff::modeName(mode) << " region " << n << " gear " << (gi + 2) << " maxAtoms "
                      << req.options.maxAtoms << " budget " << budget << ":\n"
                      << diff << listing;
      }
    }
    ++totals[0].regions;
  }
}

void report(const char* name, const Totals& t) {
  std::printf("[%s] %llu translations, %llu x86 insns translated, %llu retired in %llu cycles (%.2f insn/cycle), "
              "%.2f atoms/molecule, %.2f molecules/x86 insn (static); exits: %llu side, %llu budget, %llu interpret, "
              "%llu indirect; %llu alias retranslations, %llu speculative faults; translate() %.1f us per x86 insn (verifier on)\n",
              name, static_cast<unsigned long long>(t.translations), static_cast<unsigned long long>(t.x86Insns),
              static_cast<unsigned long long>(t.retired), static_cast<unsigned long long>(t.cycles),
              t.cycles ? static_cast<double>(t.retired) / static_cast<double>(t.cycles) : 0.0,
              t.molecules ? static_cast<double>(t.atoms) / static_cast<double>(t.molecules) : 0.0,
              t.x86Insns ? static_cast<double>(t.molecules) / static_cast<double>(t.x86Insns) : 0.0,
              static_cast<unsigned long long>(t.sideExits), static_cast<unsigned long long>(t.budgetExits),
              static_cast<unsigned long long>(t.interpretExits), static_cast<unsigned long long>(t.indirectExits),
              static_cast<unsigned long long>(t.aliasRetranslations),
              static_cast<unsigned long long>(t.speculativeFaults),
              t.x86Insns ? static_cast<double>(t.translateNs) / 1000.0 / static_cast<double>(t.x86Insns) : 0.0);
}

TEST(TRANSLATOR_DIFF_SUITE, Flat32) {
  Totals t[2];
  runMode(cms::diff::Mode::Flat32, 0xC0DE32, TRANSLATOR_DIFF_REGIONS, t);
  report("flat32 gear2", t[0]);
  report("flat32 gear3", t[1]);
  EXPECT_GT(t[0].x86Insns, 10u * TRANSLATOR_DIFF_REGIONS / 2);
}

TEST(TRANSLATOR_DIFF_SUITE, Real16) {
  Totals t[2];
  runMode(cms::diff::Mode::Real16, 0xC0DE16, TRANSLATOR_DIFF_REGIONS, t);
  report("real16 gear2", t[0]);
  report("real16 gear3", t[1]);
  EXPECT_GT(t[0].x86Insns, 10u * TRANSLATOR_DIFF_REGIONS / 2);
}

}  // namespace
}  // namespace codemorph::translator::test
