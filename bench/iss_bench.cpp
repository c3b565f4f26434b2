// ISS throughput: a loop-heavy VLIW program (nested loops of ALU work, guest loads and
// gated stores through the host TLB, a commit per inner loop) run to its halt, with the
// timing model on and off. Reports molecules/s and atoms/s (non-nop atoms) as rates.
// Usage and recorded figures: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "codemorph/hostisa/isa.h"
#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/support/stats.h"

namespace {

using namespace codemorph::hostisa;
using codemorph::hostisa::iss::Iss;
using codemorph::hostisa::iss::IssConfig;

Atom mk(Op op, unsigned rd = 0, unsigned rs1 = 0, unsigned rs2 = 0, int32_t imm = 0) {
  Atom a;
  a.op = op;
  a.rd = static_cast<uint8_t>(rd);
  a.rs1 = static_cast<uint8_t>(rs1);
  a.rs2 = static_cast<uint8_t>(rs2);
  a.imm = imm;
  return a;
}
Atom st(Op op, unsigned value, unsigned base, int32_t off) { return mk(op, 0, base, value, off); }

struct Image {
  std::vector<uint32_t> words;
  uint32_t base = 0x1000;
  uint32_t here() const { return base + 4 * static_cast<uint32_t>(words.size()); }
  uint32_t add(std::array<Atom, 4> slots, bool commit = false) {
    Molecule m;
    m.numAtoms = 4;
    m.commit = commit;
    for (unsigned i = 0; i < 4; ++i) m.atoms[i] = slots[i];
    const uint32_t at = here();
    uint32_t w[4];
    if (encodeMolecule(m, w) != 4) throw std::runtime_error("bench molecule does not encode");
    words.insert(words.end(), w, w + 4);
    return at;
  }
};

// r1 inner counter, r11 outer counter, r2 guest pointer, r3 host pointer, r4..r10 data.
Image program() {
  Image p;
  const Atom nop = mk(Op::NOP);
  // slots: 0 ALU/ALU0, 1 ALU, 2 LSU, 3 BRU
  const uint32_t outer = p.add({mk(Op::LI, 1, 0, 0, 16), mk(Op::LI, 2, 0, 0, 0), nop, nop});
  p.add({mk(Op::ADDI, 5, 5, 0, 3), mk(Op::LIH, 2, 0, 0, 1), mk(Op::LD32, 10, 3, 0, 0), nop});
  const uint32_t inner = p.add({mk(Op::ADD, 4, 4, 5), mk(Op::XOR, 6, 6, 4), mk(Op::LDG32, 7, 2, 0, 0), nop});
  p.add({mk(Op::ADDI, 2, 2, 0, 4), mk(Op::SHLI, 8, 7, 0, 1), st(Op::STG32, 8, 2, 64), nop});
  p.add({mk(Op::MUL, 9, 7, 4), mk(Op::ADDI, 1, 1, 0, -1), mk(Op::LDG32, 12, 2, 0, 60), nop});
  const uint32_t b = p.add({mk(Op::ADD, 13, 13, 12), mk(Op::SUB, 14, 6, 9), st(Op::ST32, 13, 3, 4),
                            mk(Op::BNZ, 0, 1, 0, 0)});
  p.add({mk(Op::ADDI, 11, 11, 0, -1), mk(Op::ADD, 10, 10, 13), nop, nop}, /*commit=*/true);
  const uint32_t ob = p.add({nop, nop, nop, mk(Op::BNZ, 0, 11, 0, 0)});
  p.add({nop, nop, nop, mk(Op::HALT)});
  // Patch the branch offsets (8-byte units relative to the branch molecule).
  auto patch = [&](uint32_t at, uint32_t target) {
    Molecule m;
    m.numAtoms = 4;
    const auto d = decodeMolecule(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(p.words.data()) + (at - p.base), 16));
    m = d.molecule;
    m.atoms[3].imm = (static_cast<int32_t>(target) - static_cast<int32_t>(at)) / 8;
    uint32_t w[4];
    encodeMolecule(m, w);
    std::copy(w, w + 4, p.words.begin() + (at - p.base) / 4);
  };
  patch(b, inner);
  patch(ob, outer);
  return p;
}

void runIss(benchmark::State& state, bool timing) {
  IssConfig cfg;
  cfg.memBytes = 16u << 20;
  cfg.timing = timing;
  Iss core(cfg);
  const Image img = program();
  core.writeMemory(img.base, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(img.words.data()), 4 * img.words.size()));
  codemorph::support::StatsRegistry stats;
  core.registerStats(stats);
  const uint32_t outerIters = static_cast<uint32_t>(state.range(0));
  double molecules = 0, atoms = 0;
  for (auto _ : state) {
    const double m0 = stats.value("iss.molecules"), a0 = stats.value("iss.atoms");
    core.reset(img.base);
    core.tlbInsert(0x10000, 0x10000 | kTlbValid | kTlbWritable | kTlbDirtyOk);
    core.setReg(3, 0x8000);
    core.setReg(11, outerIters);
    core.run();
    if (core.stopInfo().reason != iss::StopReason::Halted) state.SkipWithError("program did not halt");
    molecules += stats.value("iss.molecules") - m0;
    atoms += stats.value("iss.atoms") - a0;
  }
  state.counters["molecules/s"] = benchmark::Counter(molecules, benchmark::Counter::kIsRate);
  state.counters["atoms/s"] = benchmark::Counter(atoms, benchmark::Counter::kIsRate);
  state.counters["atoms/molecule"] = molecules ? atoms / molecules : 0;
  state.counters["cycles/molecule"] = static_cast<double>(core.cycles()) /
                                      (stats.value("iss.molecules") / static_cast<double>(state.iterations()));
}

void BM_IssTimingOn(benchmark::State& state) { runIss(state, true); }
void BM_IssTimingOff(benchmark::State& state) { runIss(state, false); }

}  // namespace

BENCHMARK(BM_IssTimingOn)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IssTimingOff)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
