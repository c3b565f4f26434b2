// `codemorph iss --core rtl [--cosim] [--trace-fst FILE]` (sim/src/iss_command.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "codemorph/sim/iss_command.h"

namespace {

namespace fs = std::filesystem;

std::string writeProgram() {
  const fs::path p = fs::temp_directory_path() / "cm_rtl_cli_test.s";
  std::ofstream(p) << "start: { li r1, 20 ; li r2, 0 }\n"
                      "loop:  { addi r1, r1, -1 ; addi r2, r2, 2 }\n"
                      "       bnz r1, loop\n"
                      "       { add r1, r2, r0 } commit\n"
                      "       halt commit\n";
  return p.string();
}

int run(const std::vector<std::string>& args, std::string& out, std::string& err) {
  std::ostringstream o, e;
  const int rc = codemorph::sim::runIssCommand(args, o, e);
  out = o.str();
  err = e.str();
  return rc;
}

TEST(RtlCli, CoreRtlGivesTheIssResult) {
  const std::string prog = writeProgram();
  std::string issOut, rtlOut, err;
  ASSERT_EQ(run({"--quiet", prog}, issOut, err), 0) << err;
  ASSERT_EQ(run({"--quiet", "--core", "rtl", prog}, rtlOut, err), 0) << err;
  EXPECT_EQ(issOut, rtlOut);
  EXPECT_NE(rtlOut.find("r1 = 40"), std::string::npos) << rtlOut;
}

TEST(RtlCli, CosimAndFstTrace) {
  const std::string prog = writeProgram();
  const std::string fst = (fs::temp_directory_path() / "cm_rtl_cli_test.fst").string();
  std::string out, err;
  ASSERT_EQ(run({"--core", "rtl", "--cosim", "--trace-fst", fst, prog}, out, err), 0) << err;
  EXPECT_NE(out.find("no divergence"), std::string::npos) << out;
  EXPECT_GT(fs::file_size(fst), 100u);
  fs::remove(fst);
}

TEST(RtlCli, RtlOptionsNeedCoreRtl) {
  const std::string prog = writeProgram();
  std::string out, err;
  EXPECT_EQ(run({"--cosim", prog}, out, err), 2);
  EXPECT_EQ(run({"--core", "gpu", prog}, out, err), 2);
}

}  // namespace
