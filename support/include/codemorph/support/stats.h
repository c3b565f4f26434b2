// Statistics registry (gem5 style): every stat has a hierarchical dotted name, a unit and
// a description, and the whole registry dumps as JSON and as aligned text. Models keep
// their counters as plain uint64_t members (fast to bump in hot loops) and register
// pointers to them; derived values are formulas evaluated at dump time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace codemorph::support {

class StatsRegistry {
 public:
  // The pointee must outlive the registry's last dump.
  void addCounter(std::string name, std::string unit, std::string description, const uint64_t* value);
  void addFormula(std::string name, std::string unit, std::string description, std::function<double()> value);

  // {"name": {"value": v, "unit": u, "description": d}, ...} in registration order.
  nlohmann::json toJson() const;
  // One line per stat: name  value  unit  # description
  std::string toText() const;
  // Value of a stat by name (for tests and reports); throws std::out_of_range if unknown.
  double value(const std::string& name) const;
  bool has(const std::string& name) const;
  size_t size() const { return stats_.size(); }

 private:
  struct Stat {
    std::string name, unit, description;
    const uint64_t* counter = nullptr;
    std::function<double()> formula;
  };
  std::vector<Stat> stats_;
};

}  // namespace codemorph::support
