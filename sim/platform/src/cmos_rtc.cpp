// MC146818 RTC and CMOS RAM (cmos_rtc.h). Calendar conversion: days-from-civil and
// civil-from-days on the proleptic Gregorian calendar (H. Hinnant's algorithms).
#include "codemorph/platform/cmos_rtc.h"

namespace codemorph::platform {

namespace {
constexpr uint8_t kRegA = 0x0A, kRegB = 0x0B, kRegC = 0x0C, kRegD = 0x0D, kCentury = 0x32;
constexpr uint8_t kBSet = 0x80, kBBinary = 0x04, kB24h = 0x02;

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second, weekday;  // weekday 1 = Sunday (datasheet)
};

int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Civil civilFromSeconds(int64_t s) {
  int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  const int64_t secs = s - days * 86400;
  Civil c{};
  c.hour = static_cast<unsigned>(secs / 3600);
  c.minute = static_cast<unsigned>(secs / 60 % 60);
  c.second = static_cast<unsigned>(secs % 60);
  c.weekday = static_cast<unsigned>(((days % 7) + 7 + 4) % 7) + 1;  // 1970-01-01 was a Thursday
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
  return c;
}

int64_t secondsFromCivil(const Civil& c) {
  return daysFromCivil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
}
}  // namespace

CmosRtc::CmosRtc(const EventQueue& queue, int64_t startEpoch) : queue_(queue), startEpoch_(startEpoch) {
  ram_[kRegA] = 0x26;  // 32.768 kHz time base, 1024 Hz rate (the power-on value BIOSes set)
  ram_[kRegB] = kB24h;
  ram_[kRegD] = 0x80;  // VRT: RAM and time valid
}

int64_t CmosRtc::guestSeconds() const {
  if (ram_[kRegB] & kBSet) return frozen_;
  return startEpoch_ + offset_ + static_cast<int64_t>(queue_.now() / kPicosPerSecond);
}

uint8_t CmosRtc::encode(unsigned v) const {
  return static_cast<uint8_t>((ram_[kRegB] & kBBinary) ? v : ((v / 10) << 4) | (v % 10));
}

unsigned CmosRtc::decode(uint8_t v) const { return (ram_[kRegB] & kBBinary) ? v : (v >> 4) * 10 + (v & 0x0F); }

uint8_t CmosRtc::readRegister(uint8_t index) {
  index &= 0x7F;
  const Civil c = civilFromSeconds(guestSeconds());
  switch (index) {
    case 0x00: return encode(c.second);
    case 0x02: return encode(c.minute);
    case 0x04:
      if (ram_[kRegB] & kB24h) return encode(c.hour);
      return static_cast<uint8_t>(encode(c.hour % 12 == 0 ? 12 : c.hour % 12) | (c.hour >= 12 ? 0x80 : 0));
    case 0x06: return encode(c.weekday);
    case 0x07: return encode(c.day);
    case 0x08: return encode(c.month);
    case 0x09: return encode(static_cast<unsigned>(c.year % 100));
    case kCentury: return encode(static_cast<unsigned>(c.year / 100));
    case kRegA: {
      const SimTime inSecond = queue_.now() % kPicosPerSecond;
      const bool uip = !(ram_[kRegB] & kBSet) && inSecond >= kPicosPerSecond - 244 * kPicosPerMicro;
      return static_cast<uint8_t>((ram_[kRegA] & 0x7F) | (uip ? 0x80 : 0));
    }
    case kRegC: return 0;  // no interrupt sources modelled yet; reading clears anyway
    case kRegD: return 0x80;
    default: return ram_[index];
  }
}

