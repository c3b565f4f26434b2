// The assembler's directives (docs/assembler.md "Directives"): sections, .org, .align,
// .space, data (.byte/.half/.word/.ascii/.asciz), symbols (.equ/.set/.global). Layout
// directives are evaluated in pass 1 only; pass 2 replays their recorded results.
#include <cstdio>

#include "assembler_impl.h"

namespace codemorph::hostisa::asmimpl {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

void Assembler::directive() {
  const Token& d = peek();
  const std::string_view n = d.text;
  ++pos_;
  bool ok = false;
  if (n == ".text" || n == ".data") {
    ok = sectionDirective(d, std::string(n), false);
  } else if (n == ".section") {
    const Token& name = peek();
    if (name.kind != Tok::Ident) {
      ok = error(name, "expected section name, got " + describe(name));
    } else {
      ++pos_;
      ok = sectionDirective(name, std::string(name.text), true);
    }
  } else if (n == ".org") {
    ok = orgDirective(d);
  } else if (n == ".align" || n == ".balign") {
    ok = alignDirective(d);
  } else if (n == ".space" || n == ".skip") {
    ok = spaceDirective(d);
  } else if (n == ".byte") {
    ok = dataDirective(d, 1);
  } else if (n == ".half" || n == ".short") {
    ok = dataDirective(d, 2);
  } else if (n == ".word" || n == ".long") {
    ok = dataDirective(d, 4);
  } else if (n == ".ascii") {
    ok = stringDirective(d, false);
  } else if (n == ".asciz" || n == ".string") {
    ok = stringDirective(d, true);
  } else if (n == ".equ" || n == ".set") {
    ok = equDirective(d, n == ".set");
  } else if (n == ".global" || n == ".globl") {
    ok = globalDirective(d);
  } else {
    ok = error(d, "unknown directive " + quote(n));
  }
  if (!ok) skipStatement();
}

bool Assembler::expectComma() {
  if (peek().is(",")) {
    ++pos_;
    return true;
  }
  return error(peek(), "expected ',', got " + describe(peek()));
}

bool Assembler::layoutValue(int64_t& out, int64_t lo, int64_t hi, const char* what) {
  const Token& at = peek();
  const EvalResult r = evaluate(toks_, pos_, *this, EvalMode::Layout, diags_);
  if (!r.ok) return false;
  if (r.value < lo || r.value > hi) {
    return error(at, std::string(what) + " " + std::to_string(r.value) + " is out of range (" + std::to_string(lo) +
                         ".." + std::to_string(hi) + ")");
  }
  out = r.value;
  return true;
}

bool Assembler::sectionDirective(const Token& at, const std::string& name, bool allowAddress) {
  const unsigned idx = sections_.declare(name, at.line, at.column);
  if (allowAddress && peek().is(",")) {
    ++pos_;
    if (pass_ == 2) {
      skipStatement();
    } else {
      int64_t addr = 0;
      if (!layoutValue(addr, 0, UINT32_MAX, "section address")) return false;
      Section& s = sections_[idx];
      if (s.explicitAddress) return error(at, "section " + quote(name) + " already has an address");
      if (s.cursor > 0) return error(at, "the address of section " + quote(name) + " must be given before its contents");
      s.start = static_cast<uint32_t>(addr);
      s.hasAddress = s.explicitAddress = true;
      s.line = at.line;
      s.column = at.column;
    }
  }
  current_ = idx;
  return true;
}

bool Assembler::orgDirective(const Token& at) {
  if (pass_ == 2) {
    skipStatement();
    if (layoutNext_ >= layout_.size()) return error(at, "internal error: layout record missing");
    cur().cursor = layout_[layoutNext_++].first;
    return true;
  }
  int64_t addr = 0;
  if (!layoutValue(addr, 0, UINT32_MAX, ".org address")) return false;
  Section& s = cur();
  if (!s.hasAddress) {
    return error(at, "'.org' needs a section with a known address: give " + quote(s.name) + " one with '.section " +
                         s.name + ", ADDR'");
  }
  const uint64_t here = uint64_t{s.start} + s.cursor;
  if (static_cast<uint64_t>(addr) < here) {
    return error(at, "'.org " + hex(static_cast<uint64_t>(addr)) + "' would move backwards (current address " + hex(here) + ")");
  }
  if (!advance(static_cast<uint64_t>(addr) - here)) return false;
  layout_.push_back({s.cursor, 0});
  return true;
}

bool Assembler::alignDirective(const Token& at) {
  if (pass_ == 2) {
    skipStatement();
    if (layoutNext_ >= layout_.size()) return error(at, "internal error: layout record missing");
    cur().cursor = layout_[layoutNext_++].first;
    return true;
  }
  const Token& v = peek();
  int64_t n = 0;
  if (!layoutValue(n, 1, kMaxImageBytes, "alignment")) return false;
  if ((n & (n - 1)) != 0) return error(v, "alignment " + std::to_string(n) + " is not a power of two");
  if (!alignTo(static_cast<uint64_t>(n))) return false;
  layout_.push_back({cur().cursor, 0});
  return true;
}

bool Assembler::spaceDirective(const Token& at) {
  if (pass_ == 2) {
    skipStatement();
    if (layoutNext_ >= layout_.size()) return error(at, "internal error: layout record missing");
    const auto [count, fill] = layout_[layoutNext_++];
    if (fill != 0) {
      const std::vector<uint8_t> bytes(count, static_cast<uint8_t>(fill));
      write(bytes.data(), bytes.size());
    }
    return advance(count);
  }
  int64_t count = 0, fill = 0;
  if (!layoutValue(count, 0, kMaxImageBytes, "'.space' size")) return false;
  if (peek().is(",")) {
    ++pos_;
    if (!layoutValue(fill, -128, 255, "'.space' fill byte")) return false;
  }
  layout_.push_back({static_cast<uint64_t>(count), fill});
  return advance(static_cast<uint64_t>(count));
}

bool Assembler::dataDirective(const Token& at, unsigned size) {
  static constexpr int64_t kLo[] = {0, -128, -32768, 0, INT32_MIN};
  static constexpr int64_t kHi[] = {0, 255, 65535, 0, UINT32_MAX};
  if (peek().endsStatement()) return error(peek(), "expected expression after " + quote(at.text) + ", got " + describe(peek()));
  while (true) {
    const Token& v = peek();
    const EvalResult r = evaluate(toks_, pos_, *this, pass_ == 1 ? EvalMode::Try : EvalMode::Final, diags_);
    if (!r.ok) return false;
    if (pass_ == 2) {
      if (r.value < kLo[size] || r.value > kHi[size]) {
        return error(v, "value " + std::to_string(r.value) + " does not fit in " + std::to_string(8 * size) + " bits (" +
                            std::to_string(kLo[size]) + ".." + std::to_string(kHi[size]) + ")");
      }
      uint8_t bytes[4];
      for (unsigned b = 0; b < size; ++b) bytes[b] = static_cast<uint8_t>(static_cast<uint64_t>(r.value) >> (8 * b));
      write(bytes, size);
    }
    if (!advance(size)) return false;
    if (!peek().is(",")) return true;
    ++pos_;
  }
}

bool Assembler::stringDirective(const Token& at, bool zeroTerminate) {
  (void)at;
  while (true) {
    const Token& s = peek();
    if (s.kind != Tok::String) return error(s, "expected string, got " + describe(s));
    ++pos_;
    std::string bytes = decodeString(s.text);
    if (zeroTerminate) bytes.push_back('\0');
    write(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (!advance(bytes.size())) return false;
    if (!peek().is(",")) return true;
    ++pos_;
  }
}

bool Assembler::equDirective(const Token& at, bool isSet) {
  const Token& name = peek();
  if (name.kind != Tok::Ident) return error(name, "expected symbol name after " + quote(at.text) + ", got " + describe(name));
  if (isReservedName(name.text) || name.text == ".") return error(name, quote(name.text) + " is reserved and cannot be a symbol");
  ++pos_;
  if (!expectComma()) return false;
  const size_t exprPos = pos_;
  const EvalResult r = evaluate(toks_, pos_, *this, pass_ == 1 ? EvalMode::Try : EvalMode::Final, diags_);
  if (!r.ok) return false;
  const std::string key(name.text);
  auto it = symbols_.find(key);
  if (pass_ == 2) {
    if (it != symbols_.end()) {
      it->second.state = SymbolValue::Known;
      it->second.value = r.value;
    }
    return true;
  }
  if (it != symbols_.end() && !(isSet && it->second.isSet)) {
    return error(name, "symbol " + quote(name.text) + " is already defined (line " + std::to_string(it->second.line) + ")");
  }
  Symbol& s = symbols_[key];
  s.isSet = isSet;
  s.state = r.known ? SymbolValue::Known : SymbolValue::Unknown;
  s.value = r.known ? r.value : 0;
  s.exprPos = exprPos;
  s.dotSection = current_;
  s.dotOffset = stmtDot_;
  if (it == symbols_.end()) {
    s.line = name.line;
    s.column = name.column;
  }
  return true;
}

bool Assembler::globalDirective(const Token& at) {
  while (true) {
    const Token& name = peek();
    if (name.kind != Tok::Ident) return error(name, "expected symbol name after " + quote(at.text) + ", got " + describe(name));
    ++pos_;
    if (pass_ == 1) globals_.push_back(name);
    if (!peek().is(",")) return true;
    ++pos_;
  }
}

}  // namespace codemorph::hostisa::asmimpl
