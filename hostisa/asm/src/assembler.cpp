// The assembler driver (see assembler_impl.h): the two passes, statements and labels,
// molecules (atom parsing -> slot placement -> validation -> encoding), symbol lookup,
// and the public assemble() entry point.
#include "assembler_impl.h"

#include <algorithm>

#include "operands.h"
#include "placement.h"
#include "syntax.h"

namespace codemorph::hostisa {

std::string AsmDiagnostic::str() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " + message;
}

std::string AsmResult::errorText() const {
  std::string out;
  for (const AsmDiagnostic& d : errors) out += d.str() + "\n";
  return out;
}

AsmResult assemble(std::string_view source, const AsmOptions& options) {
  return asmimpl::Assembler(source, options).run();
}

namespace asmimpl {
namespace {

std::string_view regText(unsigned r, std::string& buf) {
  if (r == kFlagsRegIndex) return "xflags";
  buf = asmsyntax::registerName(r);
  return buf;
}

// Explains a validateMolecule() failure with the register or atoms involved.
std::string moleculeProblem(const Molecule& m, MoleculeError e) {
  if (e == MoleculeError::WriteConflict) {
    unsigned seen[kFlagsRegIndex + 1] = {};
    for (unsigned s = 0; s < m.numAtoms; ++s) {
      const RegUse use = regUse(m.atoms[s]);
      for (unsigned w = 0; w < use.numWrites; ++w) {
        if (seen[use.writes[w]]++) {
          std::string buf;
          return "two atoms of the molecule write " + std::string(regText(use.writes[w], buf));
        }
      }
    }
  }
  if (e == MoleculeError::TwoBranches) {
    return "more than one control-transfer atom (branch, jump, call, svc, trap, halt, eret, rollback) in a molecule";
  }
  return "invalid molecule: " + std::string(moleculeErrorText(e));
}

}  // namespace

Assembler::Assembler(std::string_view source, const AsmOptions& options)
    : options_(options), diags_(options.fileName, options.maxErrors) {
  toks_ = lex(source, diags_);
}

bool Assembler::error(const Token& at, std::string message) {
  diags_.error(at.line, at.column, std::move(message));
  return false;
}

AsmResult Assembler::run() {
  AsmResult result;
  if (!diags_.full()) runPass(1);
  if (!diags_.any() && resolveAfterPass1()) {
    image_.assign(sections_.imageSize(), 0);
    runPass(2);
  }
  result.ok = !diags_.any();
  if (result.ok) {
    result.imageBase = sections_.imageBase();
    result.image = std::move(image_);
    for (const Section& s : sections_.all()) {
      result.sections.push_back({s.name, s.start, static_cast<uint32_t>(s.size())});
    }
    for (const auto& [name, sym] : symbols_) {
      result.symbols.push_back({name, sym.value, sym.isLabel, sym.global});
    }
  }
  // The lexer reports before the parser: present everything in source order.
  result.errors = std::move(diags_.errors());
  std::stable_sort(result.errors.begin(), result.errors.end(), [](const AsmDiagnostic& a, const AsmDiagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return result;
}

void Assembler::runPass(int pass) {
  pass_ = pass;
  pos_ = 0;
  layoutNext_ = 0;
  pendingLabels_.clear();
  sections_.resetCursors();
  current_ = sections_.declare(".text", 1, 1);
  if (pass == 1 && !sections_[current_].hasAddress) {
    sections_[current_].hasAddress = true;
    sections_[current_].start = options_.baseAddress;
  }
  while (!fatal_ && !diags_.full() && peek().kind != Tok::End) statement();
  if (!fatal_) {
    stmtDot_ = cur().cursor;
    bindPendingLabels();
  }
}

void Assembler::statement() {
  if (peek().kind == Tok::Newline) {
    ++pos_;
    return;
  }
  // Labels: "name:" (several may precede one statement).
  while (peek().kind == Tok::Ident && toks_[pos_ + 1].is(":")) {
    defineLabel(peek());
    pos_ += 2;
  }
  const Token& t = peek();
  if (t.endsStatement()) return;
  stmtTok_ = pos_;
  stmtDot_ = cur().cursor;
  if (t.is("{")) {
    molecule(true);
  } else if (t.kind == Tok::Ident && t.text.front() == '.') {
    bindPendingLabels();
    directive();
  } else if (t.kind == Tok::Ident) {
    molecule(false);
  } else {
    error(t, "expected label, atom, '{' or directive, got " + describe(t));
    skipStatement();
    return;
  }
  if (!fatal_) endOfStatement();
}

bool Assembler::endOfStatement() {
  if (peek().endsStatement()) return true;
  const Token& t = peek();
  if (t.is(";")) error(t, "';' separates atoms only inside '{ }'");
  else error(t, "expected end of line, got " + describe(t));
  skipStatement();
  return false;
}

void Assembler::skipStatement() {
  while (!peek().endsStatement()) ++pos_;
}

bool Assembler::defineLabel(const Token& name) {
  if (pass_ != 1) return true;
  if (isReservedName(name.text) || name.text == ".") {
    return error(name, quote(name.text) + " is reserved and cannot be a label");
  }
  const std::string key(name.text);
  if (const auto it = symbols_.find(key); it != symbols_.end()) {
    return error(name, "symbol " + quote(name.text) + " is already defined (line " + std::to_string(it->second.line) + ")");
  }
  Symbol s;
  s.isLabel = true;
  s.state = SymbolValue::Unknown;
  s.line = name.line;
  s.column = name.column;
  symbols_.emplace(key, s);
  pendingLabels_.push_back(key);
  return true;
}

void Assembler::bindPendingLabels() {
  if (pass_ == 1) {
    for (const std::string& name : pendingLabels_) {
      Symbol& s = symbols_[name];
      s.section = current_;
      s.offset = stmtDot_;
      if (cur().hasAddress) {
        s.state = SymbolValue::Known;
        s.value = int64_t{cur().start} + static_cast<int64_t>(stmtDot_);
      }
    }
  }
  pendingLabels_.clear();
}

SymbolValue Assembler::lookup(std::string_view name) {
  const auto it = symbols_.find(name);
  if (it == symbols_.end()) return {SymbolValue::Undefined, 0};
  return {it->second.state, it->second.value};
}

SymbolValue Assembler::dot() {
  const Section& s = sections_[dotOverride_ ? overrideSection_ : current_];
  if (!s.hasAddress) return {SymbolValue::Unknown, 0};
  return {SymbolValue::Known, int64_t{s.start} + static_cast<int64_t>(stmtDot_)};
}

bool Assembler::advance(uint64_t bytes) {
  Section& s = cur();
  if (bytes > kMaxImageBytes || s.cursor + bytes > kMaxImageBytes) {
    error(toks_[stmtTok_], "section " + quote(s.name) + " grows beyond the 64 MiB image limit");
    fatal_ = true;
    return false;
  }
  s.cursor += bytes;
  return true;
}

bool Assembler::alignTo(uint64_t alignment) {
  Section& s = cur();
  s.maxAlign = std::max(s.maxAlign, alignment);
  // Fixed sections align the absolute address; others their offset (their start is
  // later aligned to maxAlign, which makes the two the same).
  const uint64_t base = s.hasAddress ? s.start : 0;
  const uint64_t at = base + s.cursor;
  const uint64_t aligned = (at + alignment - 1) / alignment * alignment;
  return advance(aligned - at);
}

void Assembler::write(const uint8_t* data, size_t n) {
  if (pass_ != 2) return;
  const Section& s = cur();
  const uint64_t at = uint64_t{s.start} + s.cursor - sections_.imageBase();
  if (at + n > image_.size()) {
    error(peek(), "internal error: write outside the image");
    fatal_ = true;
    return;
  }
  std::copy(data, data + n, image_.begin() + static_cast<std::ptrdiff_t>(at));
}

void Assembler::molecule(bool braced) {
  const Token& open = peek();
  if (!alignTo(kMoleculeAlign)) return;
  stmtDot_ = cur().cursor;
  bindPendingLabels();
  AtomContext ctx{*this, pass_ == 1 ? EvalMode::Try : EvalMode::Final, diags_,
                  static_cast<uint32_t>(cur().start + cur().cursor)};
  std::array<Atom, kMaxAtoms + 1> atoms{};
  unsigned count = 0;
  bool ok = true;
  auto parseOne = [&]() {
    Atom a;
    if (!parseAtom(toks_, pos_, ctx, a)) return false;
    if (count < atoms.size()) atoms[count] = a;
    ++count;
    return true;
  };
  if (!braced) {
    ok = parseOne();
    if (!ok) {
      skipStatement();
      return;
    }
  } else {
    ++pos_;
    while (true) {
      const Token& t = peek();
      if (t.is("}")) {
        ++pos_;
        break;
      }
      if (t.kind == Tok::End || diags_.full()) {
        error(open, "missing '}' at the end of this molecule");
        return;
      }
      if (t.kind == Tok::Newline || t.is(";")) {
        ++pos_;
        continue;
      }
      if (t.kind == Tok::Ident && (t.text.front() == '.' || toks_[pos_ + 1].is(":"))) {
        error(t, "expected atom or '}', got " + describe(t) + " (labels and directives cannot be inside a molecule)");
        ok = false;
      } else if (parseOne()) {
        const Token& after = peek();
        if (after.isIdent("commit")) {
          error(after, "'commit' applies to the whole molecule: write it after '}'");
          ok = false;
        } else if (!(after.is(";") || after.is("}") || after.kind == Tok::Newline || after.kind == Tok::End)) {
          error(after, "expected ';', newline or '}' after an atom, got " + describe(after));
          ok = false;
        } else {
          continue;
        }
      } else {
        ok = false;
      }
      while (!(peek().is(";") || peek().is("}") || peek().kind == Tok::Newline || peek().kind == Tok::End)) ++pos_;
    }
  }
  bool commit = false;
  if (peek().isIdent("commit")) {
    commit = true;
    ++pos_;
  }
  if (!ok) return;
  if (count == 0) {
    error(open, "empty molecule");
    return;
  }
  Placement placement = placeAtoms(std::span<const Atom>(atoms.data(), std::min<size_t>(count, atoms.size())), options_.maxAtoms);
  if (!placement.ok) {
    error(open, placement.error);
    return;
  }
  Molecule& m = placement.molecule;
  m.commit = commit;
  const MoleculeError e = validateMolecule(m);
  if (e != MoleculeError::None) {
    error(open, moleculeProblem(m, e));
    return;
  }
  if (pass_ == 2) {
    std::array<uint32_t, kMaxAtoms> words{};
    if (encodeMolecule(m, words) != m.numAtoms) {
      error(open, "internal error: molecule does not encode");
      return;
    }
    std::array<uint8_t, 4 * kMaxAtoms> bytes{};
    for (unsigned i = 0; i < m.numAtoms; ++i) {
      for (unsigned b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<uint8_t>(words[i] >> (8 * b));
    }
    write(bytes.data(), m.bytes());
  }
  advance(m.bytes());
}

bool Assembler::resolveAfterPass1() {
  if (!sections_.place(diags_)) return false;
  for (auto& [name, s] : symbols_) {
    if (!s.isLabel) continue;
    s.state = SymbolValue::Known;
    s.value = int64_t{sections_[s.section].start} + static_cast<int64_t>(s.offset);
  }
  // Constants that referred forward: evaluate again until nothing changes.
  for (bool progress = true; progress;) {
    progress = false;
    for (auto& [name, s] : symbols_) {
      if (s.isLabel || s.state == SymbolValue::Known) continue;
      size_t p = s.exprPos;
      dotOverride_ = true;
      overrideSection_ = s.dotSection;
      stmtDot_ = s.dotOffset;
      const EvalResult r = evaluate(toks_, p, *this, EvalMode::Try, diags_);
      dotOverride_ = false;
      if (r.ok && r.known) {
        s.state = SymbolValue::Known;
        s.value = r.value;
        progress = true;
      }
    }
  }
  for (const Token& g : globals_) {
    const auto it = symbols_.find(g.text);
    if (it == symbols_.end()) error(g, "global symbol " + quote(g.text) + " is never defined");
    else it->second.global = true;
  }
  return !diags_.any();
}

}  // namespace asmimpl
}  // namespace codemorph::hostisa
