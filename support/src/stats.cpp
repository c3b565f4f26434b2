// Implementation of the statistics registry (stats.h).
#include "codemorph/support/stats.h"

#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace codemorph::support {

void StatsRegistry::addCounter(std::string name, std::string unit, std::string description, const uint64_t* value) {
  if (has(name)) throw std::logic_error("stat '" + name + "' registered twice");
  stats_.push_back(Stat{std::move(name), std::move(unit), std::move(description), value, {}});
}

void StatsRegistry::addFormula(std::string name, std::string unit, std::string description,
                               std::function<double()> value) {
  if (has(name)) throw std::logic_error("stat '" + name + "' registered twice");
  stats_.push_back(Stat{std::move(name), std::move(unit), std::move(description), nullptr, std::move(value)});
}

bool StatsRegistry::has(const std::string& name) const {
  for (const Stat& s : stats_) {
    if (s.name == name) return true;
  }
  return false;
}

double StatsRegistry::value(const std::string& name) const {
  for (const Stat& s : stats_) {
    if (s.name == name) return s.counter ? static_cast<double>(*s.counter) : s.formula();
  }
  throw std::out_of_range("no stat named '" + name + "'");
}

nlohmann::json StatsRegistry::toJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const Stat& s : stats_) {
    nlohmann::json entry;
    if (s.counter) {
      entry["value"] = *s.counter;
    } else {
      entry["value"] = s.formula();
    }
    entry["unit"] = s.unit;
    entry["description"] = s.description;
    out[s.name] = std::move(entry);
  }
  return out;
}

std::string StatsRegistry::toText() const {
  size_t width = 0;
  for (const Stat& s : stats_) width = std::max(width, s.name.size());
  std::ostringstream os;
  for (const Stat& s : stats_) {
    os << std::left << std::setw(static_cast<int>(width) + 2) << s.name << std::right << std::setw(16);
    if (s.counter) {
      os << *s.counter;
    } else {
      os << std::fixed << std::setprecision(4) << s.formula();
      os.unsetf(std::ios::floatfield);
    }
    os << "  " << std::left << std::setw(10) << s.unit << " # " << s.description << "\n";
  }
  return os.str();
}

}  // namespace codemorph::support
