// The PC/AT interrupt controller pair: master 8259A at 0x20/0x21 (IRQ0-7), slave at
// 0xA0/0xA1 (IRQ8-15) cascaded on master IR2 (8259A datasheet "Cascade Mode"), and the
// PIIX Edge/Level Control Registers ELCR1/ELCR2 at 0x4D0/0x4D1 (82371 PIIX3 datasheet
// 2.3.x; IRQ0, 1, 2, 8 and 13 are always edge: those bits read 0). Devices call setIrq;
// the core samples intr() and runs interruptAcknowledge() for the vector.
#pragma once
#include <cstdint>
#include <functional>

#include "codemorph/platform/io_device.h"
#include "codemorph/platform/pic8259.h"

namespace codemorph::platform {

class DualPic {
 public:
  DualPic();
  void setIrq(unsigned irq, bool level);  // irq 0-15; 2 is the cascade (not a device line)
  bool intr() const { return master_.intOutput(); }
  // The two INTA cycles of the x86: returns the vector (master, or slave via IR2).
  uint8_t interruptAcknowledge();
  // Told whenever intr() may have changed (the core's wake-up hook).
  void setIntrHook(std::function<void(bool)> hook) { intrHook_ = std::move(hook); }

  Pic8259& master() { return master_; }
  Pic8259& slave() { return slave_; }
  // Port adapters: map masterPorts() at 0x20 (2), slavePorts() at 0xA0 (2), elcrPorts() at
  // 0x4D0 (2).
  IoDevice& masterPorts() { return masterPorts_; }
  IoDevice& slavePorts() { return slavePorts_; }
  IoDevice& elcrPorts() { return elcrPorts_; }

  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

 private:
  void update();
  class ChipPorts : public IoDevice {
   public:
    ChipPorts(DualPic& owner, Pic8259& chip) : owner_(owner), chip_(chip) {}
    uint32_t ioRead(uint16_t offset, unsigned size) override;
    void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
    void save(support::OutArchive&) const override {}
    void load(support::InArchive&) override {}

   private:
    DualPic& owner_;
    Pic8259& chip_;
  };
  class ElcrPorts : public IoDevice {
   public:
    explicit ElcrPorts(DualPic& owner) : owner_(owner) {}
    uint32_t ioRead(uint16_t offset, unsigned size) override;
    void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
    void save(support::OutArchive&) const override {}
    void load(support::InArchive&) override {}

   private:
    DualPic& owner_;
  };
  static constexpr uint8_t kElcrMask[2] = {0xF8, 0xDE};

  Pic8259 master_, slave_;
  ChipPorts masterPorts_{*this, master_}, slavePorts_{*this, slave_};
  ElcrPorts elcrPorts_{*this};
  bool lastIntr_ = false;
  std::function<void(bool)> intrHook_;
};

}  // namespace codemorph::platform
