// IDE channel with one ATA PIO disk (ide_channel.h).
#include "codemorph/platform/ide_channel.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace codemorph::platform {

namespace {
constexpr uint8_t kMaxMultiple = 16;
// ATA string fields: two characters per word, the first in the high byte, space padded.
void putString(std::array<uint8_t, 512>& b, unsigned word, unsigned words, const char* text) {
  const size_t len = std::strlen(text);
  for (unsigned i = 0; i < words * 2; ++i) {
    const char c = i < len ? text[i] : ' ';
    b[2 * word + (i ^ 1)] = static_cast<uint8_t>(c);
  }
}
void putWord(std::array<uint8_t, 512>& b, unsigned word, uint16_t v) {
  b[2 * word] = static_cast<uint8_t>(v);
  b[2 * word + 1] = static_cast<uint8_t>(v >> 8);
}
}  // namespace

IdeChannel::IdeChannel(DiskImage* disk, IrqLine irq) : disk_(disk), irq_(std::move(irq)) { reset(); }

void IdeChannel::reset() {
  transfer_ = Transfer::None;
  pos_ = 0;
  remaining_ = blockLeft_ = 0;
  feature_ = hobFeature_ = hobCount_ = hobLbaLow_ = hobLbaMid_ = hobLbaHigh_ = 0;
  device_ = 0;
  setSignature();
  status_ = disk_ ? static_cast<uint8_t>(kDrdy | kDsc) : 0;
  error_ = disk_ ? 0x01 : 0;  // diagnostic code 01h: device 0 passed, device 1 absent
  setIntrq(false);
}

void IdeChannel::setSignature() {  // ATA device signature (ATA-7 vol. 1, 9.12)
  count_ = 1;
  lbaLow_ = 1;
  lbaMid_ = 0;
  lbaHigh_ = 0;
}

IdeChannel::Geometry IdeChannel::defaultGeometry() const {
  const uint64_t sectors = disk_ ? disk_->sectors() : 0;
  uint64_t cyl = sectors / (16 * 63);
  cyl = std::clamp<uint64_t>(cyl, 2, 16383);  // QEMU's guess for LBA-sized disks
  return {static_cast<uint16_t>(cyl), 16, 63};
}

void IdeChannel::setIntrq(bool on) {
  intrq_ = on;
  if (irq_) irq_(irqLevel());
}

uint8_t IdeChannel::alternateStatus() const {
  if (!disk_) return 0;
  return selectedPresent() ? status_ : 0;
}

void IdeChannel::writeDeviceControl(uint8_t value) {
  const uint8_t old = devControl_;
  devControl_ = value;
  if ((value & kSrst) && !(old & kSrst)) {
    transfer_ = Transfer::None;
    status_ = kBsy;  // held in reset until SRST is cleared
  } else if (!(value & kSrst) && (old & kSrst)) {
    reset();
  }
  if (irq_) irq_(irqLevel());
}

uint32_t IdeChannel::ioRead(uint16_t offset, unsigned size) {
  if (offset == 0) {
    if (size == 4) {
      const uint32_t lo = readData16();
      return lo | (static_cast<uint32_t>(readData16()) << 16);
    }
    const uint16_t v = readData16();
    return size == 1 ? (v & 0xFFu) : v;
  }
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= static_cast<uint32_t>(readRegister((offset + i) & 7)) << (8 * i);
  return v;
}

void IdeChannel::ioWrite(uint16_t offset, unsigned size, uint32_t value) {
  if (offset == 0) {
    writeData16(static_cast<uint16_t>(value));
    if (size == 4) writeData16(static_cast<uint16_t>(value >> 16));
    return;
  }
  for (unsigned i = 0; i < size; ++i) writeRegister((offset + i) & 7, static_cast<uint8_t>(value >> (8 * i)));
}

uint8_t IdeChannel::readRegister(unsigned reg) {
  if (!disk_) return 0;
  const bool hob = (devControl_ & kHob) != 0;
  switch (reg) {
    case 1: return selectedPresent() ? (hob ? hobFeature_ : error_) : 0;
    case 2: return hob ? hobCount_ : count_;
    case 3: return hob ? hobLbaLow_ : lbaLow_;
    case 4: return hob ? hobLbaMid_ : lbaMid_;
    case 5: return hob ? hobLbaHigh_ : lbaHigh_;
    case 6: return device_;
    case 7:
      if (!selectedPresent()) return 0;
      setIntrq(false);
      return status_;
    default: return 0xFF;
  }
}

