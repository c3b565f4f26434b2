// A small command-line parser: long options as --name VALUE, --name=VALUE or QEMU-style
// -name VALUE (Debian's CLI11 rejects multi-letter single-dash options), flags, repeated
// options, and positional arguments. Errors are UsageError with a one-line message.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace codemorph::sim {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CommandLine {
 public:
  // Declare an option taking a value (repeatable: every occurrence is kept) or a flag.
  void option(const std::string& name, const std::string& help, bool repeatable = false);
  void flag(const std::string& name, const std::string& help);

  // Parses args (without the program/subcommand name). Throws UsageError.
  void parse(const std::vector<std::string>& args);

  bool has(const std::string& name) const;
  std::optional<std::string> value(const std::string& name) const;
  const std::vector<std::string>& values(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Parses an unsigned integer option (decimal or 0x hex); throws UsageError.
  std::optional<uint64_t> number(const std::string& name) const;

  std::string help() const;

 private:
  struct Spec {
    std::string help;
    bool takesValue = false;
    bool repeatable = false;
  };
  std::map<std::string, Spec> specs_;
  std::vector<std::string> order_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Parses "123" / "0x7b" as an unsigned 64-bit number; nullopt on junk or overflow.
std::optional<uint64_t> parseNumber(const std::string& text);

}  // namespace codemorph::sim
