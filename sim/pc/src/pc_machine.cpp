// The PC machine: platform + memory + CMS runtime under SystemC (pc_machine.h).
#include "codemorph/pc/pc_machine.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "codemorph/hostisa/iss/iss.h"
#if CODEMORPH_HAVE_RTL
#include "codemorph/rtl/cosim.h"
#include "codemorph/rtl/rtl_core.h"
#endif

namespace codemorph::pc {

using platform::SimTime;

namespace {
platform::PcPlatformConfig platformConfig(const PcMachineConfig& c) {
  platform::PcPlatformConfig p;
  p.serialSink = c.serial;
  p.debugconSink = c.debugcon;
  p.ramBytes = c.ramBytes;
  p.disk = c.disk;
  return p;
}

std::string hex(uint64_t v, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

PcMachine::PcMachine(sc_core::sc_module_name name, PcMachineConfig config)
    : sc_module(name),
      config_(std::move(config)),
      platform_(platformConfig(config_)),
      core_(makeCore(config_)),
      ramStorage_(core_ ? 0 : config_.ramBytes, 0),
      memory_(guestRam(), config_.bios, platform_.i440fx),
      memTarget_("memory", memory_),
      ioTarget_("io", platform_),
      memSocket("mem"),
      ioSocket("ioport") {
  SC_HAS_PROCESS(PcMachine);
  memSocket.register_invalidate_direct_mem_ptr(this, &PcMachine::invalidate_direct_mem_ptr);
  memSocket.bind(memTarget_.socket);
  ioSocket.bind(ioTarget_.socket);
  platform_.i440fx.setMapChangedHook([this](uint32_t base, uint32_t size) { onLegacyMapChanged(base, size); });
  platform_.control.onA20Change = [this](bool on) { onA20Changed(on); };
  platform_.control.setA20(true);  // power-on: the 8042's output port has A20 set

  // RAM through DMI: one grant must cover [0, 0xA0000) and one [1 MiB, end), both into
  // the same bytes, which become ram(); the window between is mapped page by page.
  tlm::tlm_generic_payload trans;
  tlm::tlm_dmi dmi;
  trans.set_command(tlm::TLM_WRITE_COMMAND);
  trans.set_address(0);
  if (!memSocket->get_direct_mem_ptr(trans, dmi) || !dmi.is_write_allowed() || dmi.get_start_address() != 0)
    throw std::logic_error("pc: the memory target grants no DMI for RAM at 0");
  uint8_t* base = dmi.get_dmi_ptr();
  if (config_.ramBytes > kLowEnd) {
    trans.set_address(kLowEnd);
    if (!memSocket->get_direct_mem_ptr(trans, dmi) || !dmi.is_write_allowed() ||
        dmi.get_dmi_ptr() + (kLowEnd - dmi.get_start_address()) != base + kLowEnd ||
        dmi.get_end_address() + 1 != config_.ramBytes)
      throw std::logic_error("pc: the memory target's DMI above 1 MiB is not the RAM below it");
  }
  setRam(std::span<uint8_t>(base, config_.ramBytes));
  setLowPageMap(lowPages_);
  refreshDirectMap(0, kLowEnd);

  if (config_.runtime.translate) {
    try {
      runtime_ = std::make_unique<cms::Runtime>(config_.runtime, core_.get(), *this);
    } catch (const std::invalid_argument& e) {
      // The core keeps serving the RAM; the CPU is only interpreted.
      translationUnavailable_ = e.what();
      config_.runtime.translate = false;
    }
  }
  if (!runtime_) runtime_ = std::make_unique<cms::Runtime>(config_.runtime, nullptr, *this);
  // The legacy window as it is at power-on: pages that are not plain RAM are I/O space
  // for translated code (docs/cms-runtime.md section 2).
  for (const platform::LegacyRegion& r : platform_.i440fx.legacyMap())
    runtime_->setPhysicalIo(r.base, r.size, !(r.readRam && r.writeRam));
  SC_THREAD(cpuThread);
}

PcMachine::~PcMachine() = default;

std::unique_ptr<hostisa::iss::CoreApi> PcMachine::makeCore(const PcMachineConfig& config) {
  if (!config.runtime.translate) return nullptr;  // --no-translate: no core model
  hostisa::iss::IssConfig issConfig = config.iss;
  issConfig.memBytes = config.ramBytes + (uint64_t{config.runtime.reservedMiB} << 20);
  switch (config.core) {
    case CoreKind::Iss: return std::make_unique<hostisa::iss::Iss>(issConfig);
#if CODEMORPH_HAVE_RTL
    // The RTL is clocked from this machine's CPU thread (RtlCore::Kernel::Embedded): its
    // clocked setup waits until the simulation runs, and SystemC time is not moved by it.
    case CoreKind::Rtl: return std::make_unique<rtl::RtlCore>(issConfig, rtl::RtlCore::Kernel::Embedded);
    case CoreKind::Cosim: return std::make_unique<rtl::Cosim>(issConfig, rtl::RtlCore::Kernel::Embedded);
#else
    case CoreKind::Rtl:
    case CoreKind::Cosim: break;
#endif
  }
  throw std::invalid_argument("pc: this build has no RTL core (configure with -DCODEMORPH_RTL=ON)");
}

uint64_t PcMachine::cosimMolecules() const {
#if CODEMORPH_HAVE_RTL
  if (const auto* c = dynamic_cast<const rtl::Cosim*>(core_.get())) return c->moleculesChecked();
#endif
  return 0;
}

std::string PcMachine::cosimDivergence() const {
#if CODEMORPH_HAVE_RTL
  if (const auto* c = dynamic_cast<const rtl::Cosim*>(core_.get()); c && c->divergence()) {
    std::string report = *c->divergence();
    while (!report.empty() && report.back() == '\n') report.pop_back();
    return report;
  }
#endif
  return {};
}

void PcMachine::openTrace() {
  if (config_.traceFst.empty()) return;
#if CODEMORPH_HAVE_RTL
  if (auto* r = dynamic_cast<rtl::RtlCore*>(core_.get())) return r->openTrace(config_.traceFst);
  if (auto* c = dynamic_cast<rtl::Cosim*>(core_.get())) return c->rtl().openTrace(config_.traceFst);
#endif
  throw std::invalid_argument("pc: --trace-fst needs the RTL core");
}

std::span<uint8_t> PcMachine::guestRam() {
  if (!core_) return ramStorage_;
  // The first ramBytes of the core's memory; the CMS-reserved top stays invisible to x86.
  return core_->directMemory().first(config_.ramBytes);
}

SimTime PcMachine::toSimTime(uint64_t units) const {
  const uint64_t picos =
      config_.runtime.clock == cms::ClockMode::Cycles ? 1000000 / config_.clockMhz : config_.insnPicos;
  return units * picos;
}

// ---- memory map ---------------------------------------------------------------------

void PcMachine::refreshDirectMap(uint64_t start, uint64_t end) {
  end = std::min<uint64_t>(end, kLowEnd);
  for (uint64_t page = start & ~uint64_t{0xFFF}; page < end;) {
    tlm::tlm_generic_payload trans;
    tlm::tlm_dmi dmi;
    trans.set_command(tlm::TLM_READ_COMMAND);
    trans.set_address(page);
    uint8_t flags = 0;
    uint64_t next = page + 0x1000;
    if (memSocket->get_direct_mem_ptr(trans, dmi)) {
      // Direct only where the grant points at guest RAM at the same offset (not the ROM).
      if (dmi.get_dmi_ptr() + (page - dmi.get_start_address()) == ram().data() + page) {
        flags = kDirectRead | (dmi.is_write_allowed() ? kDirectWrite : 0);
      }
      next = std::max<uint64_t>(next, (dmi.get_end_address() + 1) & ~uint64_t{0xFFF});
    } else {
      next = std::max<uint64_t>(next, (dmi.get_end_address() + 1) & ~uint64_t{0xFFF});
    }
    for (uint64_t p = page; p < next && p < end; p += 0x1000) lowPages_[p >> 12] = flags;
    page = next;
  }
}

void PcMachine::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
  if (start < kLowEnd) refreshDirectMap(start, end + 1);
}

void PcMachine::onLegacyMapChanged(uint32_t base, uint32_t size) {
  memory_.refreshLegacyMap();
  memTarget_.invalidate(base, size);  // -> invalidate_direct_mem_ptr -> page map
  if (config_.log && (config_.logFlags & kLogMemmap)) {
    const uint8_t f = lowPages_[base >> 12];
    *config_.log << "memmap: " << hex(base, 5) << "-" << hex(base + size - 1, 5) << " reads "
                 << ((f & kDirectRead) ? "RAM" : "PCI/ROM") << ", writes " << ((f & kDirectWrite) ? "RAM" : "dropped")
                 << " @" << simNow_ << "ps\n";
  }
  if (!runtime_) return;
  runtime_->invalidatePhysical(base, size);
  const uint8_t f = lowPages_[base >> 12];
  runtime_->setPhysicalIo(base, size, f != (kDirectRead | kDirectWrite));
}

void PcMachine::onA20Changed(bool on) {
  if (config_.log && (config_.logFlags & kLogMemmap)) *config_.log << "memmap: A20 " << (on ? "on" : "off") << "\n";
  if (!runtime_) return;
  applyA20();
  // With A20 off, 1 MiB..2 MiB aliases 0..1 MiB: code found at either changes.
  runtime_->invalidatePhysical(0, 2 * kLowEnd);
}

void PcMachine::applyA20() { runtime_->cpu().a20 = platform_.control.a20; }

// ---- GuestPlatform --------------------------------------------------------------------

sc_core::sc_time PcMachine::localOffset() const {
  const sc_core::sc_time local = platform::toScTime(simNow_);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  return local > now ? local - now : sc_core::SC_ZERO_TIME;
}

uint32_t PcMachine::transport(tlm_utils::simple_initiator_socket<PcMachine>& socket, bool write, uint64_t address,
                              unsigned size, uint32_t value) {
  tlm::tlm_generic_payload trans;
  uint8_t data[4];
  for (unsigned i = 0; i < 4; ++i) data[i] = static_cast<uint8_t>(value >> (8 * i));
  trans.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  trans.set_address(address);
  trans.set_data_ptr(data);
  trans.set_data_length(size);
  trans.set_streaming_width(size);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = localOffset();
  socket->b_transport(trans, delay);
  if (trans.is_response_error()) throw std::logic_error("pc: TLM error response at " + hex(address, 8));
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= uint32_t{data[i]} << (8 * i);
  return v;
}

uint32_t PcMachine::readPhysical(uint64_t address, unsigned size) { return transport(memSocket, false, address, size, 0); }

void PcMachine::writePhysical(uint64_t address, unsigned size, uint32_t value) {
  transport(memSocket, true, address, size, value);
}

uint32_t PcMachine::portIn(uint16_t port, unsigned size) {
  const uint64_t unmappedBefore = platform_.ports.unmappedAccesses();
  const uint32_t v = transport(ioSocket, false, port, size, 0);
  if (config_.log) {
    if (config_.logFlags & kLogIoport)
      *config_.log << "ioport: in" << size << " " << hex(port, 4) << " -> " << hex(v, 2 * size) << " @" << simNow_ << "ps\n";
    if ((config_.logFlags & kLogUnimp) && platform_.ports.unmappedAccesses() != unmappedBefore)
      *config_.log << "unimp: read of unmapped port " << hex(port, 4) << "\n";
  }
  return v;
}

void PcMachine::portOut(uint16_t port, unsigned size, uint32_t value) {
  const uint64_t unmappedBefore = platform_.ports.unmappedAccesses();
  if (config_.log && (config_.logFlags & kLogIoport))
    *config_.log << "ioport: out" << size << " " << hex(port, 4) << " <- " << hex(value, 2 * size) << " @" << simNow_ << "ps\n";
  transport(ioSocket, true, port, size, value);
  if (config_.log && (config_.logFlags & kLogUnimp) && platform_.ports.unmappedAccesses() != unmappedBefore)
    *config_.log << "unimp: write of unmapped port " << hex(port, 4) << "\n";
}

void PcMachine::syncTo(uint64_t t) {
  const SimTime target = toSimTime(t);
  if (target > simNow_) simNow_ = target;
  platform_.syncTo(simNow_);
  // The quantum: once the CPU is a quantum ahead of SystemC time, let SystemC catch up
  // here, at a synchronization point the Runtime chose. The Runtime's run is never cut at
  // a quantum boundary, so the quantum cannot change what the guest does.
  if (inThread_ && simNow_ - platform::toSimTime(sc_core::sc_time_stamp()) >= toSimTime(config_.quantum) &&
      sc_core::sc_get_current_process_handle() == cpuProcess_) {
    ++quantumSyncs_;
    wait(localOffset());
  }
  // A CPU reset sets CpuState::a20; the chipset's gate is what counts.
  if (runtime_ && runtime_->cpu().a20 != platform_.control.a20) applyA20();
}

uint64_t PcMachine::nextEventTime() const {
  const SimTime next = platform_.nextEventTime();
  if (next == platform::kNever) return UINT64_MAX;
  const uint64_t unit = toSimTime(1);
  return (next + unit - 1) / unit;  // the first clock tick at or after the event
}

bool PcMachine::intrPending() { return platform_.pic.intr(); }

uint8_t PcMachine::intrAcknowledge() {
  const uint8_t vector = platform_.pic.interruptAcknowledge();
  if (config_.log && (config_.logFlags & kLogInt))
    *config_.log << "int: vector " << hex(vector, 2) << " at " << hex(runtime_->cpu().seg[cms::kCS].selector, 4) << ":"
                 << hex(runtime_->cpu().eip, 8) << " @" << simNow_ << "ps\n";
  return vector;
}

bool PcMachine::stopRequested() const { return platform_.control.exitRequested; }

bool PcMachine::resetRequested() {
  const platform::ResetKind kind = platform_.control.resetRequested;
  if (kind == platform::ResetKind::None) return false;
  platform_.control.resetRequested = platform::ResetKind::None;
  if (kind == platform::ResetKind::Hard) platform_.hardReset();
  ++resets_;
  if (config_.log && (config_.logFlags & kLogCpuReset))
    *config_.log << "cpu_reset: " << (kind == platform::ResetKind::Hard ? "hard" : "soft (INIT)") << " reset requested at "
                 << hex(runtime_->cpu().seg[cms::kCS].selector, 4) << ":" << hex(runtime_->cpu().eip, 8) << " @"
                 << simNow_ << "ps\n";
  return true;  // the Runtime resets the CPU and flushes its translation cache
}

bool PcMachine::a20() const { return platform_.control.a20; }

// ---- the run --------------------------------------------------------------------------

void PcMachine::hardResetMachine(const char* why) {
  if (config_.log && (config_.logFlags & kLogCpuReset))
    *config_.log << "cpu_reset: " << why << " at " << hex(runtime_->cpu().seg[cms::kCS].selector, 4) << ":"
                 << hex(runtime_->cpu().eip, 8) << " @" << simNow_ << "ps\n";
  platform_.hardReset();
  runtime_->reset();
  applyA20();
  ++resets_;
}

void PcMachine::cpuThread() {
  inThread_ = true;
  cpuProcess_ = sc_core::sc_get_current_process_handle();
  try {
    openTrace();
    runLoop();
  } catch (const std::exception& e) {
    // Nothing may escape a SystemC thread (it would become a multi-line SystemC report):
    // an internal error ends the run with one line.
    result_ = {MachineStop::CoreError, 0, std::string("internal error: ") + e.what()};
  }
  sc_core::sc_stop();
}

void PcMachine::runLoop() {
  runtime_->reset();
  applyA20();
  for (;;) {
    const cms::RunOutcome outcome = runtime_->run(config_.maxTime ? config_.maxTime : UINT64_MAX);
    wait(localOffset());
    bool done = true;
    switch (outcome.stop) {
      case cms::RunStop::Limit:
        if (config_.maxTime && runtime_->now() >= config_.maxTime) {
          result_ = {MachineStop::TimeLimit, 0, "--max-cycles " + std::to_string(config_.maxTime) + " reached at " +
                                                    hex(runtime_->cpu().seg[cms::kCS].selector, 4) + ":" +
                                                    hex(runtime_->cpu().eip, 8)};
        } else {
          done = false;
        }
        break;
      case cms::RunStop::GuestStop: result_ = {MachineStop::GuestExit, platform_.control.exitStatus, {}}; break;
      case cms::RunStop::TripleFault:
        if (config_.noReboot) {
          result_ = {MachineStop::TripleFault, 0, outcome.message + " (-no-reboot)"};
        } else {
          hardResetMachine("triple fault");
          done = false;
        }
        break;
      case cms::RunStop::Unimplemented: result_ = {MachineStop::Unimplemented, 0, outcome.message}; break;
      case cms::RunStop::CoreError: {
        // A cosim divergence stops the core: its report is the message.
        const std::string divergence = cosimDivergence();
        result_ = {MachineStop::CoreError, 0, divergence.empty() ? outcome.message : divergence};
        break;
      }
      default: result_ = {MachineStop::Idle, 0, outcome.message}; break;
    }
    if (done) return;
  }
}

MachineResult PcMachine::run() {
  // sc_stop() at the end is the normal way out: no "simulation stopped" report.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_start();
  return result_;
}

}  // namespace codemorph::pc
