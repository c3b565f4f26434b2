// The stats file of a run: every statistic with unit and description, the resolved
// configuration, the program's version, the command line and the seeds, so the run can
// be reproduced from the file alone.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codemorph/support/config.h"
#include "codemorph/support/stats.h"

namespace codemorph::sim {

struct RunReport {
  std::vector<std::string> commandLine;
  const support::Config* config = nullptr;
  const support::StatsRegistry* stats = nullptr;
  nlohmann::json seeds = nlohmann::json::object();  // name -> seed; empty when nothing is random
  nlohmann::json result = nlohmann::json::object(); // how the run ended
};

nlohmann::json reportJson(const RunReport& report);
// Writes the JSON to path; throws std::runtime_error with a one-line message on failure.
void writeReport(const RunReport& report, const std::string& path);

}  // namespace codemorph::sim
