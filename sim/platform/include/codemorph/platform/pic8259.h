// One Intel 8259A programmable interrupt controller (8259A datasheet, "Programming the
// 8259A": ICW1-ICW4, OCW1-OCW3; "Interrupt Sequence"; "Priority Modes"). x86 mode only
// (ICW4.uPM = 1 assumed; 8080/8085 call sequences are not modelled). Edge or level
// triggering per input comes from the PIIX ELCR (dual_pic.h), not from ICW1.LTIM, which
// the PIIX ignores as well. Plain C++: the two-chip PC wiring lives in DualPic.
#pragma once
#include <cstdint>

#include "codemorph/support/serialize.h"

namespace codemorph::platform {

class Pic8259 {
 public:
  // Port offset 0 (A0 = 0: ICW1, OCW2, OCW3; reads IRR/ISR/poll) and 1 (A0 = 1: ICW2-4,
  // OCW1; reads IMR).
  uint8_t read(unsigned a0);
  void write(unsigned a0, uint8_t value);

  // Input IRn at `level`; triggering per input from the ELCR (bit set = level).
  void setInput(unsigned irq, bool level);
  void setLevelTriggered(uint8_t mask);
  uint8_t levelTriggered() const { return elcr_; }
  // INT output: an unmasked request of higher priority than everything in service.
  bool intOutput() const { return highestPending() >= 0; }
  // INTA cycle: moves the highest request to ISR (or not, in AEOI mode) and returns its IR
  // number; -1 for a spurious interrupt (request went away: the chip answers IR7 without
  // setting ISR, datasheet "Interrupt Sequence" note).
  int acknowledge();
  uint8_t vectorBase() const { return icw2_ & 0xF8; }
  uint8_t cascadeMask() const { return icw3_; }  // master: which IRs have slaves

  uint8_t irr() const { return irr_; }
  uint8_t isr() const { return isr_; }
  uint8_t imr() const { return imr_; }
  void reset();
  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

  bool isMaster = true;  // set by DualPic: enables special-fully-nested cascade rules

 private:
  int highestPending() const;
  int highestInService(uint8_t isrView) const;
  unsigned priorityOf(unsigned irq) const { return (irq - lowestPriority_ - 1) & 7; }  // 0 = highest
  void eoi(int irq, bool rotate);

  uint8_t irr_ = 0, isr_ = 0, imr_ = 0, inputLevels_ = 0, elcr_ = 0;
  uint8_t lowestPriority_ = 7;
  uint8_t icw1_ = 0, icw2_ = 0, icw3_ = 0, icw4_ = 0;
  uint8_t initStep_ = 0;  // 0: operational; 2, 3, 4: expecting that ICW
  bool readIsr_ = false, poll_ = false, specialMask_ = false, rotateOnAeoi_ = false;
};

}  // namespace codemorph::platform
