// Implementation of the command-line parser (command_line.h).
#include "codemorph/sim/command_line.h"

#include <cerrno>
#include <cstdlib>

namespace codemorph::sim {

std::optional<uint64_t> parseNumber(const std::string& text) {
  if (text.empty() || text[0] == '-' || text[0] == '+' || text[0] == ' ') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 0);
  if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

void CommandLine::option(const std::string& name, const std::string& help, bool repeatable) {
  specs_[name] = Spec{help, true, repeatable};
  order_.push_back(name);
}

void CommandLine::flag(const std::string& name, const std::string& help) {
  specs_[name] = Spec{help, false, false};
  order_.push_back(name);
}

void CommandLine::parse(const std::vector<std::string>& args) {
  bool onlyPositional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (onlyPositional || arg.size() < 2 || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      onlyPositional = true;
      continue;
    }
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> inlineValue;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const auto spec = specs_.find(name);
    if (spec == specs_.end()) throw UsageError("unknown option '" + arg + "'");
    if (!spec->second.takesValue) {
      if (inlineValue) throw UsageError("option '--" + name + "' takes no value");
      values_[name].push_back("1");
      continue;
    }
    std::string value;
    if (inlineValue) {
      value = *inlineValue;
    } else {
      if (i + 1 >= args.size()) throw UsageError("option '--" + name + "' needs a value");
      value = args[++i];
    }
    auto& slot = values_[name];
    if (!slot.empty() && !spec->second.repeatable) throw UsageError("option '--" + name + "' given twice");
    slot.push_back(value);
  }
}

bool CommandLine::has(const std::string& name) const { return values_.count(name) != 0; }

std::optional<std::string> CommandLine::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& CommandLine::values(const std::string& name) const {
  static const std::vector<std::string> kNone;
  const auto it = values_.find(name);
  return it == values_.end() ? kNone : it->second;
}

std::optional<uint64_t> CommandLine::number(const std::string& name) const {
  const auto text = value(name);
  if (!text) return std::nullopt;
  const auto n = parseNumber(*text);
  if (!n) throw UsageError("option '--" + name + "' expects a number, got '" + *text + "'");
  return n;
}

std::string CommandLine::help() const {
  std::string out;
  for (const std::string& name : order_) {
    const Spec& s = specs_.at(name);
    std::string left = "  --" + name + (s.takesValue ? " VALUE" : "");
    if (left.size() < 26) left.resize(26, ' ');
    out += left + " " + s.help + (s.repeatable ? " (repeatable)" : "") + "\n";
  }
  return out;
}

}  // namespace codemorph::sim
