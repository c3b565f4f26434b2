// PIIX3 ISA bridge, PIIX IDE and PIIX4 PM functions (piix.h).
#include "codemorph/platform/piix.h"

#include <stdexcept>

namespace codemorph::platform {

Piix3Isa::Piix3Isa(DualPic& pic) : PciFunction("piix3_isa", {0x8086, 0x7000, 0x00, 0x00, 0x0601, 0x80}), pic_(pic) {
  // QEMU piix3_reset values.
  set(pcireg::kCommand, 2, 0x0007);
  set(pcireg::kStatus, 2, 0x0200);
  set(0x4C, 1, 0x4D);
  set(0x4E, 1, 0x03);
  for (uint8_t i = 0; i < 4; ++i) set(static_cast<uint8_t>(kPirqRc + i), 1, 0x80);
  setWritable(kPirqRc, 4, 0x8F8F8F8F);
  set(0x69, 1, 0x02);
  set(0x70, 1, 0x80);
  set(0x76, 2, 0x0C0C);
  set(0x78, 1, 0x02);
  set(0xA0, 1, 0x08);
  set(0xA8, 1, 0x0F);
}

int Piix3Isa::routeOf(unsigned pirq) const {
  const auto v = static_cast<uint8_t>(get(static_cast<uint8_t>(kPirqRc + pirq), 1));
  const unsigned irq = v & 0x0F;
  constexpr uint16_t kValid = 0xDEF8;  // 3-7, 9-12, 14, 15
  if ((v & 0x80) || !((kValid >> irq) & 1)) return -1;
  return static_cast<int>(irq);
}

uint16_t Piix3Isa::computeDriven() const {
  uint16_t mask = 0;
  for (unsigned p = 0; p < 4; ++p) {
    const int irq = routeOf(p);
    if (irq >= 0 && ((pirqLevels_ >> p) & 1)) mask = static_cast<uint16_t>(mask | (1u << irq));
  }
  return mask;
}

void Piix3Isa::update() {
  const uint16_t now = computeDriven();
  const uint16_t changed = now ^ driven_;
  driven_ = now;
  for (unsigned irq = 0; irq < 16; ++irq) {
    if ((changed >> irq) & 1) pic_.setIrq(irq, (now >> irq) & 1);
  }
}

void Piix3Isa::setPirq(unsigned pirq, bool level) {
  if (pirq >= 4) throw std::out_of_range("PIRQ");
  pirqLevels_ = static_cast<uint8_t>(level ? pirqLevels_ | (1u << pirq) : pirqLevels_ & ~(1u << pirq));
  update();
}

void Piix3Isa::configWritten(uint8_t offset, unsigned size) {
  if (overlaps(offset, size, kPirqRc, 4)) update();
}

PiixIde::PiixIde() : PciFunction("piix_ide", {0x8086, 0x7010, 0x00, 0x80, 0x0101, 0x00}) {
  set(pcireg::kStatus, 2, 0x0280);  // fast back-to-back, medium DEVSEL (QEMU)
  addIoBar(4, 16);
  for (uint8_t bar = 0; bar < 4; ++bar) setWritable(static_cast<uint8_t>(0x10 + 4 * bar), 4, 0);  // BAR0-3 absent
}

bool PiixIde::legacyDecode(unsigned channel) const {
  return (get(pcireg::kCommand, 2) & pcireg::kCommandIo) &&
         (get(static_cast<uint8_t>(kIdetim + 2 * channel), 2) & 0x8000);
}

uint16_t PiixIde::busMasterBase() const {
  if (!(get(pcireg::kCommand, 2) & pcireg::kCommandIo)) return 0;
  return static_cast<uint16_t>(get(kBmiba, 4) & 0xFFF0);
}

uint32_t PmIo::dword(unsigned aligned) const {
  switch (aligned) {
    case 0: {
      const uint64_t ticks = ticksAt(events_.now());
      const uint32_t tmrof = (ticks >> 23) != (tmrofClearTick_ >> 23) ? 1u : 0u;
      return tmrof | uint32_t{pmen_} << 16;
    }
    case 4:
      return pmcntrl_ & ~0x2000u;  // SUS_EN reads 0
    case 8:
      return timer();
    default:
      return 0;
  }
}

void PmIo::writeDword(unsigned aligned, uint32_t value, uint32_t byteMask) {
  value &= byteMask;
  if (aligned == 0) {
    if (value & 1) tmrofClearTick_ = ticksAt(events_.now());
    if (byteMask & 0xFFFF0000u) pmen_ = static_cast<uint16_t>((pmen_ & ~(byteMask >> 16)) | (value >> 16));
  } else if (aligned == 4 && (byteMask & 0xFFFF)) {
    pmcntrl_ = static_cast<uint16_t>((pmcntrl_ & ~byteMask) | (value & 0x1C01));
    if ((value & 0x2000) && ((pmcntrl_ >> 10) & 7) == 0) control_.requestExit(0);  // S5
  }
}

uint32_t PmIo::ioRead(uint16_t offset, unsigned size) {
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) {
    const unsigned at = offset + i;
    v |= ((dword(at & ~3u) >> (8 * (at & 3))) & 0xFF) << (8 * i);
  }
  return v;
}

