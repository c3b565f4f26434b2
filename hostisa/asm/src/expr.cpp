// Expression parser/evaluator (see expr.h): precedence climbing over the token vector.
#include "expr.h"

#include "syntax.h"

namespace codemorph::hostisa::asmimpl {
namespace {

struct Val {
  bool known = false;
  int64_t v = 0;
};

int64_t wrapAdd(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }
int64_t wrapSub(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
int64_t wrapMul(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); }

int precedence(const Token& t) {
  if (t.kind != Tok::Punct) return 0;
  const std::string_view s = t.text;
  if (s == "|") return 1;
  if (s == "^") return 2;
  if (s == "&") return 3;
  if (s == "<<" || s == ">>") return 4;
  if (s == "+" || s == "-") return 5;
  if (s == "*" || s == "/" || s == "%") return 6;
  return 0;
}

class Parser {
 public:
  Parser(const std::vector<Token>& toks, size_t& pos, SymbolResolver& syms, EvalMode mode, Diagnostics& diags)
      : t_(toks), pos_(pos), syms_(syms), mode_(mode), diags_(diags) {}

  EvalResult run() {
    const Val v = binary(1);
    EvalResult r;
    r.ok = ok_;
    r.known = ok_ && v.known;
    r.value = v.v;
    return r;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }

  Val fail(const Token& at, std::string msg) {
    if (ok_) diags_.error(at.line, at.column, std::move(msg));
    ok_ = false;
    return {};
  }
  // A value problem (division by zero, ...): an error unless we are only trying.
  Val valueError(const Token& at, std::string msg) {
    if (mode_ == EvalMode::Try) return {};
    return fail(at, std::move(msg));
  }

  Val binary(int minPrec) {
    Val lhs = unary();
    while (ok_) {
      const Token& op = peek();
      const int prec = precedence(op);
      if (prec < minPrec || prec == 0) break;
      next();
      const Val rhs = binary(prec + 1);
      if (!ok_) break;
      lhs = apply(op, lhs, rhs);
    }
    return lhs;
  }

  Val apply(const Token& op, Val a, Val b) {
    if (!a.known || !b.known) return {};
    const std::string_view s = op.text;
    Val r{true, 0};
    if (s == "+") r.v = wrapAdd(a.v, b.v);
    else if (s == "-") r.v = wrapSub(a.v, b.v);
    else if (s == "*") r.v = wrapMul(a.v, b.v);
    else if (s == "&") r.v = a.v & b.v;
    else if (s == "|") r.v = a.v | b.v;
    else if (s == "^") r.v = a.v ^ b.v;
    else if (s == "/" || s == "%") {
      if (b.v == 0) return valueError(op, "division by zero");
      if (b.v == -1) r.v = s == "/" ? wrapSub(0, a.v) : 0;  // INT64_MIN / -1 wraps
      else r.v = s == "/" ? a.v / b.v : a.v % b.v;
    } else {  // << >>
      if (b.v < 0 || b.v > 63) return valueError(op, "shift count " + std::to_string(b.v) + " is outside 0..63");
      r.v = s == "<<" ? static_cast<int64_t>(static_cast<uint64_t>(a.v) << b.v) : a.v >> b.v;
    }
    return r;
  }

  Val unary() {
    if (++depth_ > kMaxExprDepth) {
      --depth_;
      return fail(peek(), "expression nested too deeply (more than " + std::to_string(kMaxExprDepth) + " levels)");
    }
    const Val v = unaryInner();
    --depth_;
    return v;
  }

  Val unaryInner() {
    const Token& t = peek();
    if (t.is("-") || t.is("~") || t.is("+")) {
      next();
      Val v = unary();
      if (v.known) v.v = t.is("-") ? wrapSub(0, v.v) : t.is("~") ? ~v.v : v.v;
      return v;
    }
    if (t.is("(")) {
      next();
      const Val v = binary(1);
      if (!ok_) return v;
      if (!peek().is(")")) return fail(peek(), "expected ')', got " + describe(peek()));
      next();
      return v;
    }
    if (t.is("%")) {
      next();
      const Token& fn = peek();
      if (!fn.isIdent("hi") && !fn.isIdent("lo")) return fail(fn, "expected 'hi' or 'lo' after '%', got " + describe(fn));
      next();
      if (!peek().is("(")) return fail(peek(), "expected '(' after %" + std::string(fn.text) + ", got " + describe(peek()));
      next();
      Val v = binary(1);
      if (!ok_) return v;
      if (!peek().is(")")) return fail(peek(), "expected ')', got " + describe(peek()));
      next();
      if (v.known) v.v = fn.text == "hi" ? (v.v >> 16) & 0xFFFF : v.v & 0xFFFF;
      return v;
    }
    if (t.kind == Tok::Number || t.kind == Tok::Char) {
      next();
      return {true, t.value};
    }
    if (t.kind == Tok::Ident) {
      next();
      if (isReservedName(t.text)) {
        return fail(t, "expected expression, got " + std::string(t.text == "commit" ? "keyword " : "register ") + quote(t.text));
      }
      const SymbolValue s = t.text == "." ? syms_.dot() : syms_.lookup(t.text);
      if (s.state == SymbolValue::Known) return {true, s.value};
      if (mode_ == EvalMode::Try) return {};
      if (mode_ == EvalMode::Layout) {
        return fail(t, "value of " + quote(t.text) +
                           " is not known here: layout directives (.org .align .space .section) may only use symbols"
                           " defined earlier, in sections with a fixed address");
      }
      if (s.state == SymbolValue::Undefined) return fail(t, "undefined symbol " + quote(t.text));
      return fail(t, "symbol " + quote(t.text) + " has no value (circular definition?)");
    }
    return fail(t, "expected expression, got " + describe(t));
  }

  const std::vector<Token>& t_;
  size_t& pos_;
  SymbolResolver& syms_;
  EvalMode mode_;
  Diagnostics& diags_;
  bool ok_ = true;
  unsigned depth_ = 0;
};

}  // namespace

EvalResult evaluate(const std::vector<Token>& toks, size_t& pos, SymbolResolver& symbols, EvalMode mode,
                    Diagnostics& diags) {
  return Parser(toks, pos, symbols, mode, diags).run();
}

bool isReservedName(std::string_view name) {
  return name == "commit" || asmsyntax::parseRegister(name).has_value();
}

}  // namespace codemorph::hostisa::asmimpl