void IdeChannel::writeRegister(unsigned reg, uint8_t value) {
  devControl_ &= static_cast<uint8_t>(~kHob);  // a task-file write clears HOB (ATA-7 6.17)
  switch (reg) {
    case 1: hobFeature_ = std::exchange(feature_, value); break;
    case 2: hobCount_ = std::exchange(count_, value); break;
    case 3: hobLbaLow_ = std::exchange(lbaLow_, value); break;
    case 4: hobLbaMid_ = std::exchange(lbaMid_, value); break;
    case 5: hobLbaHigh_ = std::exchange(lbaHigh_, value); break;
    case 6:
      device_ = value;
      if (irq_) irq_(irqLevel());
      break;
    case 7:
      if (!disk_ || (!selectedPresent() && value != 0x90)) return;  // absent device: ignored
      setIntrq(false);
      execute(value);
      break;
    default: break;
  }
}

uint16_t IdeChannel::readData16() {
  if (transfer_ != Transfer::PioIn) return 0;
  const uint16_t v = static_cast<uint16_t>(buffer_[pos_] | (buffer_[pos_ + 1] << 8));
  pos_ = static_cast<uint16_t>(pos_ + 2);
  if (pos_ < buffer_.size()) return v;
  // One sector moved.
  pos_ = 0;
  --remaining_;
  --blockLeft_;
  ++nextLba_;
  if (remaining_ == 0) {
    transfer_ = Transfer::None;
    status_ = kDrdy | kDsc;
    count_ = 0;
  } else {
    startRead();
  }
  return v;
}

void IdeChannel::writeData16(uint16_t value) {
  if (transfer_ != Transfer::PioOut) return;
  buffer_[pos_] = static_cast<uint8_t>(value);
  buffer_[pos_ + 1] = static_cast<uint8_t>(value >> 8);
  pos_ = static_cast<uint16_t>(pos_ + 2);
  if (pos_ == buffer_.size()) finishBlockOut();
}

unsigned IdeChannel::blockSectors() const {
  const bool multiple = command_ == 0xC4 || command_ == 0x29 || command_ == 0xC5 || command_ == 0x39;
  return multiple ? multiple_ : 1;
}

void IdeChannel::startRead() {
  const bool newBlock = blockLeft_ == 0;
  if (newBlock) blockLeft_ = std::min<uint32_t>(blockSectors(), remaining_);
  disk_->read(nextLba_, std::span<uint8_t, 512>(buffer_));
  pos_ = 0;
  status_ = kDrdy | kDsc | kDrq;
  if (newBlock) setIntrq(true);  // data-in: INTRQ at the start of each DRQ block
}

void IdeChannel::finishBlockOut() {
  disk_->write(nextLba_, std::span<const uint8_t, 512>(buffer_));
  pos_ = 0;
  ++nextLba_;
  --remaining_;
  --blockLeft_;
  if (remaining_ == 0) {
    transfer_ = Transfer::None;
    status_ = kDrdy | kDsc;
    count_ = 0;
    setIntrq(true);
  } else if (blockLeft_ == 0) {
    blockLeft_ = std::min<uint32_t>(blockSectors(), remaining_);
    status_ = kDrdy | kDsc | kDrq;
    setIntrq(true);  // data-out: INTRQ after each block
  }
}

void IdeChannel::abort(uint8_t error) {
  transfer_ = Transfer::None;
  error_ = error;
  status_ = kDrdy | kDsc | kErr;
  setIntrq(true);
}

void IdeChannel::complete() {
  transfer_ = Transfer::None;
  error_ = 0;
  status_ = kDrdy | kDsc;
  setIntrq(true);
}

bool IdeChannel::decodeAddress(bool ext, uint64_t& lba, uint32_t& count) {
  if (ext) {
    lba = (uint64_t{hobLbaHigh_} << 40) | (uint64_t{hobLbaMid_} << 32) | (uint64_t{hobLbaLow_} << 24) |
          (uint64_t{lbaHigh_} << 16) | (uint64_t{lbaMid_} << 8) | lbaLow_;
    count = (uint32_t{hobCount_} << 8) | count_;
    if (count == 0) count = 65536;
  } else {
    count = count_ ? count_ : 256;
    if (device_ & 0x40) {
      lba = (uint64_t{device_ & 0x0Fu} << 24) | (uint64_t{lbaHigh_} << 16) | (uint64_t{lbaMid_} << 8) | lbaLow_;
    } else {
      const Geometry g = defaultGeometry();
      const uint32_t heads = logicalHeads_ ? logicalHeads_ : g.heads;
      const uint32_t spt = logicalSectors_ ? logicalSectors_ : g.sectors;
      const uint32_t cyl = lbaMid_ | (uint32_t{lbaHigh_} << 8), head = device_ & 0x0Fu, sector = lbaLow_;
      if (sector == 0 || sector > spt || head >= heads) {
        abort(kIdnf);
        return false;
      }
      lba = (uint64_t{cyl} * heads + head) * spt + (sector - 1);
    }
  }
  if (lba + count > disk_->sectors()) {
    abort(kIdnf);
    return false;
  }
  return true;
}

