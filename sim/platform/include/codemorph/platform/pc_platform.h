// The PC's legacy devices on one I/O-port bus, all driven by one event queue in
// simulated time (plain C++; tlm_io_bus.h puts it behind a TLM-2.0 target). Port map:
//   0x20/0x21 master 8259A   0xA0/0xA1 slave 8259A   0x4D0/0x4D1 ELCR
//   0x40-0x43 8254 PIT       0x61 port B (PIT ch2 gate/out)   0x70/0x71 MC146818 RTC/CMOS
//   0x92 port A (A20, init)  0xCF9 reset control    0x3F8-0x3FF COM1 16550A (IRQ4)
//   0x402 debug console      0xF4 isa-debug-exit    0x8900 Bochs shutdown
//   0xCF8 (dword) / 0xCFC-0xCFF PCI configuration mechanism #1 (pci.h), bus 0:
//     00:00.0 i440FX host bridge (PAM, SMRAM)   00:01.0 PIIX3 ISA bridge (PIRQ routing)
//     00:01.1 PIIX IDE (config space only)      00:01.3 PIIX4 PM (ACPI timer at PMBA+8)
//   PMBA..PMBA+0x3F PIIX4 PM I/O block when enabled   0x510/0x511 QEMU fw_cfg
//   0x60/0x64 8042 keyboard controller (IRQ1; A20 and reset)
//   0x1F0-0x1F7 / 0x3F6 primary IDE channel (IRQ14), an ATA disk as device 0 when given
// Whoever drives it calls syncTo(t) before every port access at time t (events due by t
// fire first), and ends any run-ahead quantum at nextEventTime() (docs/platform.md).
#pragma once
#include <memory>

#include "codemorph/platform/bochs_shutdown.h"
#include "codemorph/platform/cmos_rtc.h"
#include "codemorph/platform/debug_console.h"
#include "codemorph/platform/dual_pic.h"
#include "codemorph/platform/event_queue.h"
#include "codemorph/platform/fw_cfg.h"
#include "codemorph/platform/i440fx.h"
#include "codemorph/platform/i8042.h"
#include "codemorph/platform/ide_channel.h"
#include "codemorph/platform/isa_debug_exit.h"
#include "codemorph/platform/machine_control.h"
#include "codemorph/platform/pci.h"
#include "codemorph/platform/piix.h"
#include "codemorph/platform/pit8254.h"
#include "codemorph/platform/port61.h"
#include "codemorph/platform/port92.h"
#include "codemorph/platform/port_bus.h"
#include "codemorph/platform/reset_control.h"
#include "codemorph/platform/uart16550.h"

namespace codemorph::platform {

struct PcPlatformConfig {
  OutputSink* serialSink = nullptr;   // COM1 transmitter (null: discarded)
  OutputSink* debugconSink = nullptr; // port 0x402
  uint64_t ramBytes = 32u << 20;      // reported in CMOS and fw_cfg
  uint16_t cpus = 1;                  // fw_cfg
  std::string bootorder;              // fw_cfg "bootorder"
  int64_t rtcStartEpoch = 946684800;  // 2000-01-01 00:00:00
  DiskImage* disk = nullptr;          // primary master (-hda); not owned
};

class PcPlatform {
 public:
  explicit PcPlatform(const PcPlatformConfig& config);
  PcPlatform(const PcPlatform&) = delete;
  PcPlatform& operator=(const PcPlatform&) = delete;

  void syncTo(SimTime t) { events.runUntil(t); }
  SimTime now() const { return events.now(); }
  SimTime nextEventTime() const { return events.nextDeadline(); }
  uint32_t portIn(uint16_t port, unsigned size) { return ports.read(port, size); }
  void portOut(uint16_t port, unsigned size, uint32_t value) { ports.write(port, size, value); }

  // RESET# as a hard reset (0xCF9 with SRST, the 8042) drives it: the chipset's memory
  // map to power-on (PAM all ROM, SMRAM closed), A20 enabled, the IDE channel reset. The
  // interrupt controllers, timers and the other devices keep their state; firmware
  // programs them again after a reset (what a soft reset through port 0x92 also relies on).
  void hardReset();

  // The whole platform state (event queue time first, then every device).
  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

  EventQueue events;  // declared first: devices' timers refer to it
  PortBus ports;
  MachineControl control;
  DualPic pic;
  Pit8254 pit;
  Port61 port61;
  CmosRtc rtc;
  Uart16550 com1;
  DebugConsole debugcon;
  IsaDebugExit debugExit;
  BochsShutdown bochsShutdown;
  Port92 port92;
  ResetControl resetControl;
  PciHost pciHost;
  I440fx i440fx;      // 00:00.0; its map-changed hook is where the memory bus listens
  Piix3Isa piix3;     // 00:01.0
  PiixIde ide;        // 00:01.1
  Piix4Pm pm;         // 00:01.3
  FwCfg fwCfg;
  I8042 kbc;
  IdeChannel ide0;    // primary channel of the PIIX IDE function
};

}  // namespace codemorph::platform
