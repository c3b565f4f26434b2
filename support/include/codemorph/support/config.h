// One configuration system for every knob of the machine (ARCHITECTURE.md: studies sweep
// knobs). Components define their knobs with a type, default and description; values
// come from a JSON file and then from command-line overrides "key=value". Keys are
// dotted ("iss.store_buffer_entries"); a JSON file may nest sections instead of dots.
// Unknown keys and ill-typed values are errors (ConfigError), never silently ignored,
// so a typo in a sweep cannot quietly run the default.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json_fwd.hpp>

namespace codemorph::support {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Config {
 public:
  using Value = std::variant<bool, int64_t, double, std::string>;

  // Define a knob. Redefining a key with the same type keeps the first definition (so
  // components can define their knobs idempotently); a different type is a ConfigError.
  void defineBool(const std::string& key, bool def, std::string description);
  void defineInt(const std::string& key, int64_t def, std::string description,
                 int64_t min = INT64_MIN, int64_t max = INT64_MAX);
  void defineDouble(const std::string& key, double def, std::string description);
  void defineString(const std::string& key, std::string def, std::string description);

  bool getBool(std::string_view key) const;
  int64_t getInt(std::string_view key) const;
  double getDouble(std::string_view key) const;
  const std::string& getString(std::string_view key) const;
  bool has(std::string_view key) const;

  // Set from text (command line): "true/false/1/0", integers (decimal or 0x), doubles.
  void set(const std::string& key, const std::string& text);
  // Parse "key=value" and set it.
  void setOverride(const std::string& assignment);
  // Apply a JSON object (nested objects flatten to dotted keys).
  void apply(const nlohmann::json& json, const std::string& source = "<json>");
  void loadFile(const std::string& path);

  // The resolved configuration, every knob with its value (for stats files).
  nlohmann::json resolved() const;
  // Human-readable table of knobs: key, type, default, description (for --list-knobs).
  std::string describe() const;

 private:
  struct Knob {
    Value value;
    Value def;
    std::string description;
    int64_t min = INT64_MIN;
    int64_t max = INT64_MAX;
  };
  const Knob& knob(std::string_view key) const;
  void assign(const std::string& key, Knob& k, Value v, const std::string& source);
  std::map<std::string, Knob, std::less<>> knobs_;
};

}  // namespace codemorph::support
