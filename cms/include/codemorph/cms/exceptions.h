// The x86 exception model (SDM Vol. 3A 6.15, Table 6-1; 6.9 priorities; 6.15 "Interrupt 8
// — Double Fault" Table 6-5 classes). A fault detected while executing an instruction is a
// GuestFault (thrown inside the interpreter core only, never out of it); the core rolls
// EIP back to the instruction (faults) or leaves it after (traps) and delivers it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace codemorph::cms {

enum Vector : uint8_t {
  kVecDE = 0, kVecDB = 1, kVecNMI = 2, kVecBP = 3, kVecOF = 4, kVecBR = 5, kVecUD = 6,
  kVecNM = 7, kVecDF = 8, kVecCSO = 9, kVecTS = 10, kVecNP = 11, kVecSS = 12, kVecGP = 13,
  kVecPF = 14, kVecMF = 16, kVecAC = 17, kVecMC = 18,
};

// Table 6-5: how a second exception during delivery of a first combines.
enum class ExceptionClass : uint8_t { Benign, Contributory, PageFault };
ExceptionClass exceptionClass(uint8_t vector);
// Vectors that push an error code in protected mode (Table 6-1).
bool pushesErrorCode(uint8_t vector);

// An exception raised while executing one instruction.
struct GuestFault {
  uint8_t vector;
  bool hasErrorCode;
  uint32_t errorCode;
};

// Why the interpreter stopped.
enum class StopReason : uint8_t {
  None,           // still running (step) / instruction budget used up (run)
  Halted,         // HLT with no interrupt to wake it
  TripleFault,    // shutdown (Vol. 3A 6.15, Interrupt 8: a fault while delivering #DF)
  Unimplemented,  // an instruction or mode the interpreter does not implement yet
};

struct StopInfo {
  StopReason reason = StopReason::None;
  uint16_t cs = 0;       // CS:EIP of the instruction that caused the stop
  uint32_t eip = 0;
  std::vector<uint8_t> exceptionChain;  // TripleFault: the vectors in the order raised
  std::string message;   // one line, human readable
};

}  // namespace codemorph::cms
