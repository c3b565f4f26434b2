// `codemorph iss PROGRAM`: the main job until the platform exists (issue 5). PROGRAM is
// assembly (.s, assembled in memory) or a flat binary image loaded at --base. With
// `--core rtl` the verilated RTL core runs it instead of the ISS (optionally with an FST
// waveform, --trace-fst), and `--cosim` runs both in lockstep, stopping at the first
// divergence (docs/rtl.md). The RTL options exist when the build has CODEMORPH_RTL.
#include "codemorph/sim/iss_command.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/disassembler.h"
#include "codemorph/hostisa/iss/iss.h"
#if CODEMORPH_HAVE_RTL
#include "codemorph/rtl/cosim.h"
#include "codemorph/rtl/rtl_core.h"
#endif
#include "codemorph/sim/command_line.h"
#include "codemorph/sim/run_report.h"
#include "codemorph/support/config.h"
#include "codemorph/support/stats.h"

namespace codemorph::sim {
namespace {

using hostisa::iss::CoreApi;
using hostisa::iss::Iss;
using hostisa::iss::RunResult;
using hostisa::iss::StopReason;

constexpr uint64_t kDefaultMaxCycles = 10'000'000'000ull;

struct Program {
  uint32_t base = 0;
  uint32_t entry = 0;
  std::vector<uint8_t> bytes;
  std::string description;
};

std::string hex32(uint32_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << std::setw(8) << std::setfill('0') << v;
  return os.str();
}

std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot open '" + path + "'");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Program loadProgram(const std::string& path, uint32_t base, unsigned maxAtoms, std::ostream& err) {
  Program p;
  const std::vector<uint8_t> raw = readFile(path);
  if (endsWith(path, ".s") || endsWith(path, ".S") || endsWith(path, ".asm")) {
    hostisa::AsmOptions opts;
    opts.fileName = path;
    opts.baseAddress = base;
    opts.maxAtoms = maxAtoms;
    const hostisa::AsmResult r = hostisa::assemble(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()), opts);
    if (!r.ok) {
      err << r.errorText();
      throw UsageError("assembly of '" + path + "' failed");
    }
    p.base = r.imageBase;
    p.bytes = r.image;
    p.entry = r.imageBase;
    for (const hostisa::AsmSymbol& s : r.symbols) {
      if (s.isLabel && (s.name == "start" || s.name == "_start")) p.entry = static_cast<uint32_t>(s.value);
    }
    p.description = "assembled " + std::to_string(p.bytes.size()) + " bytes at " + hex32(p.base);
  } else {
    if (raw.empty()) throw UsageError("'" + path + "' is empty");
    p.base = base;
    p.entry = base;
    p.bytes = raw;
    p.description = "loaded " + std::to_string(p.bytes.size()) + " bytes at " + hex32(p.base);
  }
  return p;
}

void traceMolecule(const CoreApi& iss, unsigned maxAtoms, std::ostream& out) {
  const uint32_t pc = iss.pc();
  uint8_t buf[32] = {};
  const uint64_t avail = pc < iss.memorySize() ? std::min<uint64_t>(sizeof buf, iss.memorySize() - pc) : 0;
  if (avail == 0) {
    out << std::setw(12) << iss.cycles() << "  " << hex32(pc) << "  <outside memory>\n";
    return;
  }
  iss.readMemory(pc, std::span<uint8_t>(buf, avail));
  const hostisa::DisasmUnit u = hostisa::disassembleAt(std::span<const uint8_t>(buf, avail), pc, maxAtoms);
  out << std::setw(12) << iss.cycles() << "  " << hex32(pc) << "  " << u.text << "\n";
}

std::string stopText(const hostisa::iss::StopInfo& s) {
  std::string text = std::string(hostisa::iss::stopReasonName(s.reason)) + " at " + hex32(s.pc);
  if (s.reason == StopReason::DoubleTrap || s.reason == StopReason::UnhandledTrap) {
    const auto* info = hostisa::trapCauseInfo(s.cause);
    text += ": trap " + std::string(info ? info->name : "?") + ", tval " + hex32(s.tval);
  } else if (s.reason == StopReason::UnhandledService) {
    text += ": svc " + std::to_string(s.service);
  }
  return text;
}

CommandLine makeCommandLine() {
  CommandLine cl;
  cl.option("config", "JSON configuration file (knobs; see --list-knobs)");
  cl.option("set", "override one knob, KEY=VALUE", true);
  cl.option("base", "load address of a binary image / .text of assembly (default 0)");
  cl.option("max-cycles", "stop with an error after this many cycles (default 1e10)");
  cl.option("stats-json", "write every stat, the resolved configuration and version as JSON");
  cl.flag("trace", "print every molecule as it issues (cycle, address, disassembly)");
  cl.option("core", "core model: iss (default) or rtl (the verilated RTL; builds with CODEMORPH_RTL)");
  cl.flag("cosim", "with --core rtl: run the ISS and the RTL in lockstep, stop at the first divergence");
  cl.option("trace-fst", "with --core rtl: write an FST waveform of the RTL to FILE (GTKWave)");
  cl.flag("quiet", "print only the result line");
  cl.flag("list-knobs", "list every configuration knob with default and description");
  cl.flag("help", "show this help");
  return cl;
}

}  // namespace

int runIssCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandLine cl = makeCommandLine();
  support::Config config;
  hostisa::iss::defineIssKnobs(config);
  try {
    cl.parse(args);
    if (cl.has("help")) {
      out << "usage: codemorph iss [options] PROGRAM.s|IMAGE.bin\n" << cl.help();
      return 0;
    }
    if (cl.has("list-knobs")) {
      out << config.describe();
      return 0;
    }
    if (cl.positional().size() != 1) throw UsageError("expected exactly one program (.s or flat binary)");
    if (const auto file = cl.value("config")) config.loadFile(*file);
    for (const std::string& s : cl.values("set")) config.setOverride(s);
    const hostisa::iss::IssConfig issConfig = hostisa::iss::IssConfig::fromConfig(config);
    const uint64_t base = cl.number("base").value_or(0);
    if (base > UINT32_MAX) throw UsageError("--base is outside the 32-bit address space");
    const uint64_t maxCycles = cl.number("max-cycles").value_or(kDefaultMaxCycles);

    const std::string& path = cl.positional()[0];
    const Program program = loadProgram(path, static_cast<uint32_t>(base), issConfig.features.maxAtoms, err);

    // The core: the ISS, the RTL, or both in lockstep (Cosim; its state reads come from the ISS).
    const std::string coreName = cl.value("core").value_or("iss");
    if (coreName != "iss" && coreName != "rtl") throw UsageError("--core must be iss or rtl");
    if (coreName == "iss" && (cl.has("cosim") || cl.value("trace-fst")))
      throw UsageError("--cosim and --trace-fst need --core rtl");
    std::unique_ptr<CoreApi> corePtr;
    const Iss* issForStats = nullptr;
#if CODEMORPH_HAVE_RTL
    rtl::Cosim* cosim = nullptr;
    if (coreName == "rtl") {
      rtl::RtlCore* rtlCore = nullptr;
      if (cl.has("cosim")) {
        auto c = std::make_unique<rtl::Cosim>(issConfig);
        cosim = c.get();
        rtlCore = &c->rtl();
        issForStats = &c->iss();
        corePtr = std::move(c);
      } else {
        auto r = std::make_unique<rtl::RtlCore>(issConfig);
        rtlCore = r.get();
        corePtr = std::move(r);
      }
      if (const auto fst = cl.value("trace-fst")) rtlCore->openTrace(*fst);
    }
#else
    if (coreName == "rtl") throw UsageError("this build has no RTL core (configure with CODEMORPH_RTL=ON)");
#endif
    if (!corePtr) {
      auto i = std::make_unique<Iss>(issConfig);
      issForStats = i.get();
      corePtr = std::move(i);
    }
    CoreApi& iss = *corePtr;
    if (program.base + uint64_t{program.bytes.size()} > iss.memorySize()) {
      throw UsageError("'" + path + "' (" + std::to_string(program.bytes.size()) + " bytes at " + hex32(program.base) +
                       ") does not fit in " + std::to_string(iss.memorySize() >> 20) + " MiB of memory");
    }
    iss.writeMemory(program.base, program.bytes);
    iss.reset(program.entry);
    support::StatsRegistry stats;
    if (issForStats) issForStats->registerStats(stats);

    RunResult result;
    if (cl.has("trace")) {
      result = RunResult::Stopped;
      while (!iss.stopped()) {
        if (iss.cycles() >= maxCycles) {
          result = RunResult::CycleLimit;
          break;
        }
        traceMolecule(iss, issConfig.features.maxAtoms, out);
        iss.step();
      }
    } else {
      result = iss.run(maxCycles);
    }

#if CODEMORPH_HAVE_RTL
    if (cosim && cosim->divergence()) {
      err << "codemorph: error: " << *cosim->divergence();
      return 1;
    }
    if (cosim && !cl.has("quiet"))
      out << "cosim: " << cosim->moleculesChecked() << " molecules in lockstep, no divergence\n";
#endif
    const hostisa::iss::StopInfo stop = iss.stopInfo();
    RunReport report;
    report.commandLine.push_back("codemorph");
    report.commandLine.push_back("iss");
    report.commandLine.insert(report.commandLine.end(), args.begin(), args.end());
    report.config = &config;
    report.stats = &stats;
    report.result = {{"stop", result == RunResult::CycleLimit ? "cycle-limit" : std::string(hostisa::iss::stopReasonName(stop.reason))},
                     {"pc", iss.pc()},
                     {"cycles", iss.cycles()},
                     {"r1", iss.reg(1)}};
    if (const auto file = cl.value("stats-json")) writeReport(report, *file);

    if (!cl.has("quiet")) {
      out << "codemorph iss: " << path << " (" << program.description << ", entry " << hex32(program.entry) << ")\n";
    }
    if (result == RunResult::CycleLimit) {
      err << "codemorph: error: cycle limit " << maxCycles << " reached at pc " << hex32(iss.pc()) << "\n";
      return 1;
    }
    if (stop.reason != StopReason::Halted) {
      err << "codemorph: error: core stopped: " << stopText(stop) << "\n";
      return 1;
    }
    out << "result: r1 = " << iss.reg(1) << " (" << hex32(iss.reg(1)) << "), halted at " << hex32(stop.pc) << " after "
        << iss.cycles() << " cycles\n";
    if (!cl.has("quiet") && issForStats) out << "\nstats:\n" << stats.toText();
    return 0;
  } catch (const UsageError& e) {
    err << "codemorph: error: " << e.what() << "\n";
    return 2;
  } catch (const support::ConfigError& e) {
    err << "codemorph: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "codemorph: error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace codemorph::sim
