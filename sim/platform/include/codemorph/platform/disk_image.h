// A raw disk image (`-hda FILE`): 512-byte sectors, the whole image held in memory so
// reads never touch the host file system during a run (deterministic, fast). Writes go to
// the in-memory copy and, when the image was opened writable, through to the file at
// once (QEMU's default for a raw -hda). Every sector written since open is remembered, so
// a checkpoint carries the disk's changes and a loaded run sees the same bytes.
//
// open() refuses what cannot be a disk with one-line DiskError messages: a missing or
// unreadable file, an empty one, a size below one sector or not a multiple of 512.
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "codemorph/support/serialize.h"

namespace codemorph::platform {

class DiskError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DiskImage {
 public:
  static constexpr unsigned kSectorSize = 512;
  // In-memory image (tests); size must be a non-zero multiple of 512.
  explicit DiskImage(std::vector<uint8_t> bytes);
  // Reads the raw image at path; write-through to the file if it is writable.
  static DiskImage open(const std::string& path);
  DiskImage(DiskImage&&) noexcept;
  DiskImage& operator=(DiskImage&&) noexcept;
  ~DiskImage();

  uint64_t sectors() const { return bytes_.size() / kSectorSize; }
  // lba < sectors(); out/in are one sector.
  void read(uint64_t lba, std::span<uint8_t, kSectorSize> out) const;
  void write(uint64_t lba, std::span<const uint8_t, kSectorSize> in);
  std::span<const uint8_t> bytes() const { return bytes_; }
  bool writesThrough() const { return fd_ >= 0; }

  // The sectors written since open (number and contents); load() re-applies them.
  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

 private:
  DiskImage() = default;
  void storeToFile(uint64_t lba);
  std::vector<uint8_t> bytes_;
  std::map<uint64_t, bool> written_;  // sector numbers written since open (ordered)
  int fd_ = -1;                       // the file for write-through, -1 for none
  std::string path_;
};

}  // namespace codemorph::platform
