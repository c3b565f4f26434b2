// National/TI 16550A UART (PC16550D datasheet, section 8 "Registers": RBR/THR, IER, IIR,
// FCR, LCR, MCR, LSR, MSR, SCR, DLL/DLM behind LCR.DLAB). The transmitter completes
// instantly: a byte written to THR goes to the sink at once and THRE/TEMT stay set, so
// no baud-rate timing reaches the guest (the divisor is kept and read back only). Received
// bytes come from the host through receive() into the 16-byte FIFO (or the 1-byte holding
// register with FIFOs off). The interrupt output is gated by MCR.OUT2, as the PC wires it
// to IRQ4/IRQ3. Loopback (MCR bit 4) routes THR to the receiver and MCR to MSR.
#pragma once
#include <cstdint>
#include <deque>

#include "codemorph/platform/io_device.h"
#include "codemorph/platform/output_sink.h"

namespace codemorph::platform {

class Uart16550 : public IoDevice {
 public:
  Uart16550(OutputSink* sink, IrqLine irq) : sink_(sink), irq_(std::move(irq)) {}
  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void receive(uint8_t byte);  // from the host side
  uint16_t divisor() const { return static_cast<uint16_t>(dll_ | (dlm_ << 8)); }
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  uint8_t iir() const;
  void update();
  bool fifoEnabled() const { return fcr_ & 1; }

  OutputSink* sink_;
  IrqLine irq_;
  std::deque<uint8_t> rx_;
  uint8_t ier_ = 0, fcr_ = 0, lcr_ = 0, mcr_ = 0, lsrErrors_ = 0, scr_ = 0, dll_ = 0x0C, dlm_ = 0;
  bool thrIpending_ = false;  // THRE interrupt: set when THR empties, cleared by IIR read/THR write
  bool irqLevel_ = false;
};

}  // namespace codemorph::platform
