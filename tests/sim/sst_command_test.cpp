// `codemorph sst` on small hand-written suites: pass, fail with -v diff, malformed input.
#include <codemorph/sim/sst_command.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace codemorph::sim {
namespace {

namespace fs = std::filesystem;

fs::path writeTemp(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("cm_sst_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  return p;
}

// INC AX at 0000:0100 then HLT.
const char* kOneTest =
    R"([{"idx":0,"name":"inc ax","bytes":[64,244],
    "initial":{"regs":{"ax":1,"bx":0,"cx":0,"dx":0,"cs":0,"ss":0,"ds":0,"es":0,"sp":0,"bp":0,"si":0,"di":0,"ip":256,"flags":2},
               "ram":[[256,64],[257,244]]},
    "final":{"regs":{"ax":AXVAL,"ip":258,"flags":2},"ram":[]},"hash":"x"}])";

std::string suite(const char* ax) {
  std::string s = kOneTest;
  s.replace(s.find("AXVAL"), 5, ax);
  return s;
}

TEST(SstCommand, PassingSuite) {
  const fs::path p = writeTemp("pass.json", suite("2"));
  std::ostringstream out, err;
  EXPECT_EQ(runSstCommand({"--cpu", "286", p.string()}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("1 passed, 0 failed"), std::string::npos) << out.str();
}

TEST(SstCommand, TranslatedRunPassesAndFailsLikeTheInterpreter) {
  // --cms-threshold 0: INC AX is translated at its first execution on the VLIW core.
  const fs::path pass = writeTemp("pass_t0.json", suite("2")), fail = writeTemp("fail_t0.json", suite("3"));
  std::ostringstream out, err;
  EXPECT_EQ(runSstCommand({"--cpu", "286", "--cms-threshold", "0", "--stats", pass.string()}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("1 passed, 0 failed"), std::string::npos) << out.str();
  EXPECT_NE(err.str().find("cms.insns.translated"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(runSstCommand({"--cpu", "286", "--cms-threshold", "0", "-v", fail.string()}, out2, err2), 1);
  EXPECT_NE(out2.str().find("ax: expected 0003 got 0002"), std::string::npos) << out2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(runSstCommand({"--clock", "sometimes", pass.string()}, out3, err3), 2);
}

TEST(SstCommand, FailingSuiteShowsDiff) {
  const fs::path p = writeTemp("fail.json", suite("3"));
  std::ostringstream out, err;
  EXPECT_EQ(runSstCommand({"--cpu", "286", "-v", p.string()}, out, err), 1);
  EXPECT_NE(out.str().find("ax: expected 0003 got 0002"), std::string::npos) << out.str();
}

TEST(SstCommand, MalformedJsonNamesFileAndPosition) {
  const fs::path p = writeTemp("bad.json", "[{\"idx\":0,");
  std::ostringstream out, err;
  EXPECT_EQ(runSstCommand({p.string()}, out, err), 2);
  EXPECT_NE(err.str().find("bad.json"), std::string::npos);
  EXPECT_NE(err.str().find("byte"), std::string::npos) << err.str();
}

TEST(SstCommand, MissingFieldNamesTest) {
  std::string s = suite("2");
  s.replace(s.find("\"bx\":0,"), 7, "");
  const fs::path p = writeTemp("missing.json", s);
  std::ostringstream out, err;
  EXPECT_EQ(runSstCommand({p.string()}, out, err), 2);
  EXPECT_NE(err.str().find("missing 'bx'"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("test #0"), std::string::npos) << err.str();
}

TEST(SstCommand, BadGzipIsReported) {
  const fs::path p = writeTemp("bad.json.gz", std::string("\x1f\x8b\x08\x00garbage", 12));
  std::ostringstream out, err;
  EXPECT_EQ(runSstCommand({p.string()}, out, err), 2);
  EXPECT_NE(err.str().find("bad.json.gz"), std::string::npos) << err.str();
}

TEST(SstCommand, UnknownCpu) {
  std::ostringstream out, err;
  EXPECT_EQ(runSstCommand({"--cpu", "z80", "x.json"}, out, err), 2);
}

}  // namespace
}  // namespace codemorph::sim
