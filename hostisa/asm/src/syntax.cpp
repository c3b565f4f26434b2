// Register/condition/segment names and per-format operand lists (see syntax.h).
#include "syntax.h"

#include <utility>

namespace codemorph::hostisa::asmsyntax {
namespace {

std::optional<Operand> operandFromText(std::string_view t) {
  if (t == "rd") return Operand::Rd;
  if (t == "rs1") return Operand::Rs1;
  if (t == "rs2") return Operand::Rs2;
  if (t == "cond") return Operand::Cond;
  if (t == "imm16") return Operand::Uimm;
  if (t == "(rs1)") return Operand::MemNoDisp;
  if (t == "aN") return Operand::Areg;
  if (t == "mask8") return Operand::Mask;
  if (t == "target") return Operand::Target;
  if (t == "sN") return Operand::Seg;
  if (t == "sreg") return Operand::Sreg;
  if (t.starts_with("simm")) {
    return t.ends_with("(rs1)") ? Operand::Mem : Operand::Simm;
  }
  return std::nullopt;
}

OperandList parseSyntax(std::string_view syntax) {
  OperandList list;
  list.valid = true;
  if (syntax.starts_with(".w")) {
    list.hasWidth = true;
    syntax.remove_prefix(2);
  }
  while (!syntax.empty()) {
    while (!syntax.empty() && (syntax.front() == ' ' || syntax.front() == ',')) syntax.remove_prefix(1);
    if (syntax.empty()) break;
    size_t end = syntax.find(',');
    std::string_view item = syntax.substr(0, end);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    syntax = end == std::string_view::npos ? std::string_view{} : syntax.substr(end);
    const auto op = operandFromText(item);
    if (!op || list.count == list.items.size()) {
      list.valid = false;
      break;
    }
    list.items[list.count++] = *op;
  }
  return list;
}

struct OperandLists {
  std::array<OperandList, kNumFormats> lists{};
  OperandLists() {
    for (unsigned f = 0; f < kNumFormats; ++f) {
      lists[f] = parseSyntax(formatInfo(static_cast<Format>(f)).syntax);
    }
  }
};

std::optional<unsigned> parseIndexed(std::string_view name, char prefix, unsigned limit) {
  if (name.size() < 2 || name.front() != prefix) return std::nullopt;
  name.remove_prefix(1);
  if (name.size() > 1 && name.front() == '0') return std::nullopt;  // no leading zeros
  unsigned v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v >= limit) return std::nullopt;
  }
  return v;
}

constexpr std::pair<std::string_view, std::string_view> kCondAliases[] = {
    {"z", "e"},   {"nz", "ne"}, {"c", "b"},   {"nc", "ae"}, {"nae", "b"}, {"nb", "ae"},
    {"na", "be"}, {"nbe", "a"}, {"pe", "p"},  {"po", "np"}, {"nge", "l"}, {"nl", "ge"},
    {"ng", "le"}, {"nle", "g"}};

constexpr std::string_view kSegNames[] = {"es", "cs", "ss", "ds", "fs", "gs", "s6", "s7"};

}  // namespace

const OperandList& operandList(Format format) {
  static const OperandLists lists;
  return lists.lists[static_cast<unsigned>(format)];
}

const FieldSpec* findField(Format format, FieldKind kind) {
  const FormatInfo& info = formatInfo(format);
  for (unsigned i = 0; i < info.numFields; ++i) {
    if (info.fields[i].kind == kind) return &info.fields[i];
  }
  return nullptr;
}

Range operandRange(Format format, Operand operand) {
  auto bits = [&](FieldKind k) -> unsigned {
    const FieldSpec* f = findField(format, k);
    return f ? f->width : 0;
  };
  switch (operand) {
    case Operand::Simm:
    case Operand::Mem:
    case Operand::Target: {
      const unsigned w = bits(operand == Operand::Target ? FieldKind::Off : FieldKind::Simm);
      if (w == 0) return {0, 0};
      return {-(int64_t{1} << (w - 1)), (int64_t{1} << (w - 1)) - 1};
    }
    case Operand::Uimm: {
      const unsigned w = bits(FieldKind::Uimm);
      if (w == 0) return {0, 0};
      // Two's complement negatives are accepted for convenience (li r1, -1).
      return {-(int64_t{1} << (w - 1)), (int64_t{1} << w) - 1};
    }
    case Operand::Mask: {
      const unsigned w = bits(FieldKind::Mask);
      return {0, (int64_t{1} << w) - 1};
    }
    default:
      return {0, 0};
  }
}

std::optional<unsigned> parseRegister(std::string_view name) {
  if (name == "zero") return kZeroReg;
  if (name == "sp") return kStackReg;
  if (name == "lr") return kLinkReg;
  return parseIndexed(name, 'r', kNumRegs);
}

std::optional<unsigned> parseCond(std::string_view name) {
  for (const auto& [alias, canonical] : kCondAliases) {
    if (name == alias) {
      name = canonical;
      break;
    }
  }
  for (unsigned i = 0; i < kCondNames.size(); ++i) {
    if (kCondNames[i] == name) return i;
  }
  return std::nullopt;
}

std::optional<unsigned> parseSegment(std::string_view name) {
  for (unsigned i = 0; i < 6; ++i) {
    if (kSegNames[i] == name) return i;
  }
  return parseIndexed(name, 's', 8);
}

std::optional<unsigned> parseAliasReg(std::string_view name) { return parseIndexed(name, 'a', 8); }

std::string registerName(unsigned reg) {
  std::string s = "r";  // (not "r" + to_string(): GCC 12 -Wrestrict false positive)
  s += std::to_string(reg);
  return s;
}

std::string_view segmentName(unsigned seg) { return seg < 8 ? kSegNames[seg] : "s?"; }

}  // namespace codemorph::hostisa::asmsyntax
