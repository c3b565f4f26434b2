// Small helpers shared by the decoder unit tests.
#pragma once
#include <codemorph/x86/decoder.h>
#include <codemorph/x86/disasm.h>

#include <string>
#include <vector>

namespace codemorph::x86::test {

struct Decoded {
  DecodeStatus status;
  DecodedInsn insn;
  bool ok() const { return status == DecodeStatus::Ok; }
  std::string text() const {
    switch (status) {
      case DecodeStatus::Ok: return toString(insn);
      case DecodeStatus::NeedMore: return "<need-more>";
      case DecodeStatus::Invalid: return "<invalid>";
      case DecodeStatus::TooLong: return "<too-long>";
    }
    return "?";
  }
};

inline Decoded dec(const std::vector<uint8_t>& bytes, unsigned codeSize = 32,
                   CpuProfile profile = CpuProfile::PentiumII) {
  Decoded r{};
  r.status = decode(bytes, DecodeMode{static_cast<uint8_t>(codeSize), profile}, r.insn);
  return r;
}
inline Decoded dec16(const std::vector<uint8_t>& bytes) { return dec(bytes, 16); }

}  // namespace codemorph::x86::test
