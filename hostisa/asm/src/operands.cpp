// Atom parsing (see operands.h). The operand list of each format comes from its syntax
// string in formats.def via asmsyntax::operandList, so no format is spelled out here.
#include "operands.h"

#include <cstdio>

#include "syntax.h"

namespace codemorph::hostisa::asmimpl {
namespace {

using asmsyntax::Operand;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

class AtomParser {
 public:
  AtomParser(const std::vector<Token>& toks, size_t& pos, AtomContext& ctx) : t_(toks), pos_(pos), ctx_(ctx) {}

  bool run(Atom& atom) {
    const Token& mn = t_[pos_];
    if (mn.kind != Tok::Ident) return error(mn, "expected mnemonic, got " + describe(mn));
    if (!mnemonic(mn, atom)) return false;
    ++pos_;
    const Format fmt = atomInfo(atom.op).format;
    const asmsyntax::OperandList& list = asmsyntax::operandList(fmt);
    if (!list.valid) return error(mn, "internal error: format " + std::string(formatInfo(fmt).name) + " has an unknown operand syntax");
    for (unsigned i = 0; i < list.count; ++i) {
      if (i > 0) {
        if (!peek().is(",")) return error(peek(), "expected ',', got " + describe(peek()));
        ++pos_;
      }
      if (!operand(fmt, list.items[i], atom)) return false;
    }
    return true;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  bool error(const Token& at, std::string msg) {
    ctx_.diags.error(at.line, at.column, std::move(msg));
    return false;
  }

  bool mnemonic(const Token& mn, Atom& atom) {
    static constexpr std::string_view kWidths = "expected .8, .16 or .32";
    const std::string_view text = mn.text;
    if (const auto op = opFromMnemonic(text)) {
      atom.op = *op;
      if (asmsyntax::operandList(atomInfo(*op).format).hasWidth) {
        return error(mn, quote(text) + " needs a width suffix: " + std::string(kWidths));
      }
      return true;
    }
    const size_t dot = text.rfind('.');
    const auto base = dot == std::string_view::npos ? std::nullopt : opFromMnemonic(text.substr(0, dot));
    if (!base) return error(mn, "unknown mnemonic " + quote(text));
    atom.op = *base;
    const std::string_view base_text = text.substr(0, dot);
    if (!asmsyntax::operandList(atomInfo(*base).format).hasWidth) {
      return error(mn, quote(base_text) + " takes no width suffix");
    }
    const std::string_view suffix = text.substr(dot + 1);
    if (suffix == "8") atom.width = 1;
    else if (suffix == "16") atom.width = 2;
    else if (suffix == "32") atom.width = 4;
    else return error(mn, "invalid width suffix " + quote(text.substr(dot)) + " on " + quote(base_text) + ": " + std::string(kWidths));
    return true;
  }

  bool reg(uint8_t& out) {
    const Token& t = peek();
    const auto r = t.kind == Tok::Ident ? asmsyntax::parseRegister(t.text) : std::nullopt;
    if (!r) return error(t, "expected register, got " + describe(t));
    out = static_cast<uint8_t>(*r);
    ++pos_;
    return true;
  }

  bool memBase(uint8_t& rs1) {
    if (!peek().is("(")) return error(peek(), "expected '(' before the base register, got " + describe(peek()));
    ++pos_;
    if (!reg(rs1)) return false;
    if (!peek().is(")")) return error(peek(), "expected ')', got " + describe(peek()));
    ++pos_;
    return true;
  }

  // An expression operand; in Final mode checked against [lo, hi].
  bool value(Format fmt, Operand kind, int64_t& out) {
    const Token& at = peek();
    const EvalResult r = evaluate(t_, pos_, ctx_.symbols, ctx_.mode, ctx_.diags);
    if (!r.ok) return false;
    out = r.value;
    if (ctx_.mode != EvalMode::Final || kind == Operand::Target) return true;
    const asmsyntax::Range range = asmsyntax::operandRange(fmt, kind);
    if (out < range.lo || out > range.hi) {
      return error(at, "value " + std::to_string(out) + " is out of range for " + fieldName(fmt, kind) + " (" +
                           std::to_string(range.lo) + ".." + std::to_string(range.hi) + ")");
    }
    return true;
  }

  static std::string fieldName(Format fmt, Operand kind) {
    const FieldKind fk = kind == Operand::Uimm ? FieldKind::Uimm : kind == Operand::Mask ? FieldKind::Mask : FieldKind::Simm;
    const FieldSpec* f = asmsyntax::findField(fmt, fk);
    const unsigned w = f ? f->width : 0;
    return (kind == Operand::Uimm ? "imm" : kind == Operand::Mask ? "mask" : "simm") + std::to_string(w);
  }

  bool target(Format fmt, Atom& atom) {
    const Token& at = peek();
    int64_t v = 0;
    if (!value(fmt, Operand::Target, v)) return false;
    if (ctx_.mode != EvalMode::Final) return true;
    if (v < INT32_MIN || v > int64_t{UINT32_MAX}) return error(at, "branch target " + std::to_string(v) + " is outside the 32-bit address space");
    const uint32_t t = static_cast<uint32_t>(v);
    if (t % kMoleculeAlign != 0) return error(at, "branch target " + hex(t) + " is not 8-byte aligned");
    // Addresses wrap at 2^32, so the offset is the 32-bit difference taken as signed.
    const int64_t delta = static_cast<int32_t>(t - ctx_.moleculeAddress) / static_cast<int32_t>(kMoleculeAlign);
    const asmsyntax::Range range = asmsyntax::operandRange(fmt, Operand::Target);
    if (delta < range.lo || delta > range.hi) {
      return error(at, "branch target " + hex(t) + " is out of range: " + std::to_string(delta) +
                           " molecules away, allowed " + std::to_string(range.lo) + ".." + std::to_string(range.hi));
    }
    atom.imm = static_cast<int32_t>(delta);
    return true;
  }

  bool operand(Format fmt, Operand kind, Atom& atom) {
    const Token& t = peek();
    int64_t v = 0;
    switch (kind) {
      case Operand::Rd: return reg(atom.rd);
      case Operand::Rs1: return reg(atom.rs1);
      case Operand::Rs2: return reg(atom.rs2);
      case Operand::Cond: {
        const auto c = t.kind == Tok::Ident ? asmsyntax::parseCond(t.text) : std::nullopt;
        if (!c) return error(t, "expected condition (o no b ae e ne be a s ns p np l ge le g), got " + describe(t));
        atom.cond = static_cast<uint8_t>(*c);
        ++pos_;
        return true;
      }
      case Operand::Simm:
        if (!value(fmt, kind, v)) return false;
        atom.imm = static_cast<int32_t>(v);
        return true;
      case Operand::Uimm:
        if (!value(fmt, kind, v)) return false;
        atom.imm = static_cast<int32_t>(v & 0xFFFF);  // two's complement for negatives
        return true;
      case Operand::Mask:
        if (!value(fmt, kind, v)) return false;
        atom.aux = static_cast<uint8_t>(v & 0xFF);
        return true;
      case Operand::Mem: {
        // "(rN)" alone means displacement 0; otherwise an expression comes first.
        const bool bare = t.is("(") && t_[pos_ + 1].kind == Tok::Ident &&
                          asmsyntax::parseRegister(t_[pos_ + 1].text) && t_[pos_ + 2].is(")");
        if (!bare) {
          if (!value(fmt, Operand::Simm, v)) return false;
          atom.imm = static_cast<int32_t>(v);
        }
        return memBase(atom.rs1);
      }
      case Operand::MemNoDisp: return memBase(atom.rs1);
      case Operand::Areg: {
        const auto a = t.kind == Tok::Ident ? asmsyntax::parseAliasReg(t.text) : std::nullopt;
        if (!a) return error(t, "expected alias register a0..a7, got " + describe(t));
        atom.aux = static_cast<uint8_t>(*a);
        ++pos_;
        return true;
      }
      case Operand::Target: return target(fmt, atom);
      case Operand::Seg: {
        const auto s = t.kind == Tok::Ident ? asmsyntax::parseSegment(t.text) : std::nullopt;
        if (!s) return error(t, "expected segment (es cs ss ds fs gs or s0..s7), got " + describe(t));
        atom.aux = static_cast<uint8_t>(*s);
        ++pos_;
        return true;
      }
      case Operand::Sreg: {
        const auto s = t.kind == Tok::Ident ? sregFromName(t.text) : std::nullopt;
        if (!s) return error(t, "expected special register name (e.g. tvec, xflags), got " + describe(t));
        atom.aux = static_cast<uint8_t>(*s);
        ++pos_;
        return true;
      }
    }
    return error(t, "internal error: unknown operand kind");
  }

  const std::vector<Token>& t_;
  size_t& pos_;
  AtomContext& ctx_;
};

}  // namespace

bool parseAtom(const std::vector<Token>& toks, size_t& pos, AtomContext& ctx, Atom& out) {
  out = Atom{};
  return AtomParser(toks, pos, ctx).run(out);
}

}  // namespace codemorph::hostisa::asmimpl
