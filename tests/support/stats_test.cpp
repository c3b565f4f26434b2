#include "codemorph/support/stats.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace codemorph::support {
namespace {

TEST(Stats, CountersAndFormulasDumpWithUnitsAndDescriptions) {
  uint64_t cycles = 0;
  uint64_t atoms = 0;
  StatsRegistry reg;
  reg.addCounter("iss.cycles", "cycles", "core cycles", &cycles);
  reg.addCounter("iss.atoms", "atoms", "atoms executed", &atoms);
  reg.addFormula("iss.ipc", "atoms/cycle", "atoms per cycle",
                 [&] { return cycles ? static_cast<double>(atoms) / static_cast<double>(cycles) : 0.0; });
  cycles = 10;
  atoms = 25;
  EXPECT_DOUBLE_EQ(reg.value("iss.ipc"), 2.5);
  const nlohmann::json j = reg.toJson();
  EXPECT_EQ(j["iss.cycles"]["value"], 10);
  EXPECT_EQ(j["iss.cycles"]["unit"], "cycles");
  EXPECT_EQ(j["iss.atoms"]["description"], "atoms executed");
  EXPECT_DOUBLE_EQ(j["iss.ipc"]["value"].get<double>(), 2.5);
  const std::string text = reg.toText();
  EXPECT_NE(text.find("iss.cycles"), std::string::npos);
  EXPECT_NE(text.find("# core cycles"), std::string::npos);
  EXPECT_THROW(reg.value("iss.none"), std::out_of_range);
  EXPECT_THROW(reg.addCounter("iss.cycles", "x", "dup", &cycles), std::logic_error);
}

}  // namespace
}  // namespace codemorph::support
