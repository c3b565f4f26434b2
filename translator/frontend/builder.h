// The front end's instruction builder: emits IR for one region and knows the x86 register
// file and addressing (SDM Vol. 2A 2.1.5, Vol. 1 3.4.1 for partial registers, 3.7.5 for
// effective addresses). One instance translates one region; the per-family files
// (alu.cpp, shifts.cpp, ...) call it.
//
// Conventions: a value read from an 8/16-bit register is any VReg whose low bits hold it
// (upper bits are garbage), so every consumer either works on the low bits (the *CC atoms,
// narrow stores, Ins8L/Ins16 merges) or extends explicitly. A 32-bit register read returns
// the pinned register itself: copy it (copyOf) before writing that register if the old
// value is still needed afterwards.
#pragma once
#include <codemorph/x86/decoder.h>

#include <map>

#include "../ir/ir.h"

namespace codemorph::translator::frontend {

using ir::Inst;
using ir::Op;
using ir::VReg;

// Where an x86 operand lives once its address is known (memory operands: the agen result,
// computed once and shared by the load and the store of a read-modify-write).
struct Place {
  enum Kind : uint8_t { Reg, Mem, Imm } kind = Imm;
  x86::Reg reg = x86::Reg::None;
  VReg linear = ir::kZero;
  uint8_t size = 4;
  uint32_t imm = 0;
};

class Builder {
 public:
  Builder(ir::Function& fn, const RegionMode& mode, const TranslateOptions& options, uint32_t entryEip)
      : fn_(fn), mode_(mode), options_(options), entryEip_(entryEip) {}

  // ---- emission -------------------------------------------------------------------------
  Inst& emit(const Inst& inst);
  VReg op(Op op, VReg a, VReg b = ir::kZero, int32_t imm = 0, uint8_t width = 4);
  // Same, into a chosen destination (pinned register or temp).
  void opTo(VReg dst, Op op, VReg a, VReg b = ir::kZero, int32_t imm = 0, uint8_t width = 4);
  VReg constant(uint32_t value);
  VReg addImm(VReg v, int32_t imm);
  VReg copyOf(VReg v) { return op(Op::Copy, v); }

  // ---- registers ------------------------------------------------------------------------
  VReg readReg(x86::Reg r);
  // Writes v (low bits) into x86 register r, merging 8/16-bit registers.
  void writeReg(x86::Reg r, VReg v);
  // For a 32-bit register destination, the pinned register an op can write directly;
  // kZero if the destination needs a merge (then write the temp with writeReg).
  static VReg directTarget(const Place& p);

  // ---- memory ---------------------------------------------------------------------------
  VReg effectiveAddress(const x86::Operand& m, uint8_t addrSize);
  // Linear address of seg:offset for an access of `size` bytes, with the limit check
  // (`agen`, or without hostisa.seg_agen the sequence in segment_check.cpp).
  VReg agen(VReg offset, x86::Seg seg, uint8_t size);
  VReg load(VReg linear, uint8_t size, bool sign = false);
  void store(VReg linear, VReg value, uint8_t size);

  // ---- operands -------------------------------------------------------------------------
  Place place(const x86::Operand& o, uint8_t addrSize);
  VReg read(const Place& p);           // register / memory / immediate value
  void write(const Place& p, VReg v);  // register (merged) / memory

  // ---- stack (SS.B selects ESP or SP, SDM Vol. 1 6.2) -----------------------------------
  void push(VReg value, uint8_t size);
  VReg pop(uint8_t size);

  // ---- DF-dependent string step (DF lives in xflags; translations never change it) ------
  VReg stringStep(uint8_t size);

  // ---- exits ----------------------------------------------------------------------------
  int addExit(ExitKind kind, uint32_t target, uint32_t retired);
  // Leaves through rollback to fw_interpret at the entry EIP when v != 0 (segment_check.cpp).
  void rollbackIfNonZero(VReg v);
  void exitIf(uint8_t cond, uint32_t target, uint32_t retired);
  void exitIfZero(VReg v, bool nonZero, uint32_t target, uint32_t retired);
  void finalDirect(uint32_t target, uint32_t retired, ExitKind kind = ExitKind::Direct);
  // targetSize: operand size of the transfer (2: the target is a zero-extended 16-bit EIP).
  void finalIndirect(VReg target, uint32_t retired, uint8_t targetSize);

  const RegionMode& mode() const { return mode_; }
  const TranslateOptions& options() const { return options_; }
  void setX86Index(uint16_t i) { x86Index_ = i; }
  ir::Function& function() { return fn_; }

 private:
  ir::Function& fn_;
  const RegionMode& mode_;
  const TranslateOptions& options_;
  VReg agenWithoutSegAgen(VReg offset, x86::Seg seg, uint8_t size);

  uint32_t entryEip_ = 0;
  uint16_t x86Index_ = 0;
  std::map<uint8_t, VReg> stringSteps_;
  struct SegmentRegs {
    VReg base, limit;
  };
  std::map<uint8_t, SegmentRegs> segments_;  // read once per region (segment_check.cpp)
};

}  // namespace codemorph::translator::frontend
