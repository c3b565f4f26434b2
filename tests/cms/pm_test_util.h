// Test helper: a flat 32-bit protected-mode machine (4 MiB FlatBus + Interpreter) with a
// GDT (08 code0, 10 data0, 1B code3, 23 data3, 28 32-bit TSS with ESP0 = 9000h and an
// all-allowed I/O bitmap for ports 0-3FFh), an IDT whose vector v is an interrupt gate to
// a HLT at 5000h + 16*v, and code loaded at 10000h. `haltedVector()` tells which handler
// the CPU stopped in; the handler's stack holds the exception frame.
#pragma once
#include <codemorph/cms/interpreter.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace codemorph::cms::test {

struct PmMachine {
  static constexpr uint32_t kGdt = 0x1000, kIdt = 0x2000, kTss = 0x3000, kStubs = 0x5000,
                            kStack0 = 0x9000, kCode = 0x10000;
  explicit PmMachine(const CpuModel& model = defaultCpuModel()) : bus(4u << 20), cpu(bus, model) {
    cpu.reset();
    desc(0x08, 0, 0xFFFFF, 0xC09B);
    desc(0x10, 0, 0xFFFFF, 0xC093);
    desc(0x18, 0, 0xFFFFF, 0xC0FB);
    desc(0x20, 0, 0xFFFFF, 0xC0F3);
    desc(0x28, kTss, 0x68 + 128, 0x0089);
    put32(kTss + 4, kStack0);
    put32(kTss + 8, 0x10);
    put32(kTss + 0x64, 0x00680000);  // I/O map base 68h
    for (unsigned v = 0; v < 256; ++v) {
      gate(v, kStubs + 16 * v, 0x08, 0x8E);
      bus.storage()[kStubs + 16 * v] = 0xF4;
    }
    CpuState& s = cpu.state();
    s.cr[0] |= kCr0PE;
    s.gdtr = TableRegister{kGdt, 0x7F};
    s.idtr = TableRegister{kIdt, 0x7FF};
    for (auto& sc : s.seg) sc = SegmentCache{0x10, 0xC093, 0, 0xFFFFFFFFu};
    s.seg[kCS] = SegmentCache{0x08, 0xC09B, 0, 0xFFFFFFFFu};
    s.tr = SegmentCache{0x28, 0x008B, kTss, 0x68 + 128};
    bus.storage()[kGdt + 0x28 + 5] = 0x8B;  // busy
    s.cpl = 0;
    s.eip = kCode;
    s.gpr[kESP] = kStack0;
  }
  void put32(uint32_t a, uint32_t v) { std::memcpy(bus.storage().data() + a, &v, 4); }
  uint32_t get32(uint32_t a) const {
    uint32_t v;
    std::memcpy(&v, bus.ram().data() + a, 4);
    return v;
  }
  // access: descriptor bits 40-55 (access byte | flags nibble << 12).
  void desc(uint16_t sel, uint32_t base, uint32_t limit, uint16_t access) {
    const uint32_t lo = (limit & 0xFFFF) | (base << 16);
    const uint32_t hi = ((base >> 16) & 0xFF) | (static_cast<uint32_t>(access) << 8) | (limit & 0xF0000) |
                        (base & 0xFF000000u);
    put32(kGdt + (sel & ~7u), lo);
    put32(kGdt + (sel & ~7u) + 4, hi);
  }
  void gate(unsigned vector, uint32_t offset, uint16_t sel, uint8_t typeByte, uint8_t params = 0) {
    writeGate(kIdt + vector * 8, offset, sel, typeByte, params);
  }
  void writeGate(uint32_t at, uint32_t offset, uint16_t sel, uint8_t typeByte, uint8_t params = 0) {
    put32(at, (offset & 0xFFFF) | (static_cast<uint32_t>(sel) << 16));
    put32(at + 4, (offset & 0xFFFF0000u) | (static_cast<uint32_t>(typeByte) << 8) | params);
  }
  void code(std::initializer_list<uint8_t> bytes, uint32_t at = kCode) {
    for (uint8_t b : bytes) bus.storage()[at++] = b;
  }
  // Vector whose HLT stub the CPU halted in, or -1.
  int haltedVector() const {
    const uint32_t e = cpu.state().eip;
    if (e <= kStubs || e > kStubs + 16 * 256 || (e - kStubs - 1) % 16 != 0) return -1;
    return static_cast<int>((e - kStubs - 1) / 16);
  }
  uint32_t stackWord(unsigned i) const { return get32(cpu.state().gpr[kESP] + 4 * i); }
  RunResult run(uint64_t n = 1000) { return cpu.run(n); }
  // Continues after a HLT used as a breakpoint.
  RunResult cont(uint64_t n = 1000) {
    cpu.state().halted = false;
    return cpu.run(n);
  }
  CpuState& s() { return cpu.state(); }

  FlatBus bus;
  Interpreter cpu;
};

}  // namespace codemorph::cms::test
