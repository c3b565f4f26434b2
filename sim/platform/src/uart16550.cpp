// 16550A UART (uart16550.h). Register offsets per PC16550D Table II.
#include "codemorph/platform/uart16550.h"

namespace codemorph::platform {

namespace {
constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrThre = 0x20, kLsrTemt = 0x40;
}

uint8_t Uart16550::iir() const {
  const uint8_t fifo = fifoEnabled() ? 0xC0 : 0x00;
  // Priority (Table IV): line status, received data, THR empty, modem status.
  if ((ier_ & 0x04) && (lsrErrors_ & kLsrOe)) return fifo | 0x06;
  if ((ier_ & 0x01) && !rx_.empty()) return fifo | 0x04;
  if ((ier_ & 0x02) && thrIpending_) return fifo | 0x02;
  return fifo | 0x01;
}

void Uart16550::update() {
  const bool level = !(iir() & 1) && (mcr_ & 0x08);
  if (level != irqLevel_) {
    irqLevel_ = level;
    if (irq_) irq_(level);
  }
}

void Uart16550::receive(uint8_t byte) {
  const size_t depth = fifoEnabled() ? 16 : 1;
  if (rx_.size() >= depth) {
    lsrErrors_ |= kLsrOe;  // overrun: the new byte is lost (FIFO mode) / overwrites (non-FIFO)
    if (!fifoEnabled()) rx_.back() = byte;
  } else {
    rx_.push_back(byte);
  }
  update();
}

uint32_t Uart16550::ioRead(uint16_t offset, unsigned) {
  const bool dlab = lcr_ & 0x80;
  uint8_t v = 0xFF;
  switch (offset & 7) {
    case 0:
      if (dlab) return dll_;
      v = 0;
      if (!rx_.empty()) {
        v = rx_.front();
        rx_.pop_front();
      }
      break;
    case 1: return dlab ? dlm_ : ier_;
    case 2:
      v = iir();
      if ((v & 0x0F) == 0x02) thrIpending_ = false;  // reading IIR clears a THRE interrupt
      break;
    case 3: return lcr_;
    case 4: return mcr_;
    case 5:
      v = static_cast<uint8_t>((rx_.empty() ? 0 : kLsrDr) | lsrErrors_ | kLsrThre | kLsrTemt);
      lsrErrors_ = 0;  // error bits clear on read
      break;
    case 6:
      if (mcr_ & 0x10) {  // loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD
        v = static_cast<uint8_t>(((mcr_ & 0x02) << 3) | ((mcr_ & 0x01) << 5) | ((mcr_ & 0x04) << 4) |
                                 ((mcr_ & 0x08) << 4));
      } else {
        v = 0xB0;  // DCD, DSR, CTS: a connected terminal
      }
      break;
    default: return scr_;
  }
  update();
  return v;
}

void Uart16550::ioWrite(uint16_t offset, unsigned, uint32_t value) {
  const auto v = static_cast<uint8_t>(value);
  const bool dlab = lcr_ & 0x80;
  switch (offset & 7) {
    case 0:
      if (dlab) {
        dll_ = v;
        return;
      }
      if (mcr_ & 0x10) {
        receive(v);
      } else if (sink_) {
        sink_->put(v);
      }
      thrIpending_ = true;  // the byte left at once: THR is empty again
      break;
    case 1:
      if (dlab) {
        dlm_ = v;
        return;
      }
      // Enabling the THRE interrupt with THR empty raises it at once (SeaBIOS's
      // detect_serial relies on IIR reading 0x02 right after IER = 0x02).
      if ((v & 0x02) && !(ier_ & 0x02)) thrIpending_ = true;
      ier_ = v & 0x0F;
      break;
    case 2:
      if ((v & 1) != (fcr_ & 1)) rx_.clear();  // changing FIFO enable resets the FIFOs
      if (v & 0x02) rx_.clear();               // RCVR FIFO reset
      fcr_ = v & 0xC9;
      break;
    case 3: lcr_ = v; break;
    case 4: mcr_ = v & 0x1F; break;
    case 5:
    case 6: break;  // LSR and MSR are read-only here (factory test writes ignored)
    default: scr_ = v; break;
  }
  update();
}

void Uart16550::save(support::OutArchive& out) const {
  out.beginSection("platform.uart16550", 1);
  out.put(static_cast<uint64_t>(rx_.size()));
  for (uint8_t b : rx_) out.put(b);
  for (uint8_t v : {ier_, fcr_, lcr_, mcr_, lsrErrors_, scr_, dll_, dlm_}) out.put(v);
  out.put(thrIpending_);
  out.put(irqLevel_);
}

void Uart16550::load(support::InArchive& in) {
  in.beginSection("platform.uart16550", 1);
  const auto n = in.get<uint64_t>();
  if (n > 16) throw support::CheckpointError("uart16550: receive FIFO holds more than 16 bytes");
  rx_.clear();
  for (uint64_t i = 0; i < n; ++i) rx_.push_back(in.get<uint8_t>());
  for (uint8_t* v : {&ier_, &fcr_, &lcr_, &mcr_, &lsrErrors_, &scr_, &dll_, &dlm_}) in.get(*v);
  in.get(thrIpending_);
  in.get(irqLevel_);
}

}  // namespace codemorph::platform
