// The host-ISA assembler: source text in the syntax of docs/assembler.md -> a flat memory
// image plus symbols. Two passes (layout, then encoding); molecule sizes depend only on the
// atoms written, never on symbol values. The API never throws and never crashes or hangs,
// whatever the input: every problem becomes a diagnostic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codemorph::hostisa {

struct AsmOptions {
  std::string fileName = "<input>";  // used in diagnostics
  uint32_t baseAddress = 0;          // where .text starts unless given an address
  unsigned maxAtoms = 4;             // 4 (Crusoe) or 8 (knob hostisa.max_atoms)
  unsigned maxErrors = 20;           // stop after this many errors
};

struct AsmDiagnostic {
  std::string file;
  uint32_t line = 0;     // 1-based
  uint32_t column = 0;   // 1-based, in bytes
  std::string message;
  // "file:line:column: error: message"
  std::string str() const;
};

struct AsmSymbol {
  std::string name;
  int64_t value = 0;     // address for labels
  bool isLabel = false;  // false: .equ/.set constant
  bool global = false;   // named by .global
};

struct AsmSection {
  std::string name;
  uint32_t start = 0;
  uint32_t size = 0;
};

// Largest image the assembler produces (larger layouts are an error).
inline constexpr uint32_t kMaxImageBytes = 64u << 20;

struct AsmResult {
  bool ok = false;
  uint32_t imageBase = 0;            // address of image[0]
  std::vector<uint8_t> image;        // lowest section start .. highest end, gaps zeroed
  std::vector<AsmSymbol> symbols;    // sorted by name
  std::vector<AsmSection> sections;  // in declaration order
  std::vector<AsmDiagnostic> errors;
  // All diagnostics, one per line.
  std::string errorText() const;
};

AsmResult assemble(std::string_view source, const AsmOptions& options = {});

}  // namespace codemorph::hostisa
