// `codemorph sst`: SingleStepTests runner (see sst_command.h and
// shared/conformance/README.md for the harness rules implemented here):
//  - 16 MiB RAM, A20 enabled, real mode, segment bases = selector * 16, limits 64 KiB;
//  - run from CS:IP until the CPU halts (the HLT after the instruction, or the HLT at the
//    exception handler reached through the IVT);
//  - `final` lists only what changed; ip is the address after the HLT;
//  - FLAGS bits 12-15 are masked on CPU models that cannot set them in real mode, and the
//    flags the SDM calls undefined for the instruction are masked (cms/flags.h), also in
//    the FLAGS word pushed at exception.flag_address;
//  - port reads return 0xFF; tests listed in revocation_list.txt (next to the file) are
//    skipped. Every store is observed, so a write to an address the test does not list
//    fails the test unless it wrote the byte's old value.
#include "codemorph/sim/sst_command.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <span>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "codemorph/cms/flags.h"
#include "codemorph/cms/interpreter.h"
#include "codemorph/cms/runtime.h"
#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/sim/command_line.h"
#include "codemorph/sim/interp_command.h"

namespace codemorph::sim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kRamBytes = 16u << 20;
constexpr int kMaxFailuresShown = 5;

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Register names in the JSON and where they live.
struct RegName {
  const char* name;
  int gpr;  // cms::Gpr, or -1
  int seg;  // cms::SegReg, or -1
};
constexpr RegName kRegs[] = {
    {"ax", cms::kEAX, -1}, {"bx", cms::kEBX, -1}, {"cx", cms::kECX, -1}, {"dx", cms::kEDX, -1},
    {"sp", cms::kESP, -1}, {"bp", cms::kEBP, -1}, {"si", cms::kESI, -1}, {"di", cms::kEDI, -1},
    {"cs", -1, cms::kCS},  {"ss", -1, cms::kSS},  {"ds", -1, cms::kDS},  {"es", -1, cms::kES},
};

uint32_t getU(const json& obj, const char* key, const std::string& where, uint32_t max) {
  const auto it = obj.find(key);
  if (it == obj.end()) throw FormatError(where + ": missing '" + key + "'");
  if (!it->is_number_unsigned() || it->get<uint64_t>() > max)
    throw FormatError(where + ": '" + key + "' is not an integer in 0.." + std::to_string(max));
  return static_cast<uint32_t>(it->get<uint64_t>());
}

const json& getObj(const json& obj, const char* key, const std::string& where) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_object()) throw FormatError(where + ": missing object '" + key + "'");
  return *it;
}

// RAM list [[address, byte], ...] -> map.
void getRam(const json& state, const std::string& where, std::map<uint32_t, uint8_t>& out) {
  const auto it = state.find("ram");
  if (it == state.end() || !it->is_array()) throw FormatError(where + ": missing array 'ram'");
  for (const json& e : *it) {
    if (!e.is_array() || e.size() != 2 || !e[0].is_number_unsigned() || !e[1].is_number_unsigned() ||
        e[0].get<uint64_t>() >= kRamBytes || e[1].get<uint64_t>() > 0xFF)
      throw FormatError(where + ": bad 'ram' entry " + e.dump());
    out[static_cast<uint32_t>(e[0].get<uint64_t>())] = static_cast<uint8_t>(e[1].get<uint64_t>());
  }
}

std::string hex(uint32_t v, int w = 4) {
  std::ostringstream os;
  os << std::hex << std::uppercase << std::setw(w) << std::setfill('0') << v;
  return os.str();
}

// Records every physical store.
struct StoreLog : cms::StoreObserver {
  std::vector<uint32_t> addresses;
  void onStore(uint64_t pa, unsigned size) override {
    for (unsigned i = 0; i < size; ++i) addresses.push_back(static_cast<uint32_t>(pa + i));
  }
};

struct Totals {
  uint64_t passed = 0, failed = 0, skipped = 0;
};

// The harness machine as a GuestPlatform: RAM (the core's memory when translating), port
// reads all ones, writes ignored, open bus outside RAM, no devices.
class SstPlatform : public cms::GuestPlatform {
 public:
  explicit SstPlatform(std::span<uint8_t> ram) { setRam(ram); }
  uint32_t readPhysical(uint64_t, unsigned size) override { return allOnes(size); }
  void writePhysical(uint64_t, unsigned, uint32_t) override {}
  uint32_t portIn(uint16_t, unsigned size) override { return allOnes(size); }
  void portOut(uint16_t, unsigned, uint32_t) override {}
  void syncTo(uint64_t) override {}
  uint64_t nextEventTime() const override { return UINT64_MAX; }
  bool intrPending() override { return false; }
  uint8_t intrAcknowledge() override { return 0; }
  bool stopRequested() const override { return false; }
  bool resetRequested() override { return false; }
  bool a20() const override { return true; }

