// Implementation of the knob registry (config.h).
#include "codemorph/support/config.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace codemorph::support {
namespace {

const char* typeName(const Config::Value& v) {
  switch (v.index()) {
    case 0: return "bool";
    case 1: return "int";
    case 2: return "double";
    default: return "string";
  }
}

std::string valueText(const Config::Value& v) {
  switch (v.index()) {
    case 0: return std::get<bool>(v) ? "true" : "false";
    case 1: return std::to_string(std::get<int64_t>(v));
    case 2: {
      std::ostringstream os;
      os << std::get<double>(v);
      return os.str();
    }
    default: return "\"" + std::get<std::string>(v) + "\"";
  }
}

bool parseInt(const std::string& text, int64_t& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 0);
  if (errno != 0 || end != text.c_str() + text.size()) return false;
  out = v;
  return true;
}

}  // namespace

void Config::defineBool(const std::string& key, bool def, std::string description) {
  if (auto it = knobs_.find(key); it != knobs_.end()) {
    if (it->second.def.index() != 0) throw ConfigError("knob '" + key + "' redefined with another type");
    return;
  }
  knobs_.emplace(key, Knob{def, def, std::move(description)});
}

void Config::defineInt(const std::string& key, int64_t def, std::string description, int64_t min, int64_t max) {
  if (auto it = knobs_.find(key); it != knobs_.end()) {
    if (it->second.def.index() != 1) throw ConfigError("knob '" + key + "' redefined with another type");
    return;
  }
  knobs_.emplace(key, Knob{def, def, std::move(description), min, max});
}

void Config::defineDouble(const std::string& key, double def, std::string description) {
  if (auto it = knobs_.find(key); it != knobs_.end()) {
    if (it->second.def.index() != 2) throw ConfigError("knob '" + key + "' redefined with another type");
    return;
  }
  knobs_.emplace(key, Knob{def, def, std::move(description)});
}

void Config::defineString(const std::string& key, std::string def, std::string description) {
  if (auto it = knobs_.find(key); it != knobs_.end()) {
    if (it->second.def.index() != 3) throw ConfigError("knob '" + key + "' redefined with another type");
    return;
  }
  knobs_.emplace(key, Knob{def, def, std::move(description)});
}

const Config::Knob& Config::knob(std::string_view key) const {
  const auto it = knobs_.find(key);
  if (it == knobs_.end()) throw ConfigError("unknown configuration key '" + std::string(key) + "'");
  return it->second;
}

bool Config::has(std::string_view key) const { return knobs_.find(key) != knobs_.end(); }

bool Config::getBool(std::string_view key) const {
  const Knob& k = knob(key);
  if (k.value.index() != 0) throw ConfigError("knob '" + std::string(key) + "' is not a bool");
  return std::get<bool>(k.value);
}

int64_t Config::getInt(std::string_view key) const {
  const Knob& k = knob(key);
  if (k.value.index() != 1) throw ConfigError("knob '" + std::string(key) + "' is not an int");
  return std::get<int64_t>(k.value);
}

double Config::getDouble(std::string_view key) const {
  const Knob& k = knob(key);
  if (k.value.index() != 2) throw ConfigError("knob '" + std::string(key) + "' is not a double");
  return std::get<double>(k.value);
}

const std::string& Config::getString(std::string_view key) const {
  const Knob& k = knob(key);
  if (k.value.index() != 3) throw ConfigError("knob '" + std::string(key) + "' is not a string");
  return std::get<std::string>(k.value);
}

void Config::assign(const std::string& key, Knob& k, Value v, const std::string& source) {
  if (v.index() == 1) {
    const int64_t i = std::get<int64_t>(v);
    if (i < k.min || i > k.max) {
      throw ConfigError(source + ": " + key + " = " + std::to_string(i) + " is out of range [" +
                        std::to_string(k.min) + ", " + std::to_string(k.max) + "]");
    }
  }
  k.value = std::move(v);
}

void Config::set(const std::string& key, const std::string& text) {
  const auto it = knobs_.find(key);
  if (it == knobs_.end()) throw ConfigError("unknown configuration key '" + key + "'");
  Knob& k = it->second;
  const std::string source = "override";
  switch (k.def.index()) {
    case 0:
      if (text == "true" || text == "1" || text == "on" || text == "yes") {
        assign(key, k, true, source);
      } else if (text == "false" || text == "0" || text == "off" || text == "no") {
        assign(key, k, false, source);
      } else {
        throw ConfigError("override: " + key + " expects true or false, got '" + text + "'");
      }
      return;
    case 1: {
      int64_t v = 0;
      if (!parseInt(text, v)) throw ConfigError("override: " + key + " expects an integer, got '" + text + "'");
      assign(key, k, v, source);
      return;
    }
    case 2: {
      errno = 0;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v)) {
        throw ConfigError("override: " + key + " expects a number, got '" + text + "'");
      }
      assign(key, k, v, source);
      return;
    }
    default:
      assign(key, k, text, source);
      return;
  }
}

void Config::setOverride(const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError("override '" + assignment + "' is not of the form key=value");
  }
  set(assignment.substr(0, eq), assignment.substr(eq + 1));
}

void Config::apply(const nlohmann::json& json, const std::string& source) {
  if (!json.is_object()) throw ConfigError(source + ": configuration must be a JSON object");
  // Flatten nested objects into dotted keys.
  std::vector<std::pair<std::string, const nlohmann::json*>> stack;
  for (auto it = json.begin(); it != json.end(); ++it) stack.emplace_back(it.key(), &it.value());
  while (!stack.empty()) {
    auto [key, value] = stack.back();
    stack.pop_back();
    if (value->is_object()) {
      for (auto it = value->begin(); it != value->end(); ++it) stack.emplace_back(key + "." + it.key(), &it.value());
      continue;
    }
    const auto found = knobs_.find(key);
    if (found == knobs_.end()) throw ConfigError(source + ": unknown configuration key '" + key + "'");
    Knob& k = found->second;
    switch (k.def.index()) {
      case 0:
        if (!value->is_boolean()) throw ConfigError(source + ": " + key + " expects a bool");
        assign(key, k, value->get<bool>(), source);
        break;
      case 1:
        if (!value->is_number_integer()) throw ConfigError(source + ": " + key + " expects an integer");
        assign(key, k, value->get<int64_t>(), source);
        break;
      case 2:
        if (!value->is_number()) throw ConfigError(source + ": " + key + " expects a number");
        assign(key, k, value->get<double>(), source);
        break;
      default:
        if (!value->is_string()) throw ConfigError(source + ": " + key + " expects a string");
        assign(key, k, value->get<std::string>(), source);
        break;
    }
  }
}

void Config::loadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot open configuration file '" + path + "'");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError(path + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  apply(json, path);
}

nlohmann::json Config::resolved() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, k] : knobs_) {
    std::visit([&](const auto& v) { out[key] = v; }, k.value);
  }
  return out;
}

std::string Config::describe() const {
  std::ostringstream os;
  for (const auto& [key, k] : knobs_) {
    os << key << " (" << typeName(k.def) << ", default " << valueText(k.def);
    if (k.def.index() == 1 && (k.min != INT64_MIN || k.max != INT64_MAX)) {
      os << ", range " << k.min << ".." << k.max;
    }
    os << "): " << k.description << "\n";
  }
  return os.str();
}

}  // namespace codemorph::support
