// Intel 8254 programmable interval timer (8254 datasheet: "Control Word Format", "Counter
// Latch Command", "Read-Back Command", "Modes of Operation" 0-5) clocked at 1.193182 MHz in
// simulated time. Counters are evaluated lazily from the tick at which the count was
// loaded, so no per-tick work is done; channel 0's OUT transitions are scheduled on the
// event queue and drive IRQ0 through the PIC (the PIC turns the rising edge into a
// request). Gates of channels 0 and 1 are tied high; channel 2's gate is port 0x61 bit 0.
// Power-on: all counters in mode 3 with count 65536 (as QEMU; the datasheet says
// undefined). Deviations: BCD counting is stored and reported but counts in binary; a count written
// in mode 1/5 waits for a gate trigger like the datasheet says, but gates 0/1 never
// trigger (tied high, as on the PC).
#pragma once
#include <array>
#include <cstdint>

#include "codemorph/platform/event_queue.h"
#include "codemorph/platform/io_device.h"

namespace codemorph::platform {

class Pit8254 : public IoDevice {
 public:
  Pit8254(EventQueue& queue, IrqLine irq0);
  // Ports 0x40-0x43: offsets 0-2 counters, 3 control word.
  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void setGate(unsigned channel, bool level);
  bool gate(unsigned channel) const { return ch_[channel].gate; }
  bool out(unsigned channel) const;  // OUT at queue.now()
  uint16_t count(unsigned channel) const;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  struct Channel {
    uint8_t mode = 0, rw = 3;
    bool bcd = false;
    uint32_t reload = 0x10000;  // N (0 written = 65536)
    bool loaded = false;        // a complete count was written since the control word
    uint64_t startTick = 0;     // tick at which CE held `reload`
    uint32_t pendingReload = 0; // modes 2/3: a new count that takes effect at `boundary`
    uint64_t boundary = 0;
    bool outLatchedHigh = false;  // mode 0: terminal count reached before a gate pause
    bool paused = false;          // gate low in mode 0/4: frozen at `reload`
    bool triggered = false;       // modes 1/5: gate trigger seen
    bool gate = true;
    bool writeMsbNext = false, readMsbNext = false;
    uint8_t lsbWritten = 0;
    bool countLatched = false, statusLatched = false;
    uint16_t latchedCount = 0;
    uint8_t latchedStatus = 0;
    bool latchMsbNext = false;
  };
  uint64_t tick() const;
  static void rebase(Channel& c, uint64_t k);  // apply a pending mode 2/3 reload due by k
  bool outAt(const Channel& c, uint64_t k) const;
  uint16_t countAt(const Channel& c, uint64_t k) const;
  uint64_t nextTransition(const Channel& c, uint64_t k) const;  // kNever-like ~0 if none
  void writeCount(unsigned idx, uint32_t n);
  void latchCount(Channel& c);
  void controlWord(uint8_t v);
  void updateIrq0();
  void onTimer(SimTime when);

  EventQueue& queue_;
  IrqLine irq0_;
  std::array<Channel, 3> ch_{};
  Timer timer_;
  bool irqLevel_ = false;
};

}  // namespace codemorph::platform
