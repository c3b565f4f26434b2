// CpuState checkpointing (support/serialize.h) and GuestBus's FlatBus.
#include <codemorph/cms/cpu_state.h>
#include <codemorph/cms/guest_bus.h>
#include <codemorph/support/serialize.h>

namespace codemorph::cms {

namespace {
void putSeg(support::OutArchive& out, const SegmentCache& s) {
  out.put(s.selector); out.put(s.access); out.put(s.base); out.put(s.limit);
}
void getSeg(support::InArchive& in, SegmentCache& s) {
  in.get(s.selector); in.get(s.access); in.get(s.base); in.get(s.limit);
}
}  // namespace

void CpuState::save(support::OutArchive& out) const {
  out.beginSection("x86cpu", 2);
  for (uint32_t r : gpr) out.put(r);
  out.put(eip); out.put(eflags);
  for (const auto& sc : seg) putSeg(out, sc);
  for (uint32_t c : cr) out.put(c);
  out.put(dr6); out.put(dr7);
  for (uint32_t d : dr) out.put(d);
  out.put(gdtr.base); out.put(gdtr.limit); out.put(idtr.base); out.put(idtr.limit);
  putSeg(out, ldtr); putSeg(out, tr);
  out.put(cpl); out.put(static_cast<uint8_t>(halted)); out.put(static_cast<uint8_t>(a20));
  out.put(tscOffset);
}

void CpuState::load(support::InArchive& in) {
  const uint32_t version = in.beginSection("x86cpu", 2);
  for (uint32_t& r : gpr) in.get(r);
  in.get(eip); in.get(eflags);
  for (auto& sc : seg) getSeg(in, sc);
  for (uint32_t& c : cr) in.get(c);
  in.get(dr6); in.get(dr7);
  for (uint32_t& d : dr) in.get(d);
  in.get(gdtr.base); in.get(gdtr.limit); in.get(idtr.base); in.get(idtr.limit);
  getSeg(in, ldtr); getSeg(in, tr);
  in.get(cpl);
  halted = in.get<uint8_t>() != 0;
  a20 = in.get<uint8_t>() != 0;
  tscOffset = version >= 2 ? in.get<uint64_t>() : 0;
}

FlatBus::FlatBus(size_t ramBytes, uint32_t portValue) : storage_(ramBytes, 0), portValue_(portValue) {
  setRam(storage_);
}
uint32_t FlatBus::readPhysical(uint64_t, unsigned size) {
  return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1u;  // open bus
}
void FlatBus::writePhysical(uint64_t, unsigned, uint32_t) {}
uint32_t FlatBus::portIn(uint16_t, unsigned size) {
  return size == 4 ? portValue_ : portValue_ & ((1u << (8 * size)) - 1u);
}
void FlatBus::portOut(uint16_t port, unsigned size, uint32_t value) {
  portWrites.push_back({port, size, value});
}

}  // namespace codemorph::cms
