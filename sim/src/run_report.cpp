// Implementation of the stats file (run_report.h).
#include "codemorph/sim/run_report.h"

#include <fstream>
#include <stdexcept>

#include "codemorph/version.h"

namespace codemorph::sim {

nlohmann::json reportJson(const RunReport& report) {
  nlohmann::json j;
  j["program"] = {{"name", "codemorph"}, {"version", kVersion}, {"git", kGitDescribe}};
  j["command_line"] = report.commandLine;
  j["config"] = report.config ? report.config->resolved() : nlohmann::json::object();
  j["seeds"] = report.seeds;
  j["result"] = report.result;
  j["stats"] = report.stats ? report.stats->toJson() : nlohmann::json::object();
  return j;
}

void writeReport(const RunReport& report, const std::string& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write stats file '" + path + "'");
  out << reportJson(report).dump(2) << "\n";
  if (!out) throw std::runtime_error("error writing stats file '" + path + "'");
}

}  // namespace codemorph::sim
