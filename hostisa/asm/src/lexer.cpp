// Lexer for the assembler (see lexer.h). Works on raw bytes: any byte value, including NUL
// and non-UTF-8, is either part of a comment/string or reported as an error.
#include "lexer.h"

#include <optional>

namespace codemorph::hostisa::asmimpl {
namespace {

bool identStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '$';
}
bool identChar(unsigned char c) { return identStart(c) || (c >= '0' && c <= '9'); }
bool digit(unsigned char c) { return c >= '0' && c <= '9'; }
int hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads one (possibly escaped) character of a string/char literal at s[i] (s[i] is not the
// closing quote and not a newline). Advances i; returns the byte or -1 on a bad escape.
int readChar(std::string_view s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i++]);
  if (c != '\\') return c;
  if (i >= s.size() || s[i] == '\n') return -1;
  const unsigned char e = static_cast<unsigned char>(s[i++]);
  switch (e) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case '\\': return '\\';
    case '"': return '"';
    case '\'': return '\'';
    case 'x': {
      int v = 0, n = 0;
      while (n < 2 && i < s.size() && hexValue(static_cast<unsigned char>(s[i])) >= 0) {
        v = v * 16 + hexValue(static_cast<unsigned char>(s[i++]));
        ++n;
      }
      return n == 0 ? -1 : v;
    }
    default:
      if (e >= '0' && e <= '7') {
        int v = e - '0', n = 1;
        while (n < 3 && i < s.size() && s[i] >= '0' && s[i] <= '7') {
          v = v * 8 + (s[i++] - '0');
          ++n;
        }
        return v > 255 ? -1 : v;
      }
      return -1;
  }
}

class Lexer {
 public:
  Lexer(std::string_view src, Diagnostics& diags) : s_(src), diags_(diags) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (i_ < s_.size() && !diags_.full()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '\n') {
        out.push_back(make(Tok::Newline, i_, 1));
        ++i_;
        ++line_;
        lineStart_ = i_;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        ++i_;
      } else if (c == '#' || (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '/')) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (identStart(c)) {
        const size_t b = i_;
        while (i_ < s_.size() && identChar(static_cast<unsigned char>(s_[i_]))) ++i_;
        out.push_back(make(Tok::Ident, b, i_ - b));
      } else if (digit(c)) {
        out.push_back(number());
      } else if (c == '"') {
        if (auto t = quoted('"')) out.push_back(*t);
      } else if (c == '\'') {
        if (auto t = quoted('\'')) out.push_back(*t);
      } else if ((c == '<' || c == '>') && i_ + 1 < s_.size() && s_[i_ + 1] == static_cast<char>(c)) {
        out.push_back(make(Tok::Punct, i_, 2));
        i_ += 2;
      } else if (std::string_view(",;:(){}+-*/%~&|^").find(static_cast<char>(c)) != std::string_view::npos &&
                 c != 0) {
        out.push_back(make(Tok::Punct, i_, 1));
        ++i_;
      } else {
        error(i_, "unexpected character " + quote(s_.substr(i_, 1)));
        ++i_;
      }
    }
    Token end = make(Tok::End, s_.size() < i_ ? s_.size() : i_, 0);
    out.push_back(end);
    return out;
  }

 private:
  Token make(Tok kind, size_t at, size_t len) {
    Token t;
    t.kind = kind;
    t.line = line_;
    t.column = static_cast<uint32_t>(at - lineStart_ + 1);
    t.text = s_.substr(at, len);
    return t;
  }
  void error(size_t at, std::string msg) {
    diags_.error(line_, static_cast<uint32_t>(at - lineStart_ + 1), std::move(msg));
  }

  Token number() {
    const size_t b = i_;
    while (i_ < s_.size() && identChar(static_cast<unsigned char>(s_[i_])) && s_[i_] != '.' && s_[i_] != '$') ++i_;
    Token t = make(Tok::Number, b, i_ - b);
    std::string_view text = t.text;
    unsigned base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      base = 16;
      text.remove_prefix(2);
    } else if (text.size() > 2 && text[0] == '0' && (text[1] == 'b' || text[1] == 'B')) {
      base = 2;
      text.remove_prefix(2);
    }
    uint64_t v = 0;
    for (char ch : text) {
      const int d = hexValue(static_cast<unsigned char>(ch));
      if (d < 0 || static_cast<unsigned>(d) >= base) {
        error(b, "invalid number " + quote(t.text));
        return t;
      }
      if (v > (UINT64_MAX - static_cast<unsigned>(d)) / base) {
        error(b, "number " + quote(t.text) + " does not fit in 64 bits");
        return t;
      }
      v = v * base + static_cast<unsigned>(d);
    }
    t.value = static_cast<int64_t>(v);
    return t;
  }

  std::optional<Token> quoted(char q) {
    const size_t b = i_++;
    int value = 0;
    unsigned chars = 0;
    bool bad = false;
    while (i_ < s_.size() && s_[i_] != q && s_[i_] != '\n') {
      const size_t at = i_;
      const int c = readChar(s_, i_);
      if (c < 0 && !bad) {
        error(at, "invalid escape sequence " + quote(s_.substr(at, i_ - at)));
        bad = true;
      }
      value = c;
      ++chars;
    }
    if (i_ >= s_.size() || s_[i_] != q) {
      error(b, q == '"' ? "unterminated string" : "unterminated character literal");
      return std::nullopt;
    }
    ++i_;
    if (bad) return std::nullopt;
    if (q == '\'') {
      if (chars != 1) {
        error(b, "character literal must hold exactly one character");
        return std::nullopt;
      }
      Token t = make(Tok::Char, b, i_ - b);
      t.value = value;
      return t;
    }
    return make(Tok::String, b, i_ - b);
  }

  std::string_view s_;
  Diagnostics& diags_;
  size_t i_ = 0;
  size_t lineStart_ = 0;
  uint32_t line_ = 1;
};

}  // namespace

std::vector<Token> lex(std::string_view source, Diagnostics& diags) { return Lexer(source, diags).run(); }

std::string decodeString(std::string_view quoted) {
  std::string out;
  if (quoted.size() < 2) return out;
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  size_t i = 0;
  while (i < body.size()) {
    const int c = readChar(body, i);
    out += static_cast<char>(c < 0 ? 0 : c);
  }
  return out;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case Tok::Newline: return "end of line";
    case Tok::End: return "end of file";
    default: return quote(token.text);
  }
}

}  // namespace codemorph::hostisa::asmimpl
