// Error collection for the assembler: file:line:column messages, capped at a maximum count
// (after which the assembler stops), and quoting of source text that may hold any byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codemorph/hostisa/assembler.h"

namespace codemorph::hostisa::asmimpl {

class Diagnostics {
 public:
  Diagnostics(std::string file, unsigned maxErrors)
      : file_(std::move(file)), max_(maxErrors == 0 ? 1 : maxErrors) {}
  void error(uint32_t line, uint32_t column, std::string message) {
    if (full()) return;
    errors_.push_back({file_, line, column, std::move(message)});
  }
  bool full() const { return errors_.size() >= max_; }
  bool any() const { return !errors_.empty(); }
  std::vector<AsmDiagnostic>& errors() { return errors_; }

 private:
  std::string file_;
  unsigned max_;
  std::vector<AsmDiagnostic> errors_;
};

// 'text' with non-printable bytes as \xNN, cut to a readable length, in single quotes.
inline std::string quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  size_t n = 0;
  for (unsigned char c : text) {
    if (++n > 40) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + "'";
}

}  // namespace codemorph::hostisa::asmimpl
