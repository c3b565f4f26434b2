// Physical address map of the i440FX PC (physical_memory.h).
#include "codemorph/platform/physical_memory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace codemorph::platform {

std::vector<uint8_t> PhysicalMemory::loadBios(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BiosError(path + ": cannot open BIOS image: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw BiosError(path + ": BIOS image is not a regular file");
  }
  // Size checks first: a huge file is refused before it is read.
  if (st.st_size == 0 || st.st_size % 0x10000 != 0 || st.st_size > (16 << 20)) {
    ::close(fd);
    checkBios({}, path, static_cast<uint64_t>(st.st_size));  // throws: the size is wrong
  }
  std::vector<uint8_t> image(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < image.size()) {
    const ssize_t n = ::pread(fd, image.data() + done, image.size() - done, static_cast<off_t>(done));
    if (n <= 0) {
      const std::string why = n < 0 ? std::strerror(errno) : "unexpected end of file";
      ::close(fd);
      throw BiosError(path + ": cannot read BIOS image: " + why);
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  checkBios(image, path);
  return image;
}

void PhysicalMemory::checkBios(std::span<const uint8_t> image, const std::string& what, uint64_t size) {
  if (size == kImageSize) size = image.size();
  if (size == 0) throw BiosError(what + ": BIOS image is empty");
  if (size % 0x10000 != 0)
    throw BiosError(what + ": BIOS image size " + std::to_string(size) + " is not a multiple of 64 KiB");
  if (size > (16u << 20)) throw BiosError(what + ": BIOS image is larger than 16 MiB");
  // The CPU starts at F000:FFF0 = 16 bytes below the image's end (SDM Vol. 3A 9.1.4); a PC
  // BIOS has a far JMP (EA ptr16:16) there.
  if (image[image.size() - 16] != 0xEA)
    throw BiosError(what + ": no far JMP at the reset vector (byte 0x" + [&] {
      static const char* hex = "0123456789ABCDEF";
      const uint8_t b = image[image.size() - 16];
      return std::string{hex[b >> 4], hex[b & 15]};
    }() + " at 0xFFFF0): not a PC BIOS image");
}

PhysicalMemory::PhysicalMemory(std::span<uint8_t> ram, std::vector<uint8_t> rom, const I440fx& chipset)
    : ram_(ram), rom_(std::move(rom)), chipset_(chipset) {
  refreshLegacyMap();
}

void PhysicalMemory::refreshLegacyMap() {
  for (const LegacyRegion& r : chipset_.legacyMap()) {
    for (uint64_t a = r.base; a < r.base + r.size; a += kBlock) {
      legacy_[(a - kLegacyStart) / kBlock] = static_cast<uint8_t>((r.readRam ? 1 : 0) | (r.writeRam ? 2 : 0));
    }
  }
}

PhysicalMemory::Route PhysicalMemory::readRoute(uint64_t address) const { return route(address, false); }
PhysicalMemory::Route PhysicalMemory::writeRoute(uint64_t address) const { return route(address, true); }

PhysicalMemory::Route PhysicalMemory::route(uint64_t a, bool write) const {
  const uint64_t ramEnd = ram_.size();
  auto ram = [&](uint64_t start, uint64_t end) {
    end = std::min(end, ramEnd);
    if (a >= end) return Route{Target::None, a, a + 1, nullptr};  // beyond RAM
    return Route{Target::Ram, start, end, ram_.data() + start};
  };
  if (a < kLegacyStart) return ram(0, kLegacyStart);
  if (a < kLegacyEnd) {
    const uint64_t index = (a - kLegacyStart) / kBlock;
    const uint8_t bit = write ? 2 : 1;
    // Extend over neighbouring blocks routed the same way (fewer DMI regions).
    uint64_t first = index, last = index;
    while (first > 0 && ((legacy_[first - 1] ^ legacy_[index]) & bit) == 0) --first;
    while (last + 1 < legacy_.size() && ((legacy_[last + 1] ^ legacy_[index]) & bit) == 0) ++last;
    const uint64_t start = kLegacyStart + first * kBlock, end = kLegacyStart + (last + 1) * kBlock;
    if (legacy_[index] & bit) return ram(start, end);
    if (write) return Route{Target::None, start, end, nullptr};
    // The PCI side: the BIOS alias at the top of the window, open bus below it.
    const uint64_t aliasStart = kLegacyEnd - std::min<uint64_t>(rom_.size(), 0x20000);
    if (a >= aliasStart) {
      const uint64_t s = std::max(start, aliasStart);
      return Route{Target::Rom, s, end, const_cast<uint8_t*>(rom_.data()) + rom_.size() - (kLegacyEnd - s)};
    }
    return Route{Target::None, start, std::min(end, aliasStart), nullptr};
  }
  if (a < ramEnd) return ram(kLegacyEnd, ramEnd);
  if (!rom_.empty() && a >= romBase() && a < k4GiB) {
    if (write) return Route{Target::None, romBase(), k4GiB, nullptr};
    return Route{Target::Rom, romBase(), k4GiB, const_cast<uint8_t*>(rom_.data())};
  }
  return Route{Target::None, a, a + 1, nullptr};
}

void PhysicalMemory::read(uint64_t address, uint8_t* data, size_t length) const {
  while (length > 0) {
    const Route r = readRoute(address);
    const size_t n = static_cast<size_t>(std::min<uint64_t>(length, r.end - address));
    if (r.bytes) {
      std::memcpy(data, r.bytes + (address - r.start), n);
    } else {
      std::memset(data, 0xFF, n);
    }
    address += n;
    data += n;
    length -= n;
  }
}

void PhysicalMemory::write(uint64_t address, const uint8_t* data, size_t length) {
  while (length > 0) {
    const Route r = writeRoute(address);
    const size_t n = static_cast<size_t>(std::min<uint64_t>(length, r.end - address));
    if (r.target == Target::Ram) std::memcpy(r.bytes + (address - r.start), data, n);
    address += n;
    data += n;
    length -= n;
  }
}

}  // namespace codemorph::platform
