// Implementation of the checkpoint archive (serialize.h). Section header: 4-byte length
// of the tag, the tag bytes, 4-byte version.
#include "codemorph/support/serialize.h"

namespace codemorph::support {

void OutArchive::beginSection(std::string_view tag, uint32_t version) {
  putString(tag);
  put(version);
}

void OutArchive::putBytes(std::span<const uint8_t> data) {
  put(static_cast<uint64_t>(data.size()));
  bytes_.insert(bytes_.end(), data.begin(), data.end());
}

void OutArchive::putString(std::string_view s) {
  putBytes(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

const uint8_t* InArchive::take(size_t n) {
  if (n > bytes_.size() - pos_) {
    throw CheckpointError("checkpoint truncated at byte " + std::to_string(pos_) + " (wanted " +
                          std::to_string(n) + " more)");
  }
  const uint8_t* p = bytes_.data() + pos_;
  pos_ += n;
  return p;
}

uint32_t InArchive::beginSection(std::string_view tag, uint32_t maxVersion) {
  const size_t at = pos_;
  const std::string found = getString();
  if (found != tag) {
    throw CheckpointError("checkpoint: expected section '" + std::string(tag) + "' at byte " + std::to_string(at) +
                          ", found '" + found.substr(0, 32) + "'");
  }
  const uint32_t version = get<uint32_t>();
  if (version > maxVersion) {
    throw CheckpointError("checkpoint: section '" + std::string(tag) + "' has version " + std::to_string(version) +
                          ", this build reads up to " + std::to_string(maxVersion));
  }
  return version;
}

void InArchive::getBytes(std::span<uint8_t> out) {
  const uint64_t n = get<uint64_t>();
  if (n != out.size()) {
    throw CheckpointError("checkpoint: block of " + std::to_string(n) + " bytes where " + std::to_string(out.size()) +
                          " were expected");
  }
  std::memcpy(out.data(), take(out.size()), out.size());
}

std::string InArchive::getString() {
  const uint64_t n = get<uint64_t>();
  if (n > bytes_.size() - pos_) throw CheckpointError("checkpoint: string length " + std::to_string(n) + " past the end");
  const uint8_t* p = take(n);
  return std::string(reinterpret_cast<const char*>(p), n);
}

}  // namespace codemorph::support
