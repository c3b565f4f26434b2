// Raw disk image (disk_image.h).
#include "codemorph/platform/disk_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace codemorph::platform {

namespace {
void checkSize(uint64_t size, const std::string& what) {
  if (size == 0) throw DiskError(what + ": disk image is empty");
  if (size < DiskImage::kSectorSize)
    throw DiskError(what + ": disk image is too short (" + std::to_string(size) + " bytes, less than one 512-byte sector)");
  if (size % DiskImage::kSectorSize != 0)
    throw DiskError(what + ": disk image size " + std::to_string(size) + " is not a multiple of 512 bytes");
}
}  // namespace

DiskImage::DiskImage(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) { checkSize(bytes_.size(), "in-memory"); }

DiskImage::DiskImage(DiskImage&& other) noexcept
    : bytes_(std::move(other.bytes_)), written_(std::move(other.written_)), fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)) {}

DiskImage& DiskImage::operator=(DiskImage&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    bytes_ = std::move(other.bytes_);
    written_ = std::move(other.written_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

DiskImage::~DiskImage() {
  if (fd_ >= 0) ::close(fd_);
}

DiskImage DiskImage::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  bool writable = fd >= 0;
  if (fd < 0 && (errno == EACCES || errno == EROFS)) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DiskError(path + ": cannot open disk image: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw DiskError(path + ": disk image is not a regular file");
  }
  DiskImage image;
  try {
    checkSize(static_cast<uint64_t>(st.st_size), path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  image.bytes_.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < image.bytes_.size()) {
    const ssize_t n = ::pread(fd, image.bytes_.data() + done, image.bytes_.size() - done, static_cast<off_t>(done));
    if (n <= 0) {
      const std::string why = n < 0 ? std::strerror(errno) : "unexpected end of file";
      ::close(fd);
      throw DiskError(path + ": cannot read disk image: " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (writable) {
    image.fd_ = fd;
  } else {
    ::close(fd);
  }
  image.path_ = path;
  return image;
}

void DiskImage::read(uint64_t lba, std::span<uint8_t, kSectorSize> out) const {
  std::memcpy(out.data(), bytes_.data() + lba * kSectorSize, kSectorSize);
}

void DiskImage::write(uint64_t lba, std::span<const uint8_t, kSectorSize> in) {
  std::memcpy(bytes_.data() + lba * kSectorSize, in.data(), kSectorSize);
  written_[lba] = true;
  storeToFile(lba);
}

void DiskImage::storeToFile(uint64_t lba) {
  if (fd_ < 0) return;
  const auto off = static_cast<off_t>(lba * kSectorSize);
  // A failed host write leaves the in-memory disk (what the guest sees) intact; the run
  // stays deterministic, only the file on the host misses the sector.
  if (::pwrite(fd_, bytes_.data() + lba * kSectorSize, kSectorSize, off) != kSectorSize) {
    ::close(fd_);
    fd_ = -1;
  }
}

void DiskImage::save(support::OutArchive& out) const {
  out.beginSection("platform.disk", 1);
  out.put(static_cast<uint64_t>(sectors()));
  out.put(static_cast<uint64_t>(written_.size()));
  for (const auto& [lba, unused] : written_) {
    out.put(lba);
    out.putBytes(std::span<const uint8_t>(bytes_.data() + lba * kSectorSize, kSectorSize));
  }
}

void DiskImage::load(support::InArchive& in) {
  in.beginSection("platform.disk", 1);
  if (in.get<uint64_t>() != sectors()) throw support::CheckpointError("platform.disk: the disk image has a different size");
  const auto count = in.get<uint64_t>();
  for (uint64_t i = 0; i < count; ++i) {
    const auto lba = in.get<uint64_t>();
    if (lba >= sectors()) throw support::CheckpointError("platform.disk: sector beyond the image");
    in.getBytes(std::span<uint8_t>(bytes_.data() + lba * kSectorSize, kSectorSize));
    written_[lba] = true;
    storeToFile(lba);
  }
}

}  // namespace codemorph::platform