void PmIo::ioWrite(uint16_t offset, unsigned size, uint32_t value) {
  // Group the bytes by the dword they fall in (an access never spans more than two).
  uint32_t mask[2] = {0, 0}, val[2] = {0, 0};
  const unsigned first = offset & ~3u;
  for (unsigned i = 0; i < size; ++i) {
    const unsigned at = offset + i;
    const unsigned k = (at - first) / 4;
    mask[k] |= 0xFFu << (8 * (at & 3));
    val[k] |= ((value >> (8 * i)) & 0xFF) << (8 * (at & 3));
  }
  for (unsigned k = 0; k < 2; ++k) {
    if (mask[k]) writeDword(first + 4 * k, val[k], mask[k]);
  }
}

void PmIo::save(support::OutArchive& out) const {
  out.beginSection("platform.pm_io", 1);
  out.put(tmrofClearTick_);
  out.put(pmen_);
  out.put(pmcntrl_);
}

void PmIo::load(support::InArchive& in) {
  in.beginSection("platform.pm_io", 1);
  in.get(tmrofClearTick_);
  in.get(pmen_);
  in.get(pmcntrl_);
}

Piix4Pm::Piix4Pm(PortBus& ports, EventQueue& events, MachineControl& control)
    : PciFunction("piix4_pm", {0x8086, 0x7113, 0x03, 0x00, 0x0680, 0x00}), ports_(ports), io_(events, control) {
  set(pcireg::kStatus, 2, 0x0280);
  set(pcireg::kInterruptPin, 1, 0x01);
  set(kPmba, 4, 0x1);
  setWritable(kPmba, 4, 0xFFC0);
  set(0x90, 4, 0x1);  // SMBus base: I/O indicator
  // No SMM in the core: mark SMM as already initialised (DEVACTB APMC_EN, bit 25), as QEMU
  // does without SMM, so SeaBIOS skips its SMI relocation (which would spin on port 0xB3
  // waiting for an SMI handler).
  set(static_cast<uint8_t>(kDevActB + 3), 1, 0x02);
}

void Piix4Pm::configWritten(uint8_t offset, unsigned size) {
  if (overlaps(offset, size, kPmba, 4) || overlaps(offset, size, kPmRegMisc, 1)) remap();
}

void Piix4Pm::remap() {
  const int want = (get(kPmRegMisc, 1) & 1) ? static_cast<int>(get(kPmba, 4) & 0xFFC0) : -1;
  if (want == mappedAt_) return;
  if (mappedAt_ >= 0) ports_.unmap(io_);
  mappedAt_ = -1;
  if (want < 0) return;
  try {
    ports_.map(static_cast<uint16_t>(want), 64, io_, "piix4-pm", PortBus::Kind::Native);
    mappedAt_ = want;
  } catch (const std::logic_error&) {
    // The guest placed the block over a fixed device: leave it unmapped (no decode).
  }
}

}  // namespace codemorph::platform
