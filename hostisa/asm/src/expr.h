// Integer expressions of the assembler: literals, symbols, '.', unary - ~ +, binary
// * / % + - << >> & ^ | with C precedence, parentheses, %hi(e) and %lo(e). Arithmetic is
// 64-bit two's complement with wrap-around (never undefined behaviour); division by zero
// and shift counts outside 0..63 are errors; nesting is capped at kMaxExprDepth.
#pragma once

#include <cstdint>
#include <vector>

#include "lexer.h"

namespace codemorph::hostisa::asmimpl {

inline constexpr unsigned kMaxExprDepth = 64;

struct SymbolValue {
  enum State : uint8_t { Known, Unknown, Undefined } state = Undefined;
  int64_t value = 0;
};

class SymbolResolver {
 public:
  virtual ~SymbolResolver() = default;
  virtual SymbolValue lookup(std::string_view name) = 0;
  virtual SymbolValue dot() = 0;   // the current address '.'
};

enum class EvalMode : uint8_t {
  Try,     // pass 1 operands: unknown symbols and value errors just make the result unknown
  Layout,  // pass 1 layout (.org, .space, ...): the value must be known now
  Final,   // pass 2: every symbol must be defined and the value computable
};

struct EvalResult {
  bool ok = false;      // false: an error was reported (or, in Try mode, a syntax error)
  bool known = false;   // value is meaningful
  int64_t value = 0;
};

// Parses one expression starting at toks[pos]; advances pos past it.
EvalResult evaluate(const std::vector<Token>& toks, size_t& pos, SymbolResolver& symbols,
                    EvalMode mode, Diagnostics& diags);

// True for the identifiers an expression may not use as symbols: register names and the
// keyword "commit".
bool isReservedName(std::string_view name);

}  // namespace codemorph::hostisa::asmimpl