 private:
  static uint32_t allOnes(unsigned size) { return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
};

class Runner {
 public:
  Runner(const cms::CpuModel& model, bool verbose, std::ostream& out, const cms::RuntimeConfig& config)
      : model_(model), verbose_(verbose), out_(out), config_(config) {
    if (config.translate) {
      hostisa::iss::IssConfig ic;
      ic.memBytes = kRamBytes + (uint64_t{config.reservedMiB} << 20);
      ic.tbitGranule = config.tbitGranule;
      ic.storeBufferEntries = config.storeBufferEntries;
      core_ = std::make_unique<hostisa::iss::Iss>(ic);
      ram_ = core_->directMemory().first(kRamBytes);
    } else {
      ownRam_.assign(kRamBytes, 0);
      ram_ = ownRam_;
    }
    platform_ = std::make_unique<SstPlatform>(ram_);
    rt_ = std::make_unique<cms::Runtime>(config, core_.get(), *platform_, model);
    rt_->setStoreObserver(&log_);
    resetState_ = rt_->cpu();
  }
  const cms::Runtime& runtime() const { return *rt_; }

  // Returns false on malformed input (message already printed to err).
  bool runFile(const std::string& path, Totals& total, std::ostream& err);

 private:
  // Empty string: pass; otherwise a description of the differences.
  std::string runTest(const json& t, const std::string& where);
  uint32_t undefinedMask(const std::vector<uint8_t>& bytes, uint32_t cx, bool faulted) const;
  const std::unordered_set<std::string>& revoked(const fs::path& dir);

  // RAM the harness wrote directly (not through the CPU): translations of it are stale.
  void hostWrote(uint32_t address) { rt_->invalidatePhysical(address, 1); }

  const cms::CpuModel& model_;
  bool verbose_;
  std::ostream& out_;
  cms::RuntimeConfig config_;
  std::unique_ptr<hostisa::iss::Iss> core_;
  std::vector<uint8_t> ownRam_;
  std::span<uint8_t> ram_;
  std::unique_ptr<SstPlatform> platform_;
  std::unique_ptr<cms::Runtime> rt_;
  cms::CpuState resetState_;
  bool needReset_ = false;
  StoreLog log_;
  std::map<std::string, std::unordered_set<std::string>> revocations_;
};

const std::unordered_set<std::string>& Runner::revoked(const fs::path& dir) {
  const std::string key = dir.string();
  auto it = revocations_.find(key);
  if (it != revocations_.end()) return it->second;
  std::unordered_set<std::string> set;
  std::ifstream in(dir / "revocation_list.txt");
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    const auto e = line.find_last_not_of(" \t\r");
    set.insert(line.substr(b, e - b + 1));
  }
  return revocations_.emplace(key, std::move(set)).first->second;
}

uint32_t Runner::undefinedMask(const std::vector<uint8_t>& bytes, uint32_t cx, bool faulted) const {
  x86::DecodedInsn in;
  const x86::DecodeMode mode{16, model_.decodeProfile};
  if (x86::decode(bytes, mode, in) != x86::DecodeStatus::Ok) return 0;
  uint32_t count = 0;
  if (in.numOperands >= 2) {
    const x86::Operand& c = in.op[in.numOperands - 1];
    if (c.kind == x86::OpKind::Imm) count = c.value;
    else if (c.kind == x86::OpKind::Reg && c.reg == x86::Reg::CL) count = cx & 0xFF;
  }
  return cms::undefinedFlags(in, count, faulted);
}

