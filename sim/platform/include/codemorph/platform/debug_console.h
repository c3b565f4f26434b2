// QEMU/Bochs debug console at port 0x402 (SeaBIOS CONFIG_DEBUG_IO): every byte written
// goes to the sink; reading returns 0xE9, the value SeaBIOS checks to detect the port.
#pragma once
#include "codemorph/platform/io_device.h"
#include "codemorph/platform/output_sink.h"

namespace codemorph::platform {

class DebugConsole : public IoDevice {
 public:
  explicit DebugConsole(OutputSink* sink) : sink_(sink) {}
  uint32_t ioRead(uint16_t, unsigned) override { return 0xE9; }
  void ioWrite(uint16_t, unsigned, uint32_t value) override {
    if (sink_) sink_->put(static_cast<uint8_t>(value));
  }
  void save(support::OutArchive&) const override {}  // stateless
  void load(support::InArchive&) override {}

 private:
  OutputSink* sink_;
};

}  // namespace codemorph::platform
