// Tokens of the assembler's source text (docs/assembler.md "Lexical structure"). The whole
// file is lexed once; both passes walk the same token vector. Newlines are tokens because
// they end statements (and separate atoms inside braces).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"

namespace codemorph::hostisa::asmimpl {

enum class Tok : uint8_t {
  Ident,    // [A-Za-z_.$][A-Za-z0-9_.$]*
  Number,   // value holds the literal (64-bit, wrapping two's complement for >= 2^63)
  Char,     // 'c', value holds the byte
  String,   // "...", text includes the quotes; decodeString gives the bytes
  Punct,    // one of , ; : ( ) { } + - * / % ~ & | ^ << >>
  Newline,
  End,
};

struct Token {
  Tok kind = Tok::End;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string_view text;
  int64_t value = 0;

  bool is(std::string_view punct) const { return kind == Tok::Punct && text == punct; }
  bool isIdent(std::string_view name) const { return kind == Tok::Ident && text == name; }
  bool endsStatement() const { return kind == Tok::Newline || kind == Tok::End; }
};

// Lex the whole source; errors (bad characters, unterminated strings, bad numbers) go to
// diags and the offending text is skipped. The result always ends with a Tok::End token.
std::vector<Token> lex(std::string_view source, Diagnostics& diags);

// Bytes of a string token (escapes \n \t \r \0 \a \b \f \v \\ \" \' \xHH \ooo). The lexer
// has already checked the escapes, so this cannot fail on a token it produced.
std::string decodeString(std::string_view quoted);

// How a token reads in an error message: "'foo'", "end of line", "end of file".
std::string describe(const Token& token);

}  // namespace codemorph::hostisa::asmimpl