std::string Runner::runTest(const json& t, const std::string& where) {
  const json& init = getObj(t, "initial", where);
  const json& fin = getObj(t, "final", where);
  const json& iregs = getObj(init, "regs", where + " initial");
  const json& fregs = getObj(fin, "regs", where + " final");
  std::map<uint32_t, uint8_t> iram, fram;
  getRam(init, where + " initial", iram);
  getRam(fin, where + " final", fram);
  std::vector<uint8_t> bytes;
  const auto bi = t.find("bytes");
  if (bi == t.end() || !bi->is_array()) throw FormatError(where + ": missing array 'bytes'");
  for (const json& b : *bi) {
    if (!b.is_number_unsigned() || b.get<uint64_t>() > 0xFF) throw FormatError(where + ": bad 'bytes'");
    bytes.push_back(static_cast<uint8_t>(b.get<uint64_t>()));
  }
  bool faulted = false;
  uint32_t flagAddress = 0xFFFFFFFFu;
  if (const auto ex = t.find("exception"); ex != t.end()) {
    if (!ex->is_object()) throw FormatError(where + ": 'exception' is not an object");
    faulted = true;
    getU(*ex, "number", where + " exception", 255);
    flagAddress = getU(*ex, "flag_address", where + " exception", kRamBytes - 2);
  }

  // Expected final registers: initial overridden by final.
  uint32_t init16[12], exp16[12];
  for (int i = 0; i < 12; ++i) {
    init16[i] = getU(iregs, kRegs[i].name, where + " initial.regs", 0xFFFF);
    exp16[i] = fregs.contains(kRegs[i].name) ? getU(fregs, kRegs[i].name, where + " final.regs", 0xFFFF)
                                              : init16[i];
  }
  const uint32_t ip0 = getU(iregs, "ip", where + " initial.regs", 0xFFFF);
  const uint32_t fl0 = getU(iregs, "flags", where + " initial.regs", 0xFFFF);
  const uint32_t ipX = fregs.contains("ip") ? getU(fregs, "ip", where + " final.regs", 0xFFFF) : ip0;
  const uint32_t flX = fregs.contains("flags") ? getU(fregs, "flags", where + " final.regs", 0xFFFF) : fl0;

  // Load the machine: the power-on state (a full reset after a shutdown or an
  // unimplemented stop), then real-mode segments = selector * 16 with 64 KiB limits.
  if (needReset_) {
    rt_->reset();
    needReset_ = false;
  }
  cms::CpuState& s = rt_->cpu();
  s = resetState_;
  for (int i = 0; i < 12; ++i) {
    if (kRegs[i].gpr >= 0) s.gpr[static_cast<size_t>(kRegs[i].gpr)] = init16[i];
    else s.seg[static_cast<size_t>(kRegs[i].seg)].selector = static_cast<uint16_t>(init16[i]);
  }
  for (auto& sc : s.seg) {
    sc.base = static_cast<uint32_t>(sc.selector) << 4;
    sc.limit = 0xFFFF;
    sc.access = sc.access == 0 ? 0x0093 : sc.access;
  }
  s.seg[cms::kCS].access = 0x009B;
  s.cpl = 0;
  s.eip = ip0;
  const uint32_t highMask = model_.realModeClearsFlags12To15 ? 0xF000u : 0u;
  s.eflags = ((fl0 & ~highMask) & model_.eflagsImplemented) | cms::kFixed1;
  auto ram = ram_;
  for (const auto& [a, v] : iram) {
    ram[a] = v;
    hostWrote(a);
  }
  log_.addresses.clear();

  // At most 64 instructions; in cycle time, slices of cycles until 64 have retired.
  const uint64_t first = rt_->instructionsRetired();
  cms::RunOutcome r;
  do {
    r = rt_->run(rt_->now() + (config_.clock == cms::ClockMode::Instructions ? 64 - (rt_->instructionsRetired() - first) : 1000));
  } while (r.stop == cms::RunStop::Limit && rt_->instructionsRetired() - first < 64);

  std::ostringstream diff;
  if (r.stop != cms::RunStop::Idle) {  // the final HLT: nothing can wake the CPU
    diff << "  did not halt: ";
    if (r.stop == cms::RunStop::Limit) diff << "still running after 64 instructions";
    else diff << r.message;
    diff << "\n";
    if (r.stop != cms::RunStop::Limit) needReset_ = true;
  }
  for (int i = 0; i < 12; ++i) {
    const uint32_t got = kRegs[i].gpr >= 0 ? s.gpr[static_cast<size_t>(kRegs[i].gpr)]
                                           : s.seg[static_cast<size_t>(kRegs[i].seg)].selector;
    if (got != exp16[i])
      diff << "  " << kRegs[i].name << ": expected " << hex(exp16[i]) << " got " << hex(got) << "\n";
  }
  if (s.eip != ipX) diff << "  ip: expected " << hex(ipX) << " got " << hex(s.eip) << "\n";
  const uint32_t flagMask = highMask | undefinedMask(bytes, init16[2], faulted);
  if (((s.eflags ^ flX) & ~flagMask & 0xFFFFFFFFu) != 0)
    diff << "  flags: expected " << hex(flX) << " got " << hex(s.eflags) << " (masked "
         << hex(flagMask) << ")\n";

  // The FLAGS slot of the interrupt frame: SS:SP+4 of the expected final state (the
  // handler's HLT leaves SS:SP as delivery made them). The data's flag_address is even-
  // aligned, so with an odd SP it names the wrong bytes; mask both.
  uint32_t frameFlags[2] = {0xFFFFFFFFu, 0xFFFFFFFFu};
  if (faulted) {
    const uint32_t ssBase = exp16[9] << 4, spX = exp16[4];
    frameFlags[0] = ssBase + ((spX + 4) & 0xFFFF);
    frameFlags[1] = ssBase + ((spX + 5) & 0xFFFF);
  }

  // RAM: every listed byte, and every byte the CPU stored to.
  std::set<uint32_t> check;
  for (const auto& [a, v] : iram) check.insert(a);
  for (const auto& [a, v] : fram) check.insert(a);
  for (uint32_t a : log_.addresses)
    if (a < kRamBytes) check.insert(a);
  for (uint32_t a : check) {
    uint8_t expected = 0;
    if (auto f = fram.find(a); f != fram.end()) expected = f->second;
    else if (auto i = iram.find(a); i != iram.end()) expected = i->second;
    uint8_t mask = 0xFF;
    if (a == flagAddress || a == frameFlags[0]) mask &= static_cast<uint8_t>(~flagMask);
    if (a == flagAddress + 1 || a == frameFlags[1]) mask &= static_cast<uint8_t>(~(flagMask >> 8));
    if (((ram[a] ^ expected) & mask) != 0)
      diff << "  ram[" << hex(a, 6) << "]: expected " << hex(expected, 2) << " got " << hex(ram[a], 2) << "\n";
  }
  for (uint32_t a : check) {  // back to all-zero RAM for the next test
    ram[a] = 0;
    hostWrote(a);
  }
  return diff.str();
}

