// PCI configuration space and mechanism #1 (pci.h).
#include "codemorph/platform/pci.h"

#include <stdexcept>

namespace codemorph::platform {

PciFunction::PciFunction(std::string name, const Identity& id) : name_(std::move(name)) {
  set(pcireg::kVendor, 2, id.vendor);
  set(pcireg::kDevice, 2, id.device);
  set(pcireg::kRevision, 1, id.revision);
  set(pcireg::kProgIf, 1, id.progIf);
  set(pcireg::kClass, 2, id.classCode);
  set(pcireg::kHeaderType, 1, id.headerType);
  // Subsystem IDs as QEMU gives every device (Red Hat 1AF4h, "QEMU virtual machine" 1100h):
  // SeaBIOS reads them from 00:00.0 to decide it runs on QEMU and may use fw_cfg.
  set(pcireg::kSubsysVendor, 2, kSubsystemVendor);
  set(pcireg::kSubsysVendor + 2, 2, kSubsystemId);
  // QEMU's pci_init_wmask: COMMAND I/O, memory, master, parity, SERR, INTx disable; cache
  // line size, latency timer, interrupt line; all of 0x40-0xFF.
  setWritable(pcireg::kCommand, 2, 0x0547);
  setWritable(0x0C, 2, 0xFFFF);
  setWritable(pcireg::kInterruptLine, 1, 0xFF);
  for (unsigned i = 0x40; i < 0x100; ++i) wmask_[i] = 0xFF;
}

uint32_t PciFunction::get(uint8_t offset, unsigned size) const {
  if (size > 4) throw std::logic_error("PCI config access wider than 4 bytes");
  uint32_t v = 0;
  for (unsigned i = 0; i < size && offset + i < 256; ++i) v |= uint32_t{config_[offset + i]} << (8 * i);
  return v;
}

void PciFunction::set(uint8_t offset, unsigned size, uint32_t value) {
  if (size > 4) throw std::logic_error("PCI config access wider than 4 bytes");
  for (unsigned i = 0; i < size && offset + i < 256; ++i) {
    config_[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  }
}

void PciFunction::setWritable(uint8_t offset, unsigned size, uint32_t mask) {
  if (size > 4) throw std::logic_error("PCI config access wider than 4 bytes");
  for (unsigned i = 0; i < size && offset + i < 256; ++i) wmask_[offset + i] = static_cast<uint8_t>(mask >> (8 * i));
}

void PciFunction::setW1c(uint8_t offset, unsigned size, uint32_t mask) {
  if (size > 4) throw std::logic_error("PCI config access wider than 4 bytes");
  for (unsigned i = 0; i < size && offset + i < 256; ++i) w1c_[offset + i] = static_cast<uint8_t>(mask >> (8 * i));
}

void PciFunction::addIoBar(unsigned index, uint32_t size) {
  const auto reg = static_cast<uint8_t>(pcireg::kBar0 + 4 * index);
  set(reg, 4, 0x1);  // I/O space indicator
  setWritable(reg, 4, ~(size - 1) & 0xFFFFFFFCu);
}

uint32_t PciFunction::configRead(uint8_t offset, unsigned size) const { return get(offset, size); }

void PciFunction::configWrite(uint8_t offset, unsigned size, uint32_t value) {
  for (unsigned i = 0; i < size && offset + i < 256; ++i) {
    const unsigned at = offset + i;
    const auto b = static_cast<uint8_t>(value >> (8 * i));
    config_[at] = static_cast<uint8_t>((config_[at] & ~wmask_[at]) | (b & wmask_[at]));
    config_[at] = static_cast<uint8_t>(config_[at] & ~(b & w1c_[at]));
  }
  configWritten(offset, size);
}

void PciFunction::save(support::OutArchive& out) const {
  out.beginSection("platform.pci." + name_, 1);
  out.putBytes(config_);
  saveExtra(out);
}

void PciFunction::load(support::InArchive& in) {
  in.beginSection("platform.pci." + name_, 1);
  in.getBytes(config_);
  loadExtra(in);
  afterLoad();
}

void PciHost::attach(unsigned device, unsigned function, PciFunction& fn) {
  if (device >= 32 || function >= 8) throw std::logic_error("bad PCI device/function");
  if (!functions_.emplace(device << 3 | function, &fn).second) {
    throw std::logic_error("PCI slot taken: " + fn.name());
  }
}

PciFunction* PciHost::find(unsigned device, unsigned function) const {
  auto it = functions_.find(device << 3 | function);
  return it == functions_.end() ? nullptr : it->second;
}

PciFunction* PciHost::selected() const {
  if (!(address_ & 0x80000000u) || ((address_ >> 16) & 0xFF) != 0) return nullptr;
  auto it = functions_.find((address_ >> 8) & 0xFF);
  return it == functions_.end() ? nullptr : it->second;
}

uint32_t PciHost::ioRead(uint16_t offset, unsigned size) {
  if (offset >= 4) {  // CONFIG_DATA through dataPorts(): offsets 4-7
    const unsigned k = offset - 4u;
    PciFunction* fn = selected();
    if (!fn) return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    return fn->configRead(static_cast<uint8_t>((address_ & 0xFC) | k), size);
  }
  return size == 4 && offset == 0 ? address_ : 0xFFFFFFFFu;
}

void PciHost::ioWrite(uint16_t offset, unsigned size, uint32_t value) {
  if (offset >= 4) {
    const unsigned k = offset - 4u;
    if (PciFunction* fn = selected()) fn->configWrite(static_cast<uint8_t>((address_ & 0xFC) | k), size, value);
    return;
  }
  if (size == 4 && offset == 0) address_ = value & 0x80FFFFFCu;
}

void PciHost::save(support::OutArchive& out) const {
  out.beginSection("platform.pci_host", 1);
  out.put(address_);
}

void PciHost::load(support::InArchive& in) {
  in.beginSection("platform.pci_host", 1);
  in.get(address_);
}

}  // namespace codemorph::platform
