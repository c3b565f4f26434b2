// One 8259A (pic8259.h). Section names refer to the Intel 8259A datasheet.
#include "codemorph/platform/pic8259.h"

namespace codemorph::platform {

void Pic8259::reset() {
  irr_ = isr_ = imr_ = 0;
  lowestPriority_ = 7;
  icw1_ = icw2_ = icw3_ = icw4_ = 0;
  initStep_ = 0;
  readIsr_ = poll_ = specialMask_ = rotateOnAeoi_ = false;
}

int Pic8259::highestInService(uint8_t isrView) const {
  for (unsigned p = 0; p < 8; ++p) {
    const unsigned irq = (lowestPriority_ + 1 + p) & 7;
    if (isrView & (1u << irq)) return static_cast<int>(irq);
  }
  return -1;
}

int Pic8259::highestPending() const {
  const uint8_t pending = irr_ & ~imr_;
  if (!pending) return -1;
  // Special mask mode ("Special Mask Mode"): masked levels do not inhibit lower ones.
  uint8_t inService = specialMask_ ? static_cast<uint8_t>(isr_ & ~imr_) : isr_;
  // Special fully nested mode (ICW4.SFNM, master only): a slave's IR in service does not
  // block further requests from the same slave.
  if (isMaster && (icw4_ & 0x10)) inService &= ~icw3_;
  const int active = highestInService(inService);
  for (unsigned p = 0; p < 8; ++p) {
    const unsigned irq = (lowestPriority_ + 1 + p) & 7;
    if (active >= 0 && p >= priorityOf(static_cast<unsigned>(active))) {
      // Equal priority only passes in SFNM for the cascade input.
      if (!(isMaster && (icw4_ & 0x10) && static_cast<int>(irq) == active && (icw3_ & (1u << irq)))) break;
    }
    if (pending & (1u << irq)) return static_cast<int>(irq);
  }
  return -1;
}

void Pic8259::setLevelTriggered(uint8_t mask) {
  elcr_ = mask;
  irr_ = static_cast<uint8_t>((irr_ & ~elcr_) | (inputLevels_ & elcr_));
}

void Pic8259::setInput(unsigned irq, bool level) {
  const uint8_t mask = static_cast<uint8_t>(1u << irq);
  const bool levelTriggered = elcr_ & mask;  // edge: only a low-to-high transition sets IRR
  const bool was = inputLevels_ & mask;
  if (level) {
    inputLevels_ |= mask;
    if (levelTriggered || !was) irr_ |= mask;  // edge: only a low-to-high transition
  } else {
    inputLevels_ &= ~mask;
    // Both modes: a request that goes away before INTA is lost. The edge-sense latch is
    // gated by the IR level (datasheet Figure "Priority Cell" and the note to "Interrupt
    // Sequence": too short a request yields IR7). QEMU keeps the IRR bit here instead.
    irr_ &= ~mask;
  }
}

int Pic8259::acknowledge() {
  const int irq = highestPending();
  if (irq < 0) return -1;
  const uint8_t mask = static_cast<uint8_t>(1u << irq);
  // The IRR bit is cleared on INTA; with level triggering it comes straight back while
  // the line stays high (datasheet "Level Triggered Mode").
  irr_ &= ~mask;
  if (inputLevels_ & elcr_ & mask) irr_ |= mask;
  if (icw4_ & 0x02) {  // AEOI: no ISR bit; rotate if asked (OCW2 R=1 SL=0 EOI=0)
    if (rotateOnAeoi_) lowestPriority_ = static_cast<uint8_t>(irq);
  } else {
    isr_ |= mask;
  }
  return irq;
}

void Pic8259::eoi(int irq, bool rotate) {
  if (irq < 0) return;
  isr_ &= static_cast<uint8_t>(~(1u << irq));
  if (rotate) lowestPriority_ = static_cast<uint8_t>(irq);
}

void Pic8259::write(unsigned a0, uint8_t value) {
  if (a0 == 0) {
    if (value & 0x10) {  // ICW1
      icw1_ = value;
      // "The edge sense circuit is reset": a line already high must go low first.
      irr_ = static_cast<uint8_t>(inputLevels_ & elcr_);
      isr_ = 0;
      imr_ = 0;
      lowestPriority_ = 7;
      specialMask_ = false;
      readIsr_ = false;
      poll_ = false;
      rotateOnAeoi_ = false;
      icw4_ = 0;  // "if IC4 = 0, all functions selected in ICW4 are set to zero"
      icw3_ = 0;
      initStep_ = 2;
      return;
    }
    if (value & 0x08) {  // OCW3
      if (value & 0x04) poll_ = true;
      if (value & 0x02) readIsr_ = value & 0x01;
      if (value & 0x40) specialMask_ = value & 0x20;
      return;
    }
    // OCW2: R SL EOI in bits 7..5, level in 2..0.
    const unsigned level = value & 7;
    switch (value >> 5) {
      case 0b001: eoi(highestInService(isr_), false); break;  // non-specific EOI
      case 0b011: eoi(static_cast<int>(level), false); break;  // specific EOI
      case 0b101: eoi(highestInService(isr_), true); break;    // rotate on non-specific EOI
      case 0b100: rotateOnAeoi_ = true; break;
      case 0b000: rotateOnAeoi_ = false; break;
      case 0b111: eoi(static_cast<int>(level), true); break;   // rotate on specific EOI
      case 0b110: lowestPriority_ = static_cast<uint8_t>(level); break;  // set priority
      default: break;                                           // 010: no operation
    }
    return;
  }
  switch (initStep_) {
    case 2:
      icw2_ = value;
      initStep_ = (icw1_ & 0x02) ? ((icw1_ & 0x01) ? 4 : 0) : 3;
      return;
    case 3:
      icw3_ = value;
      initStep_ = (icw1_ & 0x01) ? 4 : 0;
      return;
    case 4:
      icw4_ = value;
      initStep_ = 0;
      return;
    default:
      imr_ = value;  // OCW1
      return;
  }
}

uint8_t Pic8259::read(unsigned a0) {
  if (poll_) {  // Poll command: the next read of either port is the poll word
    poll_ = false;
    const int irq = acknowledge();
    return irq < 0 ? 0 : static_cast<uint8_t>(0x80 | irq);
  }
  if (a0 == 1) return imr_;
  return readIsr_ ? isr_ : irr_;
}

void Pic8259::save(support::OutArchive& out) const {
  out.beginSection("platform.pic8259", 1);
  for (uint8_t v : {irr_, isr_, imr_, inputLevels_, elcr_, lowestPriority_, icw1_, icw2_, icw3_, icw4_, initStep_}) out.put(v);
  for (bool b : {readIsr_, poll_, specialMask_, rotateOnAeoi_, isMaster}) out.put(b);
}

void Pic8259::load(support::InArchive& in) {
  in.beginSection("platform.pic8259", 1);
  for (uint8_t* v : {&irr_, &isr_, &imr_, &inputLevels_, &elcr_, &lowestPriority_, &icw1_, &icw2_, &icw3_, &icw4_, &initStep_}) {
    in.get(*v);
  }
  for (bool* b : {&readIsr_, &poll_, &specialMask_, &rotateOnAeoi_, &isMaster}) in.get(*b);
}

}  // namespace codemorph::platform