bool Runner::runFile(const std::string& path, Totals& total, std::ostream& err) {
  json tests;
  try {
    const std::string text = readMaybeGzipped(path);
    tests = json::parse(text);
  } catch (const json::parse_error& e) {
    err << "codemorph sst: error: " << path << ": malformed JSON at byte " << e.byte << ": " << e.what() << "\n";
    return false;
  } catch (const std::exception& e) {
    err << "codemorph sst: error: " << e.what() << "\n";
    return false;
  }
  if (!tests.is_array()) {
    err << "codemorph sst: error: " << path << ": byte 0: expected a JSON array of tests\n";
    return false;
  }
  const auto& rev = revoked(fs::path(path).parent_path());
  Totals t;
  int shown = 0;
  for (size_t i = 0; i < tests.size(); ++i) {
    const json& test = tests[i];
    std::string where = path + ": test #" + std::to_string(i);
    try {
      if (!test.is_object()) throw FormatError(where + ": not an object");
      const auto h = test.find("hash");
      if (h != test.end() && h->is_string() && rev.count(h->get<std::string>())) {
        ++t.skipped;
        continue;
      }
      const std::string d = runTest(test, where);
      if (d.empty()) {
        ++t.passed;
      } else {
        ++t.failed;
        if (verbose_ && shown++ < kMaxFailuresShown) {
          const auto n = test.find("name");
          out_ << "FAIL " << where << " (idx " << test.value("idx", -1) << ") "
               << (n != test.end() && n->is_string() ? n->get<std::string>() : std::string("?")) << "\n" << d;
        }
      }
    } catch (const FormatError& e) {
      err << "codemorph sst: error: " << e.what() << "\n";
      return false;
    } catch (const json::exception& e) {
      err << "codemorph sst: error: " << where << ": " << e.what() << "\n";
      return false;
    }
  }
  out_ << fs::path(path).filename().string() << ": " << t.passed << " passed, " << t.failed << " failed";
  if (t.skipped) out_ << ", " << t.skipped << " revoked";
  out_ << "\n";
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
  return true;
}

constexpr const char* kUsage =
    "usage: codemorph sst [--cpu NAME] [-v] [CMS options] FILE|DIR...\n"
    "  runs SingleStepTests JSON suites (.json, .json.gz) on the CMS runtime (by default the\n"
    "  interpreter alone; with --cms-threshold N translation on the VLIW core model)\n"
    "  --cpu NAME   CPU model (default pentium2; 286 for the 80286 data)\n"
    "  -v           show the first failing tests of each file with a register/RAM diff\n";

