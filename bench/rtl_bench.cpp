// RTL core throughput (CODEMORPH_RTL): the ISS benchmark's loop program (nested loops of
// ALU work, guest loads and gated stores through the host TLB, a commit per inner loop) on
// the verilated core alone and in lockstep cosim with the ISS. Reports modelled cycles/s
// and molecules/s. Recorded figures: docs/PERFORMANCE.md ("RTL").
#include <benchmark/benchmark.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/isa.h"
#include "codemorph/rtl/cosim.h"
#include "codemorph/rtl/rtl_core.h"

namespace {

using namespace codemorph::hostisa;
using codemorph::hostisa::iss::CoreApi;
using codemorph::hostisa::iss::IssConfig;

constexpr const char* kLoopProgram = R"(
outer:  { li r1, 16 ; li r2, 0 ; nop ; nop }
        { addi r5, r5, 3 ; lih r2, 1 ; ld32 r10, 0(r3) ; nop }
inner:  { add r4, r4, r5 ; xor r6, r6, r4 ; ldg32 r7, 0(r2) ; nop }
        { addi r2, r2, 4 ; shli r8, r7, 1 ; stg32 r8, 64(r2) ; nop }
        { mul r9, r7, r4 ; addi r1, r1, -1 ; ldg32 r12, 60(r2) ; nop }
        { add r13, r13, r12 ; sub r14, r6, r9 ; st32 r13, 4(r3) ; bnz r1, inner }
        { addi r11, r11, -1 ; add r10, r10, r13 ; nop ; nop } commit
        { nop ; nop ; nop ; bnz r11, outer }
        { nop ; nop ; nop ; halt }
)";
constexpr uint32_t kBase = 0x1000;

std::vector<uint8_t> program() {
  AsmOptions opts;
  opts.fileName = "rtl_bench";
  opts.baseAddress = kBase;
  const AsmResult r = assemble(kLoopProgram, opts);
  if (!r.ok) throw std::runtime_error(r.errorText());
  return r.image;
}

template <class Core>
void runCore(benchmark::State& state) {
  IssConfig cfg;
  cfg.memBytes = 16u << 20;
  Core core(cfg);
  core.writeMemory(kBase, program());
  const uint32_t outerIters = static_cast<uint32_t>(state.range(0));
  double cycles = 0, molecules = 0;
  for (auto _ : state) {
    core.reset(kBase);
    core.tlbInsert(0x10000, 0x10000 | kTlbValid | kTlbWritable | kTlbDirtyOk);
    core.setReg(3, 0x8000);
    core.setReg(11, outerIters);
    uint64_t steps = 0;
    while (core.step()) ++steps;
    if (core.stopInfo().reason != codemorph::hostisa::iss::StopReason::Halted) state.SkipWithError("did not halt");
    cycles += static_cast<double>(core.cycles());
    molecules += static_cast<double>(steps);
  }
  state.counters["cycles/s"] = benchmark::Counter(cycles, benchmark::Counter::kIsRate);
  state.counters["molecules/s"] = benchmark::Counter(molecules, benchmark::Counter::kIsRate);
}

void BM_RtlBare(benchmark::State& state) { runCore<codemorph::rtl::RtlCore>(state); }
void BM_RtlCosim(benchmark::State& state) { runCore<codemorph::rtl::Cosim>(state); }

BENCHMARK(BM_RtlBare)->Arg(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RtlCosim)->Arg(500)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
