#include "codemorph/support/config.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace codemorph::support {
namespace {

Config makeConfig() {
  Config c;
  c.defineInt("iss.entries", 32, "entries", 1, 1024);
  c.defineBool("hostisa.x86_flags", true, "flags");
  c.defineDouble("power.vdd", 1.2, "volts");
  c.defineString("sim.core", "iss", "core model");
  return c;
}

TEST(Config, DefaultsAndTypedGetters) {
  const Config c = makeConfig();
  EXPECT_EQ(c.getInt("iss.entries"), 32);
  EXPECT_TRUE(c.getBool("hostisa.x86_flags"));
  EXPECT_DOUBLE_EQ(c.getDouble("power.vdd"), 1.2);
  EXPECT_EQ(c.getString("sim.core"), "iss");
  EXPECT_THROW(c.getInt("hostisa.x86_flags"), ConfigError);
  EXPECT_THROW(c.getInt("nope"), ConfigError);
}

TEST(Config, OverridesParseAndRangeCheck) {
  Config c = makeConfig();
  c.setOverride("iss.entries=0x40");
  EXPECT_EQ(c.getInt("iss.entries"), 64);
  c.setOverride("hostisa.x86_flags=off");
  EXPECT_FALSE(c.getBool("hostisa.x86_flags"));
  c.setOverride("power.vdd=0.9");
  EXPECT_DOUBLE_EQ(c.getDouble("power.vdd"), 0.9);
  EXPECT_THROW(c.setOverride("iss.entries=0"), ConfigError);
  EXPECT_THROW(c.setOverride("iss.entries=12x"), ConfigError);
  EXPECT_THROW(c.setOverride("iss.entries"), ConfigError);
  EXPECT_THROW(c.setOverride("iss.typo=3"), ConfigError);
  EXPECT_THROW(c.setOverride("hostisa.x86_flags=maybe"), ConfigError);
  EXPECT_THROW(c.setOverride("power.vdd=nan"), ConfigError);
  EXPECT_EQ(c.getInt("iss.entries"), 64);  // failed overrides leave the value alone
}

TEST(Config, JsonNestedSectionsFlatten) {
  Config c = makeConfig();
  c.apply(nlohmann::json::parse(R"({"iss": {"entries": 8}, "sim.core": "rtl"})"));
  EXPECT_EQ(c.getInt("iss.entries"), 8);
  EXPECT_EQ(c.getString("sim.core"), "rtl");
  EXPECT_THROW(c.apply(nlohmann::json::parse(R"({"iss": {"entries": "8"}})")), ConfigError);
  EXPECT_THROW(c.apply(nlohmann::json::parse(R"({"iss": {"entriez": 8}})")), ConfigError);
  EXPECT_THROW(c.apply(nlohmann::json::parse(R"([1,2])")), ConfigError);
}

TEST(Config, LoadFileReportsMissingAndCorruptFiles) {
  Config c = makeConfig();
  EXPECT_THROW(c.loadFile("/nonexistent/codemorph.json"), ConfigError);
  const std::string path = testing::TempDir() + "/codemorph_config_test.json";
  {
    std::ofstream(path) << "{\"iss\": {\"entries\": 16}";
  }
  EXPECT_THROW(c.loadFile(path), ConfigError);
  {
    std::ofstream(path) << "{\"iss\": {\"entries\": 16}}";
  }
  c.loadFile(path);
  EXPECT_EQ(c.getInt("iss.entries"), 16);
  std::remove(path.c_str());
}

TEST(Config, ResolvedListsEveryKnobAndDescribeShowsDefaults) {
  Config c = makeConfig();
  c.setOverride("iss.entries=5");
  const nlohmann::json r = c.resolved();
  EXPECT_EQ(r.size(), 4u);
  EXPECT_EQ(r["iss.entries"], 5);
  EXPECT_EQ(r["sim.core"], "iss");
  const std::string d = c.describe();
  EXPECT_NE(d.find("iss.entries (int, default 32, range 1..1024): entries"), std::string::npos) << d;
}

TEST(Config, RedefinitionWithOtherTypeIsAnError) {
  Config c = makeConfig();
  c.defineInt("iss.entries", 99, "again");  // same type: first definition wins
  EXPECT_EQ(c.getInt("iss.entries"), 32);
  EXPECT_THROW(c.defineBool("iss.entries", true, "bool now"), ConfigError);
}

}  // namespace
}  // namespace codemorph::support