bool isSuiteFile(const fs::path& p) {
  const std::string n = p.filename().string();
  auto ends = [&](const char* suf) {
    const std::string s = suf;
    return n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".json") || ends(".json.gz");
}

}  // namespace

int runSstCommand(const std::vector<std::string>& allArgs, std::ostream& out, std::ostream& err) {
  const cms::CpuModel* model = &cms::defaultCpuModel();
  bool verbose = false;
  std::vector<std::string> files;
  // The CMS options (interp_command.h) go to their own parser. Without any of them the
  // runner is the interpreter alone (as before); --cms-threshold turns translation on.
  std::vector<std::string> args, cmsArgs;
  for (size_t i = 0; i < allArgs.size(); ++i) {
    const std::string& a = allArgs[i];
    const bool flag = a == "--no-translate" || a == "--stats";
    const bool withValue = a == "--cms-threshold" || a == "--clock" || a == "--stats-json";
    const bool joined = a.rfind("--cms-threshold=", 0) == 0 || a.rfind("--clock=", 0) == 0 || a.rfind("--stats-json=", 0) == 0;
    if (flag || joined) {
      cmsArgs.push_back(a);
    } else if (withValue) {
      cmsArgs.push_back(a);
      if (i + 1 < allArgs.size()) cmsArgs.push_back(allArgs[++i]);
    } else {
      args.push_back(a);
    }
  }
  CommandLine cmsLine;
  declareCmsOptions(cmsLine);
  cms::RuntimeConfig config;
  try {
    cmsLine.parse(cmsArgs);
    config = cmsConfigFrom(cmsLine);
    if (!cmsLine.value("cms-threshold")) config.translate = false;
  } catch (const UsageError& e) {
    err << "codemorph sst: error: " << e.what() << "\n" << kUsage;
    return 2;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kUsage << kCmsOptionsUsage;
      return 0;
    } else if (a == "-v" || a == "--verbose") {
      verbose = true;
    } else if (a == "--cpu" || a.rfind("--cpu=", 0) == 0) {
      std::string name;
      if (a == "--cpu") {
        if (i + 1 >= args.size()) {
          err << "codemorph sst: error: --cpu needs a NAME\n" << kUsage;
          return 2;
        }
        name = args[++i];
      } else {
        name = a.substr(6);
      }
      model = cms::findCpuModel(name);
      if (!model) {
        err << "codemorph sst: error: unknown CPU '" << name << "'; known:";
        for (const cms::CpuModel& m : cms::cpuModels()) err << " " << m.name;
        err << "\n";
        return 2;
      }
    } else if (!a.empty() && a[0] == '-') {
      err << "codemorph sst: error: unknown option '" << a << "'\n" << kUsage;
      return 2;
    } else {
      std::error_code ec;
      if (fs::is_directory(a, ec)) {
        std::vector<std::string> inDir;
        for (const auto& e : fs::directory_iterator(a, ec))
          if (e.is_regular_file() && isSuiteFile(e.path())) inDir.push_back(e.path().string());
        std::sort(inDir.begin(), inDir.end());
        if (inDir.empty()) {
          err << "codemorph sst: error: " << a << ": no .json or .json.gz files\n";
          return 2;
        }
        files.insert(files.end(), inDir.begin(), inDir.end());
      } else if (fs::exists(a, ec)) {
        files.push_back(a);
      } else {
        err << "codemorph sst: error: " << a << ": no such file or directory\n";
        return 2;
      }
    }
  }
  if (files.empty()) {
    err << kUsage;
    return 2;
  }
  std::unique_ptr<Runner> runner;
  try {
    runner = std::make_unique<Runner>(*model, verbose, out, config);
  } catch (const std::invalid_argument& e) {
    err << "codemorph sst: error: " << e.what() << "\n";
    return 2;
  }
  Totals total;
  for (const std::string& f : files)
    if (!runner->runFile(f, total, err)) return 2;
  out << "total (" << model->name << "): " << total.passed << " passed, " << total.failed << " failed";
  if (total.skipped) out << ", " << total.skipped << " revoked";
  out << " in " << files.size() << " file(s)\n";
  emitCmsStats(cmsLine, runner->runtime(), err);
  return total.failed == 0 ? 0 : 1;
}

}  // namespace codemorph::sim
