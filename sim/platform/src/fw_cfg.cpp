// QEMU fw_cfg, I/O-port interface (fw_cfg.h).
#include "codemorph/platform/fw_cfg.h"

#include <algorithm>
#include <stdexcept>

namespace codemorph::platform {
namespace {

void putLe(std::vector<uint8_t>& v, uint64_t x, unsigned n) {
  for (unsigned i = 0; i < n; ++i) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}
void putBe(std::vector<uint8_t>& v, uint64_t x, unsigned n) {
  for (unsigned i = n; i-- > 0;) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}
std::vector<uint8_t> le(uint64_t x, unsigned n) {
  std::vector<uint8_t> v;
  putLe(v, x, n);
  return v;
}

}  // namespace

FwCfg::FwCfg(const FwCfgConfig& config) {
  addItem(kSignature, {'Q', 'E', 'M', 'U'});
  addItem(kId, le(1, 4));
  addItem(0x02, std::vector<uint8_t>(16, 0));
  addItem(kRamSize, le(config.ramBytes, 8));
  addItem(0x04, le(0, 2));
  addItem(kNbCpus, le(config.cpus, 2));
  addItem(0x0E, le(0, 2));
  addItem(0x0F, le(config.cpus, 2));
  addItem(0x8002, le(1, 4));
  constexpr uint64_t kLowMax = 0xE0000000;
  const uint64_t low = std::min(config.ramBytes, kLowMax);
  std::vector<uint8_t> e820;
  auto entry = [&](uint64_t base, uint64_t length, uint32_t type) {
    putLe(e820, base, 8);
    putLe(e820, length, 8);
    putLe(e820, type, 4);
  };
  entry(0, low, kE820Ram);
  if (config.ramBytes > low) entry(uint64_t{1} << 32, config.ramBytes - low, kE820Ram);
  addFile("etc/e820", std::move(e820));
  addFile("bootorder", std::vector<uint8_t>(config.bootorder.begin(), config.bootorder.end()));
}

void FwCfg::addItem(uint16_t key, std::vector<uint8_t> data) { items_[key] = std::move(data); }

void FwCfg::addFile(const std::string& name, std::vector<uint8_t> data) {
  if (name.size() >= 56) throw std::invalid_argument("fw_cfg file name too long: " + name);
  files_[name] = std::move(data);
  rebuildDirectory();
}

void FwCfg::rebuildDirectory() {
  for (auto it = items_.begin(); it != items_.end();) {  // drop old file selectors
    const uint16_t k = it->first & 0x3FFF;
    it = (k >= kFileFirst && k < 0x8000) ? items_.erase(it) : std::next(it);
  }
  std::vector<uint8_t> dir;
  putBe(dir, files_.size(), 4);
  uint16_t select = kFileFirst;
  for (const auto& [name, data] : files_) {
    putBe(dir, data.size(), 4);
    putBe(dir, select, 2);
    putBe(dir, 0, 2);
    std::string padded = name;
    padded.resize(56, '\0');
    dir.insert(dir.end(), padded.begin(), padded.end());
    items_[select++] = data;
  }
  items_[kFileDir] = std::move(dir);
}

uint32_t FwCfg::ioRead(uint16_t /*offset*/, unsigned size) {
  if (size != 1) return size == 4 ? 0xFFFFFFFFu : 0xFFFFu;
  auto it = items_.find(selector_);
  if (it == items_.end() || offset_ >= it->second.size()) return 0;
  return it->second[offset_++];
}

void FwCfg::ioWrite(uint16_t offset, unsigned size, uint32_t value) {
  if (size == 2 && offset == 0) {
    selector_ = static_cast<uint16_t>(value);
    offset_ = 0;
  }
  // Byte writes to the data register are ignored (QEMU since 2.4).
}

void FwCfg::save(support::OutArchive& out) const {
  out.beginSection("platform.fw_cfg", 1);
  out.put(selector_);
  out.put(offset_);
}

void FwCfg::load(support::InArchive& in) {
  in.beginSection("platform.fw_cfg", 1);
  in.get(selector_);
  in.get(offset_);
}

}  // namespace codemorph::platform
