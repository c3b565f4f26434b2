// Intel 8254 PIT (pit8254.h). Tick k is the k-th rising edge of the 1.193182 MHz CLK; a
// count written during tick k is loaded into the counting element on CLK k+1 (datasheet:
// "after a Count is written ... it is loaded on the next CLK pulse"), which is when Null
// Count clears.
#include "codemorph/platform/pit8254.h"

namespace codemorph::platform {

namespace {
constexpr uint64_t kNone = ~uint64_t{0};
uint32_t effectiveN(uint32_t n, uint8_t mode) {
  if (n == 0) n = 0x10000;
  if ((mode == 2 || mode == 3) && n < 2) n = 2;  // N = 1 is illegal in modes 2 and 3
  return n;
}
}  // namespace

Pit8254::Pit8254(EventQueue& queue, IrqLine irq0)
    : queue_(queue), irq0_(std::move(irq0)), timer_(queue, [this](SimTime t) { onTimer(t); }) {
  // Power-on state as QEMU (which SeaBIOS is tested on) has it; the datasheet leaves it
  // undefined: every counter in mode 3 with count 65536 from tick 0, channel 2's gate low.
  for (unsigned i = 0; i < 3; ++i) {
    ch_[i].mode = 3;
    ch_[i].loaded = true;
    ch_[i].gate = i != 2;
  }
  irqLevel_ = true;
  updateIrq0();
}

uint64_t Pit8254::tick() const { return pitTicksAt(queue_.now()); }

void Pit8254::rebase(Channel& c, uint64_t k) {
  if (c.pendingReload && k >= c.boundary) {
    c.startTick = c.boundary;
    c.reload = c.pendingReload;
    c.pendingReload = 0;
  }
}

bool Pit8254::outAt(const Channel& c0, uint64_t k) const {
  Channel c = c0;
  rebase(c, k);
  const uint32_t n = c.reload;
  switch (c.mode) {
    case 0:
      if (!c.loaded) return false;
      if (c.outLatchedHigh) return true;
      if (c.paused || k < c.startTick) return false;
      return k - c.startTick >= n;
    case 1:
      if (!c.loaded || !c.triggered || k < c.startTick) return true;
      return k - c.startTick >= n;
    case 2:
    case 3: {
      if (!c.loaded || !c.gate || k < c.startTick) return true;
      const uint64_t p = (k - c.startTick) % n;
      return c.mode == 2 ? p != n - 1 : p < (n + 1) / 2;
    }
    default:  // 4, 5: one-tick strobe low at terminal count
      if (!c.loaded || c.paused || k < c.startTick || (c.mode == 5 && !c.triggered)) return true;
      return k - c.startTick != n;
  }
}

uint16_t Pit8254::countAt(const Channel& c0, uint64_t k) const {
  Channel c = c0;
  rebase(c, k);
  const uint32_t n = c.reload;
  if (!c.loaded || c.paused || k < c.startTick || ((c.mode == 1 || c.mode == 5) && !c.triggered) ||
      ((c.mode == 2 || c.mode == 3) && !c.gate)) {
    return static_cast<uint16_t>(n);
  }
  const uint64_t e = k - c.startTick;
  switch (c.mode) {
    case 2: return static_cast<uint16_t>(n - e % n);
    case 3: {
      // Counts down by two through each half period (odd N: N-1 after the first CLK).
      const uint64_t p = e % n;
      const uint64_t hi = (n + 1) / 2;
      const uint64_t inHalf = p < hi ? p : p - hi;
      return static_cast<uint16_t>((n & ~1u) - 2 * inHalf);
    }
    default: return static_cast<uint16_t>((n - e) & 0xFFFF);
  }
}

uint64_t Pit8254::nextTransition(const Channel& c0, uint64_t k) const {
  Channel c = c0;
  rebase(c, k);
  if (!c.loaded) return kNone;
  const uint32_t n = c.reload;
  switch (c.mode) {
    case 0:
      if (c.paused || c.outLatchedHigh) return kNone;
      return c.startTick + n > k ? c.startTick + n : kNone;
    case 1:
      if (!c.triggered) return kNone;
      return c.startTick + n > k ? c.startTick + n : kNone;
    case 2:
    case 3: {
      if (!c.gate) return kNone;
      const uint64_t fallPhase = c.mode == 2 ? n - 1 : (n + 1) / 2;
      uint64_t base = c.startTick, p = 0;
      bool before = k < c.startTick;
      if (!before) {
        p = (k - c.startTick) % n;
        base = k - p;
      }
      uint64_t t = (before || p < fallPhase) ? base + fallPhase : base + n;
      // A pending reload takes effect at its boundary (a rising edge of the old period).
      if (c.pendingReload && t > c.boundary) t = c.boundary;
      return t;
    }
    default:
      if (c.paused || (c.mode == 5 && !c.triggered)) return kNone;
      if (c.startTick + n > k) return c.startTick + n;
      if (c.startTick + n + 1 > k) return c.startTick + n + 1;
      return kNone;
  }
}

bool Pit8254::out(unsigned channel) const { return outAt(ch_[channel], tick()); }
uint16_t Pit8254::count(unsigned channel) const { return countAt(ch_[channel], tick()); }

void Pit8254::updateIrq0() {
  const uint64_t k = tick();
  rebase(ch_[0], k);
  const bool level = outAt(ch_[0], k);
  if (level != irqLevel_) {
    irqLevel_ = level;
    if (irq0_) irq0_(level);
  }
  const uint64_t next = nextTransition(ch_[0], k);
  if (next == kNone) {
    timer_.disarm();
  } else {
    timer_.arm(pitTickTime(next));
  }
}

void Pit8254::onTimer(SimTime) { updateIrq0(); }

void Pit8254::writeCount(unsigned idx, uint32_t n) {
  Channel& c = ch_[idx];
  const uint64_t k = tick();
  rebase(c, k);
  const uint32_t eff = effectiveN(n, c.mode);
  const bool running = c.loaded && k >= c.startTick;
  if ((c.mode == 2 || c.mode == 3) && running && c.gate) {
    // "the new count is loaded at the end of the current period" (modes 2 and 3)
    const uint64_t p = (k - c.startTick) % c.reload;
    c.boundary = k - p + c.reload;
    c.pendingReload = eff;
  } else {
    c.reload = eff;
    c.startTick = k + 1;
    c.pendingReload = 0;
    c.outLatchedHigh = false;
    c.paused = (c.mode == 0 || c.mode == 4) && !c.gate;
  }
  c.loaded = true;
}

void Pit8254::latchCount(Channel& c) {
  if (c.countLatched) return;  // "the first latch is kept until read"
  c.countLatched = true;
  c.latchedCount = countAt(c, tick());
  c.latchMsbNext = false;
}

void Pit8254::controlWord(uint8_t v) {
  const unsigned sc = v >> 6;
  if (sc == 3) {  // Read-Back: 11 COUNT' STATUS' CNT2 CNT1 CNT0 0
    const uint64_t k = tick();
    for (unsigned i = 0; i < 3; ++i) {
      if (!(v & (2u << i))) continue;
      Channel& c = ch_[i];
      if (!(v & 0x20)) latchCount(c);
      if (!(v & 0x10) && !c.statusLatched) {
        c.statusLatched = true;
        const bool nullCount = !c.loaded || k < c.startTick || c.pendingReload;
        c.latchedStatus = static_cast<uint8_t>((outAt(c, k) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | (c.rw << 4) |
                                               (c.mode << 1) | (c.bcd ? 1 : 0));
      }
    }
    return;
  }
  Channel& c = ch_[sc];
  const unsigned rw = (v >> 4) & 3;
  if (rw == 0) {
    latchCount(c);
    return;
  }
  const bool gate = c.gate;
  c = Channel{};
  c.gate = gate;
  c.rw = static_cast<uint8_t>(rw);
  c.mode = static_cast<uint8_t>((v >> 1) & 7);
  if (c.mode > 5) c.mode -= 4;  // 6 and 7 are 2 and 3
  c.bcd = v & 1;
}

void Pit8254::ioWrite(uint16_t offset, unsigned, uint32_t value) {
  const auto v = static_cast<uint8_t>(value);
  if (offset == 3) {
    controlWord(v);
  } else if (offset < 3) {
    Channel& c = ch_[offset];
    switch (c.rw) {
      case 1: writeCount(offset, v); break;
      case 2: writeCount(offset, uint32_t{v} << 8); break;
      default:
        if (!c.writeMsbNext) {
          c.lsbWritten = v;
          c.writeMsbNext = true;
          // Mode 0: "writing the first byte disables counting"
          if (c.mode == 0 && c.loaded) {
            c.reload = countAt(c, tick());
            c.paused = true;
            c.outLatchedHigh = false;
          }
        } else {
          c.writeMsbNext = false;
          writeCount(offset, c.lsbWritten | (uint32_t{v} << 8));
        }
    }
  }
  updateIrq0();
}

uint32_t Pit8254::ioRead(uint16_t offset, unsigned) {
  if (offset >= 3) return 0xFF;  // the control word register cannot be read
  Channel& c = ch_[offset];
  if (c.statusLatched) {
    c.statusLatched = false;
    return c.latchedStatus;
  }
  uint16_t value;
  bool msb;
  if (c.countLatched) {
    value = c.latchedCount;
    if (c.rw == 3) {
      msb = c.latchMsbNext;
      c.latchMsbNext = !c.latchMsbNext;
      if (msb) c.countLatched = false;
    } else {
      msb = c.rw == 2;
      c.countLatched = false;
    }
  } else {
    value = countAt(c, tick());
    if (c.rw == 3) {
      msb = c.readMsbNext;
      c.readMsbNext = !c.readMsbNext;
    } else {
      msb = c.rw == 2;
    }
  }
  return msb ? value >> 8 : value & 0xFF;
}

void Pit8254::setGate(unsigned channel, bool level) {
  Channel& c = ch_[channel];
  if (c.gate == level) return;
  const uint64_t k = tick();
  rebase(c, k);
  if (c.loaded) {
    switch (c.mode) {
      case 0:
      case 4:
        if (!level) {  // gate low suspends counting
          c.outLatchedHigh = c.mode == 0 && outAt(c, k);
          c.reload = countAt(c, k);
          if (c.reload == 0) c.reload = 0x10000;
          c.paused = true;
        } else {
          c.startTick = k + 1;
          c.paused = false;
        }
        break;
      default:  // 1, 2, 3, 5: a rising gate (re)triggers with the full count
        if (level) {
          c.pendingReload = 0;
          c.startTick = k + 1;
          c.triggered = true;
        }
        break;
    }
  }
  c.gate = level;
  if (channel == 0) updateIrq0();
}

// Field by field (no struct padding in checkpoints: equal states give equal bytes).
template <typename Archive, typename C>
static void channelFields(Archive ar, C& c) {
  ar(c.mode), ar(c.rw), ar(c.bcd), ar(c.reload), ar(c.loaded), ar(c.startTick), ar(c.pendingReload);
  ar(c.boundary), ar(c.outLatchedHigh), ar(c.paused), ar(c.triggered), ar(c.gate), ar(c.writeMsbNext);
  ar(c.readMsbNext), ar(c.lsbWritten), ar(c.countLatched), ar(c.statusLatched), ar(c.latchedCount);
  ar(c.latchedStatus), ar(c.latchMsbNext);
}

void Pit8254::save(support::OutArchive& out) const {
  out.beginSection("platform.pit8254", 1);
  for (const Channel& c : ch_) channelFields([&](const auto& f) { out.put(f); }, c);
  out.put(irqLevel_);
  timer_.save(out);
}

void Pit8254::load(support::InArchive& in) {
  in.beginSection("platform.pit8254", 1);
  for (Channel& c : ch_) channelFields([&](auto& f) { in.get(f); }, c);
  in.get(irqLevel_);
  timer_.load(in);
}

}  // namespace codemorph::platform
