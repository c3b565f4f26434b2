// The 8042 keyboard controller at 0x60 (data) / 0x64 (status on read, command on write),
// as the PC/AT and QEMU (hw/input/pckbd.c, ps2.c) have it, with a minimal PS/2 keyboard
// behind it and no mouse.
//
// Status: bit 0 OBF, bit 1 IBF (always 0: commands complete at once), bit 2 SYS (set by
// self-test or the command byte), bit 3 last write was a command, bit 4 unlocked (1), bit 5
// OBF holds mouse data (never). Controller commands: 0x20 read / 0x60 write the command
// byte (bit 0 IRQ1 enable, bit 2 SYS, bit 4 keyboard disable, bit 6 translate: stored, not
// applied — injected scancodes go out as given); 0xA7/0xA8 mouse disable/enable (stored);
// 0xA9 mouse interface test -> 0x00; 0xAA self-test -> 0x55 (sets SYS); 0xAB keyboard
// interface test -> 0x00; 0xAD/0xAE keyboard disable/enable; 0xC0 read input port -> 0x80;
// 0xD0/0xD1 read/write the output port (bit 0 = reset line: writing 0 requests a reset;
// bit 1 = A20, shared with port 0x92 through MachineControl); 0xD2 write the keyboard output
// buffer; 0xD3 and 0xD4 take a data byte and drop it (no mouse); 0xDD/0xDF A20 off/on;
// 0xE0 read test inputs -> 0x00; 0xF0-0xFF pulse output-port bits: bit 0 low (0xFE, 0xF0...)
// requests a reset. Resets from the 8042 are ResetKind::Hard (it drives the CPU's RESET
// line, where port 0x92 drives INIT). Unknown commands are ignored.
//
// Keyboard (data-port writes with no controller command pending): 0xFF reset -> FA AA;
// 0xF2 identify -> FA AB 83; 0xF4 enable / 0xF5 disable scanning -> FA; 0xF6 defaults ->
// FA; 0xED LEDs and 0xF3 typematic take a parameter (FA after each); 0xF0 scancode set
// (parameter 0 -> FA then the set, 2); 0xEE echo -> EE; others -> FE (resend).
// keyboardInput() injects scancodes from the host when scanning is enabled and the
// keyboard interface is not disabled. Output bytes queue (up to 16) and are read one at a
// time through 0x60; IRQ1 is raised while a byte is waiting and command-byte bit 0 is set
// (as QEMU, for controller replies too), dropped when it is read.
#pragma once
#include <deque>

#include "codemorph/platform/io_device.h"
#include "codemorph/platform/machine_control.h"

namespace codemorph::platform {

class I8042 {
 public:
  I8042(MachineControl& control, IrqLine irq1);
  // Map dataPort() at 0x60 (1) and commandPort() at 0x64 (1).
  IoDevice& dataPort() { return data_; }
  IoDevice& commandPort() { return command_; }

  uint8_t readData();
  uint8_t readStatus() const;
  void writeData(uint8_t v);
  void writeCommand(uint8_t v);
  void keyboardInput(uint8_t scancode);
  uint8_t commandByte() const { return mode_; }
  uint8_t outputPort() const;

  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

 private:
  void queue(uint8_t b);
  void keyboardCommand(uint8_t v);
  void writeOutputPort(uint8_t v);
  void updateIrq();
  class Port : public IoDevice {
   public:
    Port(I8042& owner, bool command) : owner_(owner), command_(command) {}
    uint32_t ioRead(uint16_t, unsigned) override { return command_ ? owner_.readStatus() : owner_.readData(); }
    void ioWrite(uint16_t, unsigned, uint32_t value) override {
      command_ ? owner_.writeCommand(static_cast<uint8_t>(value)) : owner_.writeData(static_cast<uint8_t>(value));
    }
    void save(support::OutArchive&) const override {}
    void load(support::InArchive&) override {}

   private:
    I8042& owner_;
    bool command_;
  };

  MachineControl& control_;
  IrqLine irq1_;
  Port data_{*this, false}, command_{*this, true};
  std::deque<uint8_t> out_;
  uint8_t status_ = 0x10;     // unlocked; OBF derived from out_
  uint8_t mode_ = 0x03;       // QEMU power-on: keyboard and mouse interrupts enabled
  uint8_t outport_ = 0xCD;    // reset line high, ones; A20 comes from control_
  uint8_t pendingCmd_ = 0;    // controller command waiting for its data byte
  uint8_t kbdPending_ = 0;    // keyboard command waiting for its parameter
  bool scanning_ = true;
  bool irq_ = false;
};

}  // namespace codemorph::platform
