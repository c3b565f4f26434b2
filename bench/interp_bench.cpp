// x86 interpreter throughput: a loop-heavy 32-bit flat-mode program (nested loops of
// loads, ALU work, a rotate, stores, LEA and a checksum) run to its HLT on the CMS
// interpreter. Reports retired x86 instructions/s as a rate counter and checks the
// checksum against a C++ model of the same loop. Usage and figures: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <codemorph/cms/interpreter.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

using namespace codemorph::cms;

constexpr uint32_t kCode = 0x1000;
constexpr uint32_t kData = 0x10000;
constexpr uint32_t kInner = 256;  // inner iterations per outer iteration

// 32-bit code (hand-assembled):
//   mov ebp, OUTER
// outer:
//   mov ecx, 256 ; mov esi, 10000h
// inner:
//   mov eax, [esi] ; add eax, ecx ; xor ebx, eax ; rol ebx, 5
//   mov [esi+400h], ebx ; add edx, ebx ; lea esi, [esi+4] ; dec ecx ; jnz inner
//   dec ebp ; jnz outer ; hlt
std::vector<uint8_t> program(uint32_t outer) {
  std::vector<uint8_t> p = {0xBD, 0, 0, 0, 0};
  std::memcpy(&p[1], &outer, 4);
  const uint8_t body[] = {
      0xB9, 0x00, 0x01, 0x00, 0x00,        // mov ecx, 256
      0xBE, 0x00, 0x00, 0x01, 0x00,        // mov esi, 10000h
      0x8B, 0x06,                          // inner: mov eax, [esi]
      0x01, 0xC8,                          // add eax, ecx
      0x31, 0xC3,                          // xor ebx, eax
      0xC1, 0xC3, 0x05,                    // rol ebx, 5
      0x89, 0x9E, 0x00, 0x04, 0x00, 0x00,  // mov [esi+400h], ebx
      0x01, 0xDA,                          // add edx, ebx
      0x8D, 0x76, 0x04,                    // lea esi, [esi+4]
      0x49,                                // dec ecx
      0x75, 0xE9,                          // jnz inner
      0x4D,                                // dec ebp
      0x75, 0xDC,                          // jnz outer
      0xF4,                                // hlt
  };
  p.insert(p.end(), body, body + sizeof body);
  return p;
}

uint32_t pattern(uint32_t i) { return i * 2654435761u; }

// The same computation in C++: the expected EDX.
uint32_t expectedChecksum(uint32_t outer) {
  uint32_t ebx = 0, edx = 0;
  for (uint32_t o = 0; o < outer; ++o)
    for (uint32_t ecx = kInner, i = 0; ecx != 0; --ecx, ++i) {
      ebx ^= pattern(i) + ecx;
      ebx = (ebx << 5) | (ebx >> 27);
      edx += ebx;
    }
  return edx;
}

// Flat 4 GiB caches, CPL 0, CR0.PE = 1 (falls back to the same caches with CR0.PE = 0
// if the interpreter does not run protected mode).
void flatState(Interpreter& cpu, bool protectedMode) {
  cpu.reset();
  CpuState& s = cpu.state();
  for (auto& sc : s.seg) sc = SegmentCache{0x10, 0xC093, 0, 0xFFFFFFFFu};
  s.seg[kCS] = SegmentCache{0x08, 0xC09B, 0, 0xFFFFFFFFu};
  if (protectedMode) s.cr[0] |= kCr0PE;
  s.cpl = 0;
  s.eip = kCode;
  s.gpr = {};
  s.gpr[kESP] = 0x20000;
}

void BM_InterpLoop32(benchmark::State& state) {
  const auto outer = static_cast<uint32_t>(state.range(0));
  FlatBus bus(1u << 20);
  const std::vector<uint8_t> code = program(outer);
  std::memcpy(bus.storage().data() + kCode, code.data(), code.size());
  for (uint32_t i = 0; i < kInner; ++i) {
    const uint32_t v = pattern(i);
    std::memcpy(bus.storage().data() + kData + 4 * i, &v, 4);
  }
  Interpreter cpu(bus);
  flatState(cpu, true);
  const bool pm = cpu.step() != StopReason::Unimplemented;
  if (!pm) state.SetLabel("CR0.PE=0 fallback");
  const uint32_t expected = expectedChecksum(outer);
  uint64_t retired = 0;
  for (auto _ : state) {
    flatState(cpu, pm);
    const RunResult r = cpu.run(UINT64_MAX);
    retired += r.instructions;
    if (r.reason != StopReason::Halted || cpu.state().gpr[kEDX] != expected) {
      state.SkipWithError("wrong result (not halted or checksum mismatch)");
      break;
    }
  }
  state.counters["insns/s"] = benchmark::Counter(static_cast<double>(retired), benchmark::Counter::kIsRate);
  state.counters["insns/run"] = static_cast<double>(retired) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_InterpLoop32)->Arg(2000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