void IdeChannel::execute(uint8_t command) {
  command_ = command;
  transfer_ = Transfer::None;
  uint64_t lba = 0;
  uint32_t count = 0;
  switch (command) {
    case 0xEC:  // IDENTIFY DEVICE
      fillIdentify();
      transfer_ = Transfer::PioIn;
      remaining_ = blockLeft_ = 1;
      pos_ = 0;
      error_ = 0;
      status_ = kDrdy | kDsc | kDrq;
      setIntrq(true);
      return;
    case 0x20: case 0x21: case 0x24: case 0xC4: case 0x29: {  // READ SECTORS / MULTIPLE (EXT)
      const bool multiple = command == 0xC4 || command == 0x29;
      if (multiple && multiple_ == 0) return abort();
      if (!decodeAddress(command == 0x24 || command == 0x29, lba, count)) return;
      transfer_ = Transfer::PioIn;
      nextLba_ = lba;
      remaining_ = count;
      blockLeft_ = 0;
      error_ = 0;
      startRead();
      return;
    }
    case 0x30: case 0x31: case 0x34: case 0xC5: case 0x39: {  // WRITE SECTORS / MULTIPLE (EXT)
      const bool multiple = command == 0xC5 || command == 0x39;
      if (multiple && multiple_ == 0) return abort();
      if (!decodeAddress(command == 0x34 || command == 0x39, lba, count)) return;
      transfer_ = Transfer::PioOut;
      nextLba_ = lba;
      remaining_ = count;
      blockLeft_ = std::min<uint32_t>(blockSectors(), count);
      pos_ = 0;
      error_ = 0;
      status_ = kDrdy | kDsc | kDrq;  // first block: DRQ without INTRQ
      return;
    }
    case 0x40: case 0x41: case 0x42:  // READ VERIFY SECTORS (EXT)
      if (!decodeAddress(command == 0x42, lba, count)) return;
      return complete();
    case 0xC6:  // SET MULTIPLE MODE
      if (count_ > kMaxMultiple || (count_ & (count_ - 1)) != 0) return abort();
      multiple_ = count_;
      return complete();
    case 0x91:  // INITIALIZE DEVICE PARAMETERS
      if (count_ == 0) return abort();
      logicalSectors_ = count_;
      logicalHeads_ = static_cast<uint16_t>((device_ & 0x0F) + 1);
      return complete();
    case 0xEF:  // SET FEATURES
      switch (feature_) {
        case 0x03:  // set transfer mode: PIO default / PIO flow control modes 0-4 only
          if (count_ <= 0x01 || (count_ >= 0x08 && count_ <= 0x0C)) return complete();
          return abort();
        case 0x02: writeCache_ = true; return complete();
        case 0x82: writeCache_ = false; return complete();
        case 0xAA: case 0x55: case 0x66: case 0xCC: return complete();
        default: return abort();
      }
    case 0x70: case 0xE7: case 0xEA: case 0xE0: case 0xE1: case 0xE2: case 0xE3:
      return complete();  // SEEK, FLUSH CACHE (EXT), STANDBY/IDLE (IMMEDIATE)
    case 0xE5:  // CHECK POWER MODE: active or idle
      count_ = 0xFF;
      return complete();
    case 0x90:  // EXECUTE DEVICE DIAGNOSTIC
      setSignature();
      device_ &= static_cast<uint8_t>(~0x10);
      error_ = 0x01;
      status_ = kDrdy | kDsc;
      setIntrq(true);
      return;
    default:
      if ((command & 0xF0) == 0x10) return complete();  // RECALIBRATE
      return abort();
  }
}

