// The assembler's driver, shared by assembler.cpp (passes, statements, molecules, symbols)
// and directives.cpp (the dot-directives). Internal to codemorph_asm.
//
// Pass 1 walks the tokens, checks syntax, places atoms into molecules and lays out every
// section (recording the results of .org/.align/.space); sections without an address are
// then placed, labels get their values and forward .equ definitions are resolved. Pass 2
// walks the same tokens again with every symbol known, evaluates operands and writes the
// image. Layout never depends on pass-2 values, so both passes agree.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "codemorph/hostisa/assembler.h"
#include "diagnostics.h"
#include "expr.h"
#include "lexer.h"
#include "sections.h"

namespace codemorph::hostisa::asmimpl {

struct Symbol {
  bool isLabel = false;
  bool isSet = false;             // defined by .set (may be redefined)
  bool global = false;
  unsigned section = 0;           // labels: section and offset
  uint64_t offset = 0;
  SymbolValue::State state = SymbolValue::Unknown;
  int64_t value = 0;
  size_t exprPos = 0;             // constants: where the defining expression starts
  unsigned dotSection = 0;        // constants: '.' at the definition
  uint64_t dotOffset = 0;
  uint32_t line = 0, column = 0;
};

class Assembler : public SymbolResolver {
 public:
  Assembler(std::string_view source, const AsmOptions& options);
  AsmResult run();

  SymbolValue lookup(std::string_view name) override;
  SymbolValue dot() override;

 private:
  // assembler.cpp
  void runPass(int pass);
  void statement();
  void molecule(bool braced);
  bool defineLabel(const Token& name);
  void bindPendingLabels();
  bool resolveAfterPass1();
  bool endOfStatement();
  void skipStatement();
  bool advance(uint64_t bytes);
  bool alignTo(uint64_t alignment);
  void write(const uint8_t* data, size_t n);
  bool error(const Token& at, std::string message);
  const Token& peek() const { return toks_[pos_]; }
  Section& cur() { return sections_[current_]; }

  // directives.cpp
  void directive();
  bool sectionDirective(const Token& at, const std::string& name, bool allowAddress);
  bool orgDirective(const Token& at);
  bool alignDirective(const Token& at);
  bool spaceDirective(const Token& at);
  bool dataDirective(const Token& at, unsigned size);
  bool stringDirective(const Token& at, bool zeroTerminate);
  bool equDirective(const Token& at, bool isSet);
  bool globalDirective(const Token& at);
  bool layoutValue(int64_t& out, int64_t lo, int64_t hi, const char* what);
  bool expectComma();

  AsmOptions options_;
  Diagnostics diags_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int pass_ = 1;
  bool fatal_ = false;            // stop at once (layout limits)
  SectionTable sections_;
  unsigned current_ = 0;
  std::map<std::string, Symbol, std::less<>> symbols_;
  std::vector<std::string> pendingLabels_;
  std::vector<Token> globals_;        // names given to .global
  std::vector<std::pair<uint64_t, int64_t>> layout_;  // pass-1 results of layout directives
  size_t layoutNext_ = 0;
  size_t stmtTok_ = 0;            // first token of the current statement
  uint64_t stmtDot_ = 0;          // offset of '.' in the current section
  bool dotOverride_ = false;      // resolving a constant: '.' = (overrideSection_, stmtDot_)
  unsigned overrideSection_ = 0;
  std::vector<uint8_t> image_;
};

}  // namespace codemorph::hostisa::asmimpl
