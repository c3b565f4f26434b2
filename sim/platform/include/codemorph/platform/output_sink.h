// Where character devices (UART transmitter, 0x402 debug console) send their bytes:
// stdout, a file, or memory (tests). Writing never blocks simulated time.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

namespace codemorph::platform {

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void put(uint8_t byte) = 0;
};

class StringSink : public OutputSink {
 public:
  void put(uint8_t byte) override { text += static_cast<char>(byte); }
  std::string text;
};

// Writes to a FILE* (stdout by default); FileSink::open makes and owns a file.
class FileSink : public OutputSink {
 public:
  explicit FileSink(std::FILE* file = stdout) : file_(file) {}
  static FileSink open(const std::string& path);  // throws std::runtime_error
  FileSink(FileSink&& other) noexcept : file_(other.file_), owned_(other.owned_) { other.owned_ = false; }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  FileSink& operator=(FileSink&&) = delete;
  ~FileSink() override;
  void put(uint8_t byte) override;

 private:
  std::FILE* file_;
  bool owned_ = false;
};

}  // namespace codemorph::platform
