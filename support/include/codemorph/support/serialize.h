// Checkpoint serialization: a small versioned binary archive. Every model that holds
// machine state implements save(OutArchive&) and load(InArchive&) so the whole machine
// can be checkpointed on one core model and restored on another (ISS -> RTL). Sections
// are tagged so a mismatched or corrupt checkpoint fails with a clear CheckpointError
// instead of loading garbage.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace codemorph::support {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutArchive {
 public:
  void beginSection(std::string_view tag, uint32_t version);
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  void put(const T& value) {
    const auto* p = reinterpret_cast<const uint8_t*>(&value);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  void putBytes(std::span<const uint8_t> data);
  void putString(std::string_view s);
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

class InArchive {
 public:
  explicit InArchive(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  // Reads a section header; throws unless the tag matches and version <= maxVersion.
  uint32_t beginSection(std::string_view tag, uint32_t maxVersion);
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  void get(T& value) { value = get<T>(); }
  void getBytes(std::span<uint8_t> out);
  std::string getString();
  bool atEnd() const { return pos_ == bytes_.size(); }

 private:
  const uint8_t* take(size_t n);
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

}  // namespace codemorph::support
