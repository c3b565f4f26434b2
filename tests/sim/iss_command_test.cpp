// `codemorph iss` end to end, in process: results, stats file, and every kind of bad input
// ending in a one-line error and the documented exit status.
#include "codemorph/sim/iss_command.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace codemorph::sim {
namespace {

struct CommandResult {
  int status;
  std::string out;
  std::string err;
};

CommandResult runCommand(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = runIssCommand(args, out, err);
  return {status, out.str(), err.str()};
}

std::string writeTemp(const std::string& name, const std::string& contents) {
  const std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(IssCommand, DemoPrintsPrimeCountAndWritesReproducibleStats) {
  const std::string stats = testing::TempDir() + "/demo-stats.json";
  const CommandResult r = runCommand({"examples/demo.s", "--stats-json", stats, "--set", "iss.store_buffer_entries=8"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("result: r1 = 1229 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("iss.cycles"), std::string::npos);
  std::ifstream in(stats);
  const nlohmann::json j = nlohmann::json::parse(in);
  EXPECT_EQ(j["config"]["iss.store_buffer_entries"], 8);
  EXPECT_EQ(j["result"]["r1"], 1229);
  EXPECT_EQ(j["result"]["stop"], "halted");
  EXPECT_TRUE(j["program"].contains("version"));
  EXPECT_TRUE(j["seeds"].is_object());
  EXPECT_EQ(j["stats"]["iss.cycles"]["unit"], "cycles");
  EXPECT_EQ(j["stats"]["iss.cycles"]["value"], j["result"]["cycles"]);
  std::remove(stats.c_str());
}

TEST(IssCommand, SameInputsGiveSameCycles) {
  const CommandResult a = runCommand({"examples/demo.s", "--quiet"});
  const CommandResult b = runCommand({"examples/demo.s", "--quiet"});
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

TEST(IssCommand, KnobsChangeTiming) {
  const CommandResult fast = runCommand({"examples/demo.s", "--quiet"});
  const CommandResult slow = runCommand({"examples/demo.s", "--quiet", "--set", "timing.latency.load=6"});
  ASSERT_EQ(fast.status, 0);
  ASSERT_EQ(slow.status, 0);
  EXPECT_NE(fast.out, slow.out);  // same result, more cycles
  EXPECT_NE(slow.out.find("r1 = 1229 "), std::string::npos);
}

TEST(IssCommand, BadUsageAndInputsAreOneLineErrors) {
  struct Case {
    std::vector<std::string> args;
    int status;
    std::string needle;
  };
  const std::string garbage = writeTemp("garbage.bin", std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8));
  const std::string empty = writeTemp("empty.bin", "");
  const std::string badAsm = writeTemp("bad.s", "  add r1, r2\n");
  const std::string badJson = writeTemp("bad.json", "{\"iss\": ");
  const Case cases[] = {
      {{}, 2, "expected exactly one program"},
      {{"/nonexistent/prog.s"}, 2, "cannot open"},
      {{empty}, 2, "is empty"},
      {{badAsm}, 2, "bad.s:1:"},
      {{"examples/demo.s", "--set", "iss.nope=1"}, 2, "unknown configuration key"},
      {{"examples/demo.s", "--set", "iss.store_buffer_entries=0"}, 2, "out of range"},
      {{"examples/demo.s", "--config", badJson}, 2, "not valid JSON"},
      {{"examples/demo.s", "--bogus"}, 2, "unknown option"},
      {{"examples/demo.s", "--base", "0x100000000"}, 2, "32-bit"},
      {{garbage}, 1, "unhandled-trap"},
      {{"examples/demo.s", "--max-cycles", "1000"}, 1, "cycle limit 1000"},
  };
  for (const Case& c : cases) {
    const CommandResult r = runCommand(c.args);
    EXPECT_EQ(r.status, c.status) << c.needle << "\n" << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << "wanted '" << c.needle << "' in: " << r.err;
  }
}

TEST(IssCommand, TraceShowsEachMolecule) {
  const std::string prog = writeTemp("tiny.s", "start: li r1, 7\n  halt\n");
  const CommandResult r = runCommand({prog, "--trace"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("{ li r1, 0x7 ; nop }"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("halt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("result: r1 = 7 "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace codemorph::sim