void IdeChannel::fillIdentify() {
  buffer_.fill(0);
  const Geometry g = defaultGeometry();
  const uint64_t sectors = disk_->sectors();
  const uint16_t heads = logicalHeads_ ? logicalHeads_ : g.heads;
  const uint16_t spt = logicalSectors_ ? logicalSectors_ : g.sectors;
  const uint32_t chsCapacity = static_cast<uint32_t>(g.cylinders) * heads * spt;
  const uint32_t lba28 = static_cast<uint32_t>(std::min<uint64_t>(sectors, 0x0FFFFFFF));
  putWord(buffer_, 0, 0x0040);  // fixed device
  putWord(buffer_, 1, g.cylinders);
  putWord(buffer_, 3, g.heads);
  putWord(buffer_, 6, g.sectors);
  putString(buffer_, 10, 10, "CM00001");
  putString(buffer_, 23, 4, "1.0");
  putString(buffer_, 27, 20, "CODEMORPH HARDDISK");
  putWord(buffer_, 47, 0x8000 | kMaxMultiple);
  putWord(buffer_, 48, 1);                      // 32-bit PIO
  putWord(buffer_, 49, (1u << 11) | (1u << 9)); // IORDY, LBA (no DMA)
  putWord(buffer_, 51, 0x0200);
  putWord(buffer_, 53, 0x0003);                 // words 54-58 and 64-70 valid
  putWord(buffer_, 54, g.cylinders);
  putWord(buffer_, 55, heads);
  putWord(buffer_, 56, spt);
  putWord(buffer_, 57, static_cast<uint16_t>(chsCapacity));
  putWord(buffer_, 58, static_cast<uint16_t>(chsCapacity >> 16));
  putWord(buffer_, 59, multiple_ ? static_cast<uint16_t>(0x100 | multiple_) : 0);
  putWord(buffer_, 60, static_cast<uint16_t>(lba28));
  putWord(buffer_, 61, static_cast<uint16_t>(lba28 >> 16));
  putWord(buffer_, 64, 0x0003);                 // PIO modes 3 and 4
  for (unsigned w = 65; w <= 68; ++w) putWord(buffer_, w, 120);
  putWord(buffer_, 80, 0x00F0);                 // ATA/ATAPI-4 to -7
  putWord(buffer_, 81, 0x0016);
  putWord(buffer_, 82, 0x4000 | (1u << 5));     // write cache
  putWord(buffer_, 83, 0x4000 | (1u << 13) | (1u << 12) | (1u << 10));  // FLUSH EXT, FLUSH, LBA48
  putWord(buffer_, 84, 0x4000);
  putWord(buffer_, 85, static_cast<uint16_t>(0x4000 | (writeCache_ ? (1u << 5) : 0)));
  putWord(buffer_, 86, (1u << 13) | (1u << 12) | (1u << 10));
  putWord(buffer_, 87, 0x4000);
  putWord(buffer_, 93, 0x6001);                 // device 0 passed, no device 1 (CBLID)
  for (unsigned i = 0; i < 4; ++i) putWord(buffer_, 100 + i, static_cast<uint16_t>(sectors >> (16 * i)));
  // Integrity word 255: signature A5h, then the checksum making all 512 bytes sum to 0.
  buffer_[510] = 0xA5;
  uint8_t sum = 0;
  for (unsigned i = 0; i < 511; ++i) sum = static_cast<uint8_t>(sum + buffer_[i]);
  buffer_[511] = static_cast<uint8_t>(-sum);
}

void IdeChannel::save(support::OutArchive& out) const {
  out.beginSection("platform.ide", 1);
  for (uint8_t v : {feature_, count_, lbaLow_, lbaMid_, lbaHigh_, hobFeature_, hobCount_, hobLbaLow_, hobLbaMid_,
                    hobLbaHigh_, device_, status_, error_, devControl_, command_, multiple_})
    out.put(v);
  out.put(intrq_);
  out.put(transfer_);
  out.putBytes(buffer_);
  out.put(pos_);
  out.put(nextLba_);
  out.put(remaining_);
  out.put(blockLeft_);
  out.put(logicalHeads_);
  out.put(logicalSectors_);
  out.put(writeCache_);
  out.put(disk_ != nullptr);
  if (disk_) disk_->save(out);
}

void IdeChannel::load(support::InArchive& in) {
  in.beginSection("platform.ide", 1);
  for (uint8_t* v : {&feature_, &count_, &lbaLow_, &lbaMid_, &lbaHigh_, &hobFeature_, &hobCount_, &hobLbaLow_,
                     &hobLbaMid_, &hobLbaHigh_, &device_, &status_, &error_, &devControl_, &command_, &multiple_})
    in.get(*v);
  in.get(intrq_);
  in.get(transfer_);
  in.getBytes(buffer_);
  in.get(pos_);
  in.get(nextLba_);
  in.get(remaining_);
  in.get(blockLeft_);
  in.get(logicalHeads_);
  in.get(logicalSectors_);
  in.get(writeCache_);
  const bool hadDisk = in.get<bool>();
  if (hadDisk != (disk_ != nullptr)) throw support::CheckpointError("platform.ide: checkpoint and machine differ in the disk");
  if (disk_) disk_->load(in);
  if (pos_ >= buffer_.size() || (pos_ & 1)) throw support::CheckpointError("platform.ide: bad buffer position");
  if (irq_) irq_(irqLevel());
}

}  // namespace codemorph::platform
