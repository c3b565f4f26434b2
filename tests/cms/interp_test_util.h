// Test helper: a small real-mode machine (1 MiB FlatBus + Interpreter) that loads code at
// 1000:0100, points every IVT entry at a HLT stub, and runs until HLT.
#pragma once
#include <codemorph/cms/interpreter.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace codemorph::cms::test {

struct Machine {
  explicit Machine(const CpuModel& model = defaultCpuModel()) : bus(1u << 20), cpu(bus, model) {
    cpu.reset();
    CpuState& s = cpu.state();
    s.seg[kCS].selector = 0x1000;
    s.seg[kDS].selector = 0x2000;
    s.seg[kES].selector = 0x3000;
    s.seg[kSS].selector = 0x4000;
    cpu.setRealModeSegments();
    s.eip = 0x100;
    s.gpr[kESP] = 0xFFF0;
    // IVT: vector v -> 0050:v (a HLT at linear 0x500 + v).
    for (unsigned v = 0; v < 256; ++v) {
      poke16(v * 4, static_cast<uint16_t>(v));
      poke16(v * 4 + 2, 0x0050);
      bus.storage()[0x500 + v] = 0xF4;
    }
  }
  void code(std::initializer_list<uint8_t> bytes) {
    uint32_t a = 0x10100;
    for (uint8_t b : bytes) bus.storage()[a++] = b;
  }
  void poke16(uint32_t a, uint16_t v) {
    bus.storage()[a] = static_cast<uint8_t>(v);
    bus.storage()[a + 1] = static_cast<uint8_t>(v >> 8);
  }
  uint16_t peek16(uint32_t a) const {
    return static_cast<uint16_t>(bus.ram()[a] | (bus.ram()[a + 1] << 8));
  }
  RunResult run(uint64_t n = 1000) { return cpu.run(n); }
  CpuState& s() { return cpu.state(); }
  uint32_t flags() { return cpu.state().eflags; }

  FlatBus bus;
  Interpreter cpu;
};

}  // namespace codemorph::cms::test
