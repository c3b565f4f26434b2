// `codemorph interp` on a tiny a.out-kludge multiboot image, through the three CMS modes
// (translation after the threshold, at first execution, interpreter alone), and its CMS
// option errors.
#include <codemorph/sim/interp_command.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace codemorph::sim {
namespace {

namespace fs = std::filesystem;

// Multiboot header with the a.out kludge (load at 1 MiB, entry at +0x20), then a loop that
// prints 'K' three times on the debug console and exits with status 3 through port F4h:
//   mov ecx,3 ; L: mov al,'K' ; out E9h,al ; dec ecx ; jnz L ; mov al,3 ; out F4h,al
fs::path writeImage() {
  std::vector<uint8_t> img(0x40, 0);
  const uint32_t flags = 0x00010000u, magic = 0x1BADB002u;
  const uint32_t hdr[8] = {magic, flags, 0u - magic - flags, 0x100000, 0x100000, 0, 0, 0x100020};
  std::memcpy(img.data(), hdr, sizeof hdr);
  const uint8_t code[] = {0xB9, 3, 0, 0, 0, 0xB0, 'K', 0xE6, 0xE9, 0x49, 0x75, 0xF9, 0xB0, 3, 0xE6, 0xF4};
  std::memcpy(img.data() + 0x20, code, sizeof code);
  const fs::path p = fs::temp_directory_path() / ("cm_interp_" + std::to_string(::getpid()) + ".bin");
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(img.data()), static_cast<std::streamsize>(img.size()));
  return p;
}

TEST(InterpCommand, RunsTheSameInEveryCmsMode) {
  const fs::path img = writeImage();
  for (const std::vector<std::string>& mode : std::vector<std::vector<std::string>>{
           {}, {"--cms-threshold", "0"}, {"--no-translate"}, {"--clock", "instructions", "--cms-threshold", "0"}}) {
    std::vector<std::string> args = mode;
    args.push_back("--stats");
    args.push_back(img.string());
    std::ostringstream out, err;
    EXPECT_EQ(runInterpCommand(args, out, err), 3) << err.str();
    EXPECT_EQ(out.str(), "KKK");
    EXPECT_NE(err.str().find("cms.insns.interpreted"), std::string::npos);
  }
  // Threshold 0: the loop body is translated, so instructions retire in translations; the
  // interpreter alone retires the same number by itself.
  const fs::path json = img.string() + ".json";
  auto statsOf = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--stats-json", json.string(), img.string()});
    std::ostringstream out, err;
    EXPECT_EQ(runInterpCommand(args, out, err), 3) << err.str();
    return nlohmann::json::parse(std::ifstream(json));
  };
  const auto translatedReport = statsOf({"--cms-threshold", "0"});
  const auto interpretedReport = statsOf({"--no-translate"});
  const auto& translated = translatedReport["stats"];
  const auto& interpreted = interpretedReport["stats"];
  EXPECT_GT(translated["cms.insns.translated"]["value"].get<double>(), 0.0);
  EXPECT_GE(translated["cms.translations.gear2"]["value"].get<double>(), 1.0);
  EXPECT_GT(translated["iss.molecules"]["value"].get<double>(), 0.0);  // the core's stats too
  EXPECT_EQ(interpreted["cms.insns.translated"]["value"].get<double>(), 0.0);
  EXPECT_EQ(translated["cms.insns.translated"]["value"].get<double>() + translated["cms.insns.interpreted"]["value"].get<double>(),
            interpreted["cms.insns.interpreted"]["value"].get<double>());
  // The run's figures and the resolved configuration (the CMS options are cms.* knobs).
  EXPECT_EQ(translatedReport["result"]["instructions"], interpretedReport["result"]["instructions"]);
  EXPECT_EQ(translatedReport["result"]["exit_status"], 3);
  EXPECT_EQ(translatedReport["config"]["cms.threshold"], 0);
  EXPECT_EQ(interpretedReport["config"]["cms.translate"], false);
}

TEST(InterpCommand, SetReachesCmsAndCoreKnobs) {
  const fs::path img = writeImage();
  const fs::path json = img.string() + ".set.json";
  std::ostringstream out, err;
  EXPECT_EQ(runInterpCommand({"--cms-threshold", "0", "--set", "cms.chaining=false", "--set",
                              "iss.store_buffer_entries=8", "--stats-json", json.string(), img.string()},
                             out, err),
            3)
      << err.str();
  const auto report = nlohmann::json::parse(std::ifstream(json));
  EXPECT_EQ(report["config"]["cms.chaining"], false);
  EXPECT_EQ(report["config"]["iss.store_buffer_entries"], 8);
  EXPECT_EQ(report["stats"]["cms.chains"]["value"].get<double>(), 0.0);
  std::ostringstream out2, err2;
  EXPECT_EQ(runInterpCommand({"--set", "cms.no_such_knob=1", img.string()}, out2, err2), 2);
  EXPECT_NE(err2.str().find("no_such_knob"), std::string::npos);
  std::ostringstream out3, err3;
  EXPECT_EQ(runInterpCommand({"--set", "hostisa.host_tlb=false", img.string()}, out3, err3), 2);
  EXPECT_NE(err3.str().find("hostisa.host_tlb"), std::string::npos);
}

TEST(InterpCommand, BadCmsOptionsAreUsageErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(runInterpCommand({"--clock", "wall", "x.elf"}, out, err), 2);
  EXPECT_NE(err.str().find("--clock"), std::string::npos);
  EXPECT_EQ(runInterpCommand({"--cms-threshold", "many", "x.elf"}, out, err), 2);
}

}  // namespace
}  // namespace codemorph::sim
