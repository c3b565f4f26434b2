// 16550A: transmit to the sink, receive FIFO and LSR, DLAB divisor, IER/IIR including the
// probe SeaBIOS's detect_serial does, OUT2-gated interrupt, loopback, checkpoint.
#include "codemorph/platform/uart16550.h"

#include <gtest/gtest.h>

namespace codemorph::platform {
namespace {

struct UartRig {
  StringSink sink;
  bool irq = false;
  Uart16550 uart{&sink, [this](bool level) { irq = level; }};
};

TEST(Uart, TransmitGoesToSinkAndLsrShowsEmpty) {
  UartRig r;
  for (char c : std::string("hi\n")) r.uart.ioWrite(0, 1, static_cast<uint8_t>(c));
  EXPECT_EQ(r.sink.text, "hi\n");
  EXPECT_EQ(r.uart.ioRead(5, 1), 0x60u);  // THRE | TEMT, no data
}

TEST(Uart, DivisorLatch) {
  UartRig r;
  r.uart.ioWrite(3, 1, 0x83);  // DLAB, 8N1
  r.uart.ioWrite(0, 1, 0x01);  // 115200
  r.uart.ioWrite(1, 1, 0x00);
  EXPECT_EQ(r.uart.divisor(), 1);
  EXPECT_EQ(r.uart.ioRead(0, 1), 0x01u);
  r.uart.ioWrite(3, 1, 0x03);
  EXPECT_EQ(r.uart.ioRead(3, 1), 0x03u);
  EXPECT_EQ(r.uart.ioRead(1, 1), 0x00u);  // IER again
  EXPECT_TRUE(r.sink.text.empty());
}

TEST(Uart, SeaBiosDetectSerialProbe) {
  UartRig r;
  r.uart.ioWrite(1, 1, 0x02);
  EXPECT_EQ(r.uart.ioRead(1, 1), 0x02u);
  EXPECT_EQ(r.uart.ioRead(2, 1) & 0x3F, 0x02u);
  EXPECT_EQ(r.uart.ioRead(2, 1) & 0x3F, 0x01u);  // reading IIR cleared the THRE interrupt
  r.uart.ioWrite(1, 1, 0x00);
}

TEST(Uart, ReceiveFifoAndDataReadyInterrupt) {
  UartRig r;
  r.uart.ioWrite(2, 1, 0x07);  // FIFO on, reset both
  r.uart.ioWrite(4, 1, 0x08);  // OUT2: interrupt reaches the PIC
  r.uart.ioWrite(1, 1, 0x01);  // RDA interrupt
  EXPECT_FALSE(r.irq);
  r.uart.receive('a');
  r.uart.receive('b');
  EXPECT_TRUE(r.irq);
  EXPECT_EQ(r.uart.ioRead(2, 1), 0xC4u);
  EXPECT_EQ(r.uart.ioRead(5, 1) & 1, 1u);
  EXPECT_EQ(r.uart.ioRead(0, 1), uint32_t{'a'});
  EXPECT_EQ(r.uart.ioRead(0, 1), uint32_t{'b'});
  EXPECT_FALSE(r.irq);
  EXPECT_EQ(r.uart.ioRead(2, 1), 0xC1u);
}

TEST(Uart, InterruptGatedByOut2) {
  UartRig r;
  r.uart.ioWrite(1, 1, 0x02);
  EXPECT_FALSE(r.irq);
  r.uart.ioWrite(4, 1, 0x08);
  EXPECT_TRUE(r.irq);
}

TEST(Uart, OverrunSetsLsrAndClearsOnRead) {
  UartRig r;  // FIFO off: one-byte holding register
  r.uart.receive('x');
  r.uart.receive('y');
  EXPECT_EQ(r.uart.ioRead(5, 1) & 0x03, 0x03u);
  EXPECT_EQ(r.uart.ioRead(5, 1) & 0x02, 0x00u);
}

TEST(Uart, LoopbackRoutesThrAndModemLines) {
  UartRig r;
  r.uart.ioWrite(4, 1, 0x1F);
  r.uart.ioWrite(0, 1, 'Z');
  EXPECT_TRUE(r.sink.text.empty());
  EXPECT_EQ(r.uart.ioRead(0, 1), uint32_t{'Z'});
  EXPECT_EQ(r.uart.ioRead(6, 1), 0xF0u);
}

TEST(Uart, CheckpointRoundTrip) {
  UartRig a, b;
  a.uart.ioWrite(2, 1, 0x01);
  a.uart.ioWrite(7, 1, 0x5A);
  a.uart.receive('q');
  support::OutArchive out;
  a.uart.save(out);
  support::InArchive in(out.bytes());
  b.uart.load(in);
  EXPECT_TRUE(in.atEnd());
  EXPECT_EQ(b.uart.ioRead(7, 1), 0x5Au);
  EXPECT_EQ(b.uart.ioRead(0, 1), uint32_t{'q'});
}

}  // namespace
}  // namespace codemorph::platform
