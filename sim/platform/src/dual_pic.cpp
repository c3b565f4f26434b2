// Master/slave 8259A pair and ELCR (dual_pic.h).
#include "codemorph/platform/dual_pic.h"

namespace codemorph::platform {

DualPic::DualPic() {
  master_.isMaster = true;
  slave_.isMaster = false;
}

void DualPic::update() {
  // The slave's INT drives master IR2 (always edge-triggered: ELCR1 bit 2 reads 0).
  master_.setInput(2, slave_.intOutput());
  const bool now = master_.intOutput();
  if (now != lastIntr_) {
    lastIntr_ = now;
    if (intrHook_) intrHook_(now);
  }
}

void DualPic::setIrq(unsigned irq, bool level) {
  if (irq < 8) {
    if (irq != 2) master_.setInput(irq, level);
  } else if (irq < 16) {
    slave_.setInput(irq - 8, level);
  }
  update();
}

uint8_t DualPic::interruptAcknowledge() {
  const int irq = master_.acknowledge();
  uint8_t vector;
  if (irq < 0) {
    vector = static_cast<uint8_t>(master_.vectorBase() | 7);  // spurious IRQ7
  } else if (master_.cascadeMask() & (1u << irq)) {
    const int slaveIrq = slave_.acknowledge();
    vector = static_cast<uint8_t>(slave_.vectorBase() | (slaveIrq < 0 ? 7 : slaveIrq));  // spurious IRQ15
  } else {
    vector = static_cast<uint8_t>(master_.vectorBase() | irq);
  }
  update();
  return vector;
}

uint32_t DualPic::ChipPorts::ioRead(uint16_t offset, unsigned) {
  const uint8_t v = chip_.read(offset & 1);
  owner_.update();  // a poll read acknowledges
  return v;
}

void DualPic::ChipPorts::ioWrite(uint16_t offset, unsigned, uint32_t value) {
  chip_.write(offset & 1, static_cast<uint8_t>(value));
  owner_.update();
}

uint32_t DualPic::ElcrPorts::ioRead(uint16_t offset, unsigned) {
  return (offset & 1 ? owner_.slave_ : owner_.master_).levelTriggered();
}

void DualPic::ElcrPorts::ioWrite(uint16_t offset, unsigned, uint32_t value) {
  const unsigned i = offset & 1;
  (i ? owner_.slave_ : owner_.master_).setLevelTriggered(static_cast<uint8_t>(value & kElcrMask[i]));
  owner_.update();
}

void DualPic::save(support::OutArchive& out) const {
  out.beginSection("platform.dualpic", 1);
  master_.save(out);
  slave_.save(out);
  out.put(lastIntr_);
}

void DualPic::load(support::InArchive& in) {
  in.beginSection("platform.dualpic", 1);
  master_.load(in);
  slave_.load(in);
  in.get(lastIntr_);
}

}  // namespace codemorph::platform