void CmosRtc::writeRegister(uint8_t index, uint8_t value) {
  index &= 0x7F;
  Civil c = civilFromSeconds(guestSeconds());
  bool timeWrite = true;
  switch (index) {
    case 0x00: c.second = decode(value) % 60; break;
    case 0x02: c.minute = decode(value) % 60; break;
    case 0x04:
      if (ram_[kRegB] & kB24h) {
        c.hour = decode(value) % 24;
      } else {
        c.hour = decode(value & 0x7F) % 12 + ((value & 0x80) ? 12 : 0);
      }
      break;
    case 0x07: c.day = decode(value); break;
    case 0x08: c.month = decode(value); break;
    case 0x09: c.year = c.year / 100 * 100 + decode(value) % 100; break;
    case kCentury: c.year = decode(value) * 100 + c.year % 100; break;
    case 0x06: timeWrite = false; break;  // the day of week follows the date here
    case kRegB: {
      const bool wasSet = ram_[kRegB] & kBSet;
      if ((value & kBSet) && !wasSet) frozen_ = guestSeconds();
      if (!(value & kBSet) && wasSet) offset_ = frozen_ - startEpoch_ - static_cast<int64_t>(queue_.now() / kPicosPerSecond);
      ram_[kRegB] = value;
      return;
    }
    case kRegC:
    case kRegD: return;  // read-only
    default:
      timeWrite = false;
      ram_[index] = value;
      break;
  }
  if (!timeWrite) return;
  if (c.month < 1 || c.month > 12) c.month = 1;
  if (c.day < 1 || c.day > 31) c.day = 1;
  const int64_t s = secondsFromCivil(c);
  if (ram_[kRegB] & kBSet) {
    frozen_ = s;
  } else {
    offset_ = s - startEpoch_ - static_cast<int64_t>(queue_.now() / kPicosPerSecond);
  }
}

uint32_t CmosRtc::ioRead(uint16_t offset, unsigned) {
  if ((offset & 1) == 0) return 0xFF;  // the index register is write-only on the AT
  return readRegister(index_);
}

void CmosRtc::ioWrite(uint16_t offset, unsigned, uint32_t value) {
  if ((offset & 1) == 0) {
    index_ = value & 0x7F;
    nmiMasked_ = value & 0x80;
  } else {
    writeRegister(index_, static_cast<uint8_t>(value));
  }
}

void CmosRtc::setMemorySize(uint64_t bytes) {
  auto put16 = [&](uint8_t at, uint64_t v) {
    if (v > 0xFFFF) v = 0xFFFF;
    ram_[at] = static_cast<uint8_t>(v);
    ram_[at + 1] = static_cast<uint8_t>(v >> 8);
  };
  const uint64_t below4g = bytes < (uint64_t{0xE0000000}) ? bytes : uint64_t{0xE0000000};
  put16(0x15, 640);
  const uint64_t extKiB = below4g > (1u << 20) ? (below4g - (1u << 20)) / 1024 : 0;
  put16(0x17, extKiB);
  put16(0x30, extKiB);
  put16(0x34, below4g > (16u << 20) ? (below4g - (16u << 20)) >> 16 : 0);
  const uint64_t above4g = bytes > below4g ? (bytes - below4g) >> 16 : 0;
  ram_[0x5B] = static_cast<uint8_t>(above4g);
  ram_[0x5C] = static_cast<uint8_t>(above4g >> 8);
  ram_[0x5D] = static_cast<uint8_t>(above4g >> 16);
  ram_[0x5F] = 0;  // one CPU
}

void CmosRtc::save(support::OutArchive& out) const {
  out.beginSection("platform.cmos_rtc", 1);
  out.put(startEpoch_);
  out.put(offset_);
  out.put(frozen_);
  out.put(ram_);
  out.put(index_);
  out.put(nmiMasked_);
}

void CmosRtc::load(support::InArchive& in) {
  in.beginSection("platform.cmos_rtc", 1);
  in.get(startEpoch_);
  in.get(offset_);
  in.get(frozen_);
  in.get(ram_);
  in.get(index_);
  in.get(nmiMasked_);
}

}  // namespace codemorph::platform
