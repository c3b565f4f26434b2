// The PIIX functions on device 1 of bus 0, as QEMU's i440FX machine has them (the
// 82371SB PIIX3 ISA bridge and IDE, plus the 82371AB PIIX4 power-management function):
//
// Piix3Isa, 00:01.0 (8086:7000, class 0601, multi-function header). PIRQRC[A-D] at
// 0x60-0x63: bit 7 = routing disabled, bits 3-0 = ISA IRQ (3-7, 9-12, 14, 15; other
// values route nowhere); power-on 0x80. A PCI device drives its PIRQ line through
// setPirq(); the PIRQs routed to one IRQ are wired-OR and drive that PIC input. PCI
// interrupts are active-low level-triggered, so the BIOS must also mark routed IRQs level
// in the ELCR (0x4D0/0x4D1, modelled in DualPic): SeaBIOS writes ELCR = 00 0C for its
// routing of PIRQA-D to IRQ 10, 10, 11, 11 ("PIIX3/PIIX4 init: elcr=00 0c"). The PIRQ
// output and an ISA device on the same IRQ are not OR-ed (the PIC keeps one level per
// input): do not route PIRQs onto IRQs that ISA devices use. The other registers
// (XBCS 0x4E, TOM 0x69, MBIRQ 0x70, APICBASE 0x80, SMI registers 0xA0-0xAE...) hold their
// QEMU power-on values and are plain storage.
//
// PiixIde, 00:01.1 (8086:7010, class 0101, prog-if 0x80: legacy mode on both channels,
// bus-master capable). No BAR0-3 (legacy ports 0x1F0/0x3F6 IRQ14 and 0x170/0x376 IRQ15);
// BAR4 = BMIBA, a 16-byte I/O BAR; IDETIM 0x40/0x42 bit 15 = decode enable. No drives and
// no port decoding yet: legacyDecode()/busMasterBase() tell a future IDE model what to map.
//
// Piix4Pm, 00:01.3 (8086:7113, rev 03, class 0680, INTA). PMBA at 0x40 (bits 15-6, bit 0
// reads 1) and PMIOSE (0x80 bit 0) place the 64-byte PM I/O block on the port bus, moved
// whenever they change (and after a load). In the block: PMSTS (+0, TMROF_STS bit 0
// write-one-to-clear, set whenever timer bit 23 toggled since the last clear), PMEN (+2,
// stored), PMCNTRL (+4, SCI_EN stored; SUS_EN with SUS_TYP 0 = S5 soft-off requests exit
// status 0, as QEMU powers off), PMTMR (+8): the ACPI PM timer, 24 bits counting at
// 3.579545 MHz from simulated time 0 (exact integer arithmetic). No SCI interrupt, no GPE,
// no SMBus (0x90 and 0xD2 are storage), no APM/SMI (0xB2/0xB3). Because the core has no
// SMM, DEVACTB (0x58) powers on with APMC_EN (bit 25) set, as QEMU does with SMM off:
// SeaBIOS then treats SMM as already initialised and skips its SMI relocation, which
// would otherwise spin forever on port 0xB3.
#pragma once
#include "codemorph/platform/dual_pic.h"
#include "codemorph/platform/event_queue.h"
#include "codemorph/platform/machine_control.h"
#include "codemorph/platform/pci.h"
#include "codemorph/platform/port_bus.h"

namespace codemorph::platform {

class Piix3Isa : public PciFunction {
 public:
  static constexpr uint8_t kPirqRc = 0x60;
  explicit Piix3Isa(DualPic& pic);
  void setPirq(unsigned pirq, bool level);  // pirq 0-3 = A-D, level = asserted
  // The ISA IRQ a PIRQ is routed to, or -1.
  int routeOf(unsigned pirq) const;

 protected:
  void configWritten(uint8_t offset, unsigned size) override;
  void saveExtra(support::OutArchive& out) const override { out.put(pirqLevels_); }
  void loadExtra(support::InArchive& in) override { in.get(pirqLevels_); }
  void afterLoad() override { driven_ = computeDriven(); }

 private:
  uint16_t computeDriven() const;
  void update();
  DualPic& pic_;
  uint8_t pirqLevels_ = 0;
  uint16_t driven_ = 0;  // IRQ inputs this bridge holds high (derived)
};

class PiixIde : public PciFunction {
 public:
  static constexpr uint8_t kIdetim = 0x40, kBmiba = 0x20;
  PiixIde();
  bool legacyDecode(unsigned channel) const;  // I/O enabled and IDETIM decode bit set
  uint16_t busMasterBase() const;              // BMIBA (0 if I/O space disabled)
};

// The PM I/O block (64 bytes at PMBA).
class PmIo : public IoDevice {
 public:
  static constexpr uint64_t kPmTimerHz = 3579545;
  explicit PmIo(EventQueue& events, MachineControl& control) : events_(events), control_(control) {}
  static uint64_t ticksAt(SimTime t) {
    return static_cast<uint64_t>((static_cast<Wide>(t) * kPmTimerHz) / kPicosPerSecond);
  }
  uint32_t timer() const { return static_cast<uint32_t>(ticksAt(events_.now()) & 0xFFFFFF); }
  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  uint32_t dword(unsigned aligned) const;
  void writeDword(unsigned aligned, uint32_t value, uint32_t byteMask);
  EventQueue& events_;
  MachineControl& control_;
  uint64_t tmrofClearTick_ = 0;  // timer tick at the last TMROF_STS clear
  uint16_t pmen_ = 0;
  uint16_t pmcntrl_ = 0;
};

class Piix4Pm : public PciFunction {
 public:
  static constexpr uint8_t kPmba = 0x40, kDevActB = 0x58, kPmRegMisc = 0x80;
  Piix4Pm(PortBus& ports, EventQueue& events, MachineControl& control);
  // The port the PM block is mapped at, or -1 when disabled.
  int pmBase() const { return mappedAt_; }
  PmIo& io() { return io_; }

 protected:
  void configWritten(uint8_t offset, unsigned size) override;
  void saveExtra(support::OutArchive& out) const override { io_.save(out); }
  void loadExtra(support::InArchive& in) override { io_.load(in); }
  void afterLoad() override { remap(); }

 private:
  void remap();
  PortBus& ports_;
  PmIo io_;
  int mappedAt_ = -1;
};

}  // namespace codemorph::platform
