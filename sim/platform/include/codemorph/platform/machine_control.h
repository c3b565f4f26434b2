// Requests that leave the platform towards whoever runs it: exit with a status
// (isa-debug-exit, Bochs "Shutdown"), reset (port 0x92 bit 0, 0xCF9, later the 8042), and
// the A20 gate (port 0x92 bit 1) whose change alters the memory map (ARCHITECTURE.md 5:
// translations of the affected pages must be invalidated). The run loop polls these
// after every I/O access, which the core makes synchronously.
#pragma once
#include <cstdint>
#include <functional>

#include "codemorph/support/serialize.h"

namespace codemorph::platform {

enum class ResetKind : uint8_t { None, Soft, Hard };

struct MachineControl {
  bool exitRequested = false;
  int exitStatus = 0;
  ResetKind resetRequested = ResetKind::None;
  bool a20 = false;
  std::function<void(bool)> onA20Change;  // not checkpointed (wiring)

  void requestExit(int status) {
    if (!exitRequested) {
      exitRequested = true;
      exitStatus = status;
    }
  }
  void requestReset(ResetKind kind) { resetRequested = kind; }
  void setA20(bool on) {
    if (on == a20) return;
    a20 = on;
    if (onA20Change) onA20Change(on);
  }
  void save(support::OutArchive& out) const {
    out.beginSection("platform.control", 1);
    out.put(exitRequested);
    out.put(exitStatus);
    out.put(resetRequested);
    out.put(a20);
  }
  void load(support::InArchive& in) {
    in.beginSection("platform.control", 1);
    in.get(exitRequested);
    in.get(exitStatus);
    in.get(resetRequested);
    in.get(a20);
  }
};

}  // namespace codemorph::platform
