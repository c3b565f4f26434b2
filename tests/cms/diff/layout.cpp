// Memory layout and random initial states of the differential tests (see layout.h).
// Flat32 descriptors follow SDM Vol. 3A 3.4.5 (segment descriptors) and 6.11 (IDT gates);
// real-mode segment bases are selector * 16 (Vol. 3A 20.1.1).
#include "layout.h"

#include <cstring>

namespace codemorph::cms::diff {

const char* modeName(Mode m) { return m == Mode::Flat32 ? "flat32" : "real16"; }

const Layout& layoutFor(Mode m) {
  // Flat32: data below 64 KiB so that 67h (16-bit addressing) can reach it too.
  static const Layout flat{Mode::Flat32, 0x40000, 0x500, 0x1000, 0x1800,
                           0x4000, 0x1000, 0x8000, 0x4000, 0x8800, 0xB800};
  // Real16: code at linear 8000h (CS chosen per sequence), data 20000h-23FFFh reachable
  // from every data segment base in [14000h, 20000h] without crossing a 64 KiB limit.
  static const Layout real{Mode::Real16, 0x110000, 0x500, 0x1000, 0x1800,
                           0x8000, 0x1000, 0x20000, 0x4000, 0x20800, 0x23800};
  return m == Mode::Flat32 ? flat : real;
}

namespace {
void put16(std::vector<uint8_t>& ram, uint32_t a, uint16_t v) { std::memcpy(&ram[a], &v, 2); }
void put32(std::vector<uint8_t>& ram, uint32_t a, uint32_t v) { std::memcpy(&ram[a], &v, 4); }
}  // namespace

void buildFixedImage(const Layout& l, std::vector<uint8_t>& ram) {
  ram.assign(l.ramSize, 0);
  for (unsigned v = 0; v < 256; ++v) {
    put16(ram, v * 4, static_cast<uint16_t>(v));             // IVT: 0050:v
    put16(ram, v * 4 + 2, static_cast<uint16_t>(l.stubBase >> 4));
    ram[l.stubBase + v] = 0xF4;                              // HLT
    // IDT: 32-bit interrupt gate, selector 08h, offset stubBase + v, DPL 0, present.
    const uint32_t off = l.stubBase + v;
    put32(ram, l.idtBase + v * 8, (0x08u << 16) | (off & 0xFFFF));
    put32(ram, l.idtBase + v * 8 + 4, (off & 0xFFFF0000u) | 0x8E00u);
  }
  // GDT: null; 08h flat 4 GiB code (type B, D=1, G=1); 10h flat data (type 3, B=1, G=1).
  put32(ram, l.gdtBase + 8, 0x0000FFFF);
  put32(ram, l.gdtBase + 12, 0x00CF9B00);
  put32(ram, l.gdtBase + 16, 0x0000FFFF);
  put32(ram, l.gdtBase + 20, 0x00CF9300);
  std::memset(&ram[l.codeBase], 0xF4, l.codeSize);  // HLT: ends QEMU translation blocks
}

void randomizeData(const Layout& l, Rng& rng, std::vector<uint8_t>& ram) {
  for (uint32_t a = 0; a < l.dataSize; a += 8) {
    const uint64_t v = rng.next();
    std::memcpy(&ram[l.dataBase + a], &v, 8);
  }
}

CpuState randomInitialState(const Layout& l, Rng& rng, bool bigRealFallback) {
  CpuState s;
  s.cr[0] = 0x00000010u;  // ET
  s.idtr = TableRegister{0, 0x3FF};
  s.gdtr = TableRegister{l.gdtBase, 0x17};
  s.ldtr = SegmentCache{0, 0x0082, 0, 0xFFFF};
  s.tr = SegmentCache{0, 0x008B, 0, 0xFFFF};
  s.cpl = 0;
  if (l.mode == Mode::Flat32) {
    // Flat 4 GiB caches: code type B with D=1, data type 3 with B=1, G=1 (flags nibble C).
    for (auto& sc : s.seg) sc = SegmentCache{0x10, 0xC093, 0, 0xFFFFFFFFu};
    s.seg[kCS] = SegmentCache{0x08, 0xC09B, 0, 0xFFFFFFFFu};
    if (!bigRealFallback) {
      s.cr[0] |= kCr0PE;
      s.idtr = TableRegister{l.idtBase, 0x7FF};
    }
    s.eip = l.codeBase;
  } else {
    const auto cs = static_cast<uint16_t>(rng.range(0, l.codeBase >> 4));
    for (unsigned i = 0; i < kNumSegs; ++i) {
      const auto sel = static_cast<uint16_t>(rng.range(0x1400, 0x2000));
      s.seg[i] = SegmentCache{0, 0x0093, 0, 0xFFFF};
      loadRealModeSegment(s.seg[i], sel);
    }
    s.seg[kCS] = SegmentCache{0, 0x009B, 0, 0xFFFF};
    loadRealModeSegment(s.seg[kCS], cs);
    s.eip = l.codeBase - s.seg[kCS].base;
  }
  const uint32_t dsBase = s.seg[kDS].base;
  for (unsigned r = 0; r < 8; ++r) {
    const unsigned kind = rng.below(100);
    uint32_t v;
    if (kind < 35) {
      const uint32_t p = l.dataBase + rng.below(l.dataSize);
      v = l.mode == Mode::Flat32 ? p : (((p - dsBase) & 0xFFFF) | (rng.chance(70) ? 0 : rng.u32() << 16));
    } else if (kind < 60) {
      v = rng.chance(70) ? rng.below(65) : static_cast<uint32_t>(-static_cast<int32_t>(rng.below(17)));
    } else {
      v = rng.u32();
    }
    s.gpr[r] = v;
  }
  const uint32_t top = rng.range(l.stackLo + 0x1000, l.stackHi - 0x1000);
  if (l.mode == Mode::Flat32)
    s.gpr[kESP] = top;
  else
    s.gpr[kESP] = (rng.chance(70) ? 0 : (rng.u32() & 0xFFFF0000u)) | ((top - s.seg[kSS].base) & 0xFFFF);

  uint32_t f = kFixed1 | (rng.u32() & kArithFlags);
  if (rng.chance(20)) f |= kDF;
  if (rng.chance(50)) f |= kIF;
  if (rng.chance(20)) f |= rng.below(4) << 12;  // IOPL
  if (rng.chance(10)) f |= kNT;
  if (rng.chance(10)) f |= kAC;
  if (rng.chance(10)) f |= kID;
  s.eflags = f;
  return s;
}

}  // namespace codemorph::cms::diff
