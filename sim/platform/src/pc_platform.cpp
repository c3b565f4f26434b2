// Assembly of the legacy PC devices (pc_platform.h).
#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {

PcPlatform::PcPlatform(const PcPlatformConfig& config)
    : pit(events, [this](bool level) { pic.setIrq(0, level); }),
      port61(events, pit),
      rtc(events, config.rtcStartEpoch),
      com1(config.serialSink, [this](bool level) { pic.setIrq(4, level); }),
      debugcon(config.debugconSink),
      debugExit(control),
      bochsShutdown(control),
      port92(control),
      resetControl(control),
      piix3(pic),
      pm(ports, events, control),
      fwCfg({config.ramBytes, config.cpus, config.bootorder}),
      kbc(control, [this](bool level) { pic.setIrq(1, level); }),
      ide0(config.disk, [this](bool level) { pic.setIrq(14, level); }) {
  rtc.setMemorySize(config.ramBytes);
  ports.map(0x20, 2, pic.masterPorts(), "pic-master");
  ports.map(0xA0, 2, pic.slavePorts(), "pic-slave");
  ports.map(0x4D0, 2, pic.elcrPorts(), "elcr");
  ports.map(0x40, 4, pit, "pit");
  ports.map(0x61, 1, port61, "port61");
  ports.map(0x70, 2, rtc, "rtc");
  ports.map(0x92, 1, port92, "port92");
  ports.map(0xCF9, 1, resetControl, "reset-control");
  ports.map(0x3F8, 8, com1, "com1");
  ports.map(0x402, 1, debugcon, "debugcon");
  ports.map(0xF4, 1, debugExit, "isa-debug-exit");
  ports.map(0x8900, 1, bochsShutdown, "bochs-shutdown");
  ports.map(PciHost::kAddressPort, 4, pciHost, "pci-config-address", PortBus::Kind::Dword);
  ports.map(PciHost::kDataPort, 4, pciHost.dataPorts(), "pci-config-data", PortBus::Kind::Native);
  ports.map(FwCfg::kPort, 2, fwCfg, "fw_cfg", PortBus::Kind::Native);
  ports.map(0x60, 1, kbc.dataPort(), "i8042-data");
  ports.map(0x64, 1, kbc.commandPort(), "i8042-command");
  ports.map(0x1F0, 8, ide0, "ide0", PortBus::Kind::Native);
  ports.map(0x3F6, 1, ide0.controlPort(), "ide0-control");
  pciHost.attach(0, 0, i440fx);
  pciHost.attach(1, 0, piix3);
  pciHost.attach(1, 1, ide);
  pciHost.attach(1, 3, pm);
}

void PcPlatform::save(support::OutArchive& out) const {
  out.beginSection("platform.pc", 3);
  events.save(out);
  control.save(out);
  pic.save(out);
  pit.save(out);
  port61.save(out);
  rtc.save(out);
  com1.save(out);
  bochsShutdown.save(out);
  port92.save(out);
  resetControl.save(out);
  pciHost.save(out);
  i440fx.save(out);
  piix3.save(out);
  ide.save(out);
  pm.save(out);
  fwCfg.save(out);
  kbc.save(out);
  ide0.save(out);
}

void PcPlatform::hardReset() {
  i440fx.resetMap();
  control.setA20(true);
  ide0.reset();
}

void PcPlatform::load(support::InArchive& in) {
  if (in.beginSection("platform.pc", 3) < 3)
    throw support::CheckpointError("platform.pc: checkpoint from an older platform (no IDE channel)");
  events.load(in);
  control.load(in);
  pic.load(in);
  pit.load(in);
  port61.load(in);
  rtc.load(in);
  com1.load(in);
  bochsShutdown.load(in);
  port92.load(in);
  resetControl.load(in);
  pciHost.load(in);
  i440fx.load(in);
  piix3.load(in);
  ide.load(in);
  pm.load(in);
  fwCfg.load(in);
  kbc.load(in);
  ide0.load(in);
}

}  // namespace codemorph::platform
