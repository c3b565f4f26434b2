// Byte sinks for character devices (output_sink.h).
#include "codemorph/platform/output_sink.h"

#include <stdexcept>

namespace codemorph::platform {

FileSink FileSink::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot open " + path + " for writing");
  FileSink sink(f);
  sink.owned_ = true;
  return sink;
}

FileSink::~FileSink() {
  if (owned_) std::fclose(file_);
}

void FileSink::put(uint8_t byte) {
  std::fputc(byte, file_);
  if (byte == '\n') std::fflush(file_);
}

}  // namespace codemorph::platform
