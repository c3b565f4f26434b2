// Parsing of one atom: mnemonic (with width suffix) and its operands in the order of the
// format's syntax string (formats.def), into a hostisa::Atom. Expression operands are
// range-checked and branch targets converted to molecule offsets in pass 2 (Final mode);
// in pass 1 (Try mode) only the syntax is checked.
#pragma once

#include <cstdint>
#include <vector>

#include "codemorph/hostisa/isa.h"
#include "expr.h"

namespace codemorph::hostisa::asmimpl {

struct AtomContext {
  SymbolResolver& symbols;
  EvalMode mode;                // Try (pass 1) or Final (pass 2)
  Diagnostics& diags;
  uint32_t moleculeAddress = 0; // meaningful in Final mode
};

// Parses an atom starting at the mnemonic token toks[pos]; stops before the token that
// follows its last operand. Returns false after reporting an error.
bool parseAtom(const std::vector<Token>& toks, size_t& pos, AtomContext& ctx, Atom& out);

}  // namespace codemorph::hostisa::asmimpl
