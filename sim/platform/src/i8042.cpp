// 8042 keyboard controller and minimal PS/2 keyboard (i8042.h).
#include "codemorph/platform/i8042.h"

namespace codemorph::platform {
namespace {
constexpr uint8_t kObf = 0x01, kSys = 0x04, kCmd = 0x08;
constexpr uint8_t kModeIrq1 = 0x01, kModeSys = 0x04, kModeKbdDisable = 0x10, kModeMouseDisable = 0x20;
constexpr size_t kQueueMax = 16;
}  // namespace

I8042::I8042(MachineControl& control, IrqLine irq1) : control_(control), irq1_(std::move(irq1)) {}

void I8042::updateIrq() {
  const bool level = !out_.empty() && (mode_ & kModeIrq1);
  if (level != irq_) {
    irq_ = level;
    if (irq1_) irq1_(level);
  }
}

void I8042::queue(uint8_t b) {
  if (out_.size() < kQueueMax) out_.push_back(b);
  updateIrq();
}

uint8_t I8042::readStatus() const { return static_cast<uint8_t>(status_ | (out_.empty() ? 0 : kObf)); }

uint8_t I8042::outputPort() const {
  return static_cast<uint8_t>((outport_ & ~0x02) | (control_.a20 ? 0x02 : 0) | (out_.empty() ? 0 : 0x10));
}

uint8_t I8042::readData() {
  if (out_.empty()) return 0;  // QEMU returns the last byte; 0 here
  const uint8_t b = out_.front();
  out_.pop_front();
  updateIrq();
  return b;
}

void I8042::writeOutputPort(uint8_t v) {
  outport_ = v;
  control_.setA20((v & 0x02) != 0);
  if (!(v & 0x01)) control_.requestReset(ResetKind::Hard);
}

void I8042::writeCommand(uint8_t v) {
  status_ |= kCmd;
  pendingCmd_ = 0;
  switch (v) {
    case 0x20: queue(mode_); break;
    case 0x60: case 0xD1: case 0xD2: case 0xD3: case 0xD4: pendingCmd_ = v; break;
    case 0xA7: mode_ |= kModeMouseDisable; break;
    case 0xA8: mode_ = static_cast<uint8_t>(mode_ & ~kModeMouseDisable); break;
    case 0xA9: case 0xAB: case 0xE0: queue(0x00); break;
    case 0xAA:
      status_ |= kSys;
      queue(0x55);
      break;
    case 0xAD: mode_ |= kModeKbdDisable; break;
    case 0xAE: mode_ = static_cast<uint8_t>(mode_ & ~kModeKbdDisable); break;
    case 0xC0: queue(0x80); break;
    case 0xD0: queue(outputPort()); break;
    case 0xDD: control_.setA20(false); break;
    case 0xDF: control_.setA20(true); break;
    default:
      if (v >= 0xF0 && !(v & 0x01)) control_.requestReset(ResetKind::Hard);
      break;
  }
}

void I8042::writeData(uint8_t v) {
  status_ = static_cast<uint8_t>(status_ & ~kCmd);
  const uint8_t cmd = pendingCmd_;
  pendingCmd_ = 0;
  switch (cmd) {
    case 0x60:
      mode_ = v;
      status_ = static_cast<uint8_t>((status_ & ~kSys) | (v & kModeSys));
      updateIrq();
      return;
    case 0xD1: writeOutputPort(v); return;
    case 0xD2: queue(v); return;
    case 0xD3: case 0xD4: return;  // no mouse
    default: break;
  }
  mode_ = static_cast<uint8_t>(mode_ & ~kModeKbdDisable);  // writing to the keyboard enables it
  keyboardCommand(v);
}

void I8042::keyboardCommand(uint8_t v) {
  if (kbdPending_) {
    const uint8_t c = kbdPending_;
    kbdPending_ = 0;
    queue(0xFA);
    if (c == 0xF0 && v == 0) queue(0x02);
    return;
  }
  switch (v) {
    case 0xED: case 0xF3: case 0xF0: kbdPending_ = v; queue(0xFA); break;
    case 0xEE: queue(0xEE); break;
    case 0xF2: queue(0xFA); queue(0xAB); queue(0x83); break;
    case 0xF4: scanning_ = true; queue(0xFA); break;
    case 0xF5: scanning_ = false; queue(0xFA); break;
    case 0xF6: scanning_ = true; queue(0xFA); break;
    case 0xFF:
      out_.clear();
      scanning_ = true;
      queue(0xFA);
      queue(0xAA);
      break;
    default: queue(0xFE); break;
  }
}

void I8042::keyboardInput(uint8_t scancode) {
  if (scanning_ && !(mode_ & kModeKbdDisable)) queue(scancode);
}

void I8042::save(support::OutArchive& out) const {
  out.beginSection("platform.i8042", 1);
  out.put(status_);
  out.put(mode_);
  out.put(outport_);
  out.put(pendingCmd_);
  out.put(kbdPending_);
  out.put(scanning_);
  out.put(irq_);
  out.put(static_cast<uint8_t>(out_.size()));
  for (uint8_t b : out_) out.put(b);
}

void I8042::load(support::InArchive& in) {
  in.beginSection("platform.i8042", 1);
  in.get(status_);
  in.get(mode_);
  in.get(outport_);
  in.get(pendingCmd_);
  in.get(kbdPending_);
  in.get(scanning_);
  in.get(irq_);
  const auto n = in.get<uint8_t>();
  if (n > kQueueMax) throw support::CheckpointError("i8042: bad queue size");
  out_.clear();
  for (unsigned i = 0; i < n; ++i) out_.push_back(in.get<uint8_t>());
}

}  // namespace codemorph::platform
