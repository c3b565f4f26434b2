// Descriptor tables and protected-mode segment-register loads (SDM Vol. 3A 3.4-3.5, 5.4-5.7;
// Vol. 2B MOV/POP "Protected Mode Exceptions"): selector -> GDT/LDT entry with the table
// limit check, the accessed bit, the checks and error codes of loading DS/ES/FS/GS/SS, the
// inner stack of a privilege change read from the TSS (7.2.1), and the nulling of data
// segments on a return to an outer level (5.8.6). Error codes are selector & ~3 (plus EXT
// where the fault happens during event delivery), Vol. 3A 6.13.
#include "core.h"

namespace codemorph::cms::detail {

namespace {
// Sets the supervisor-access flag for the duration of a system access (paging U/S).
struct SupervisorScope {
  explicit SupervisorScope(bool& f) : flag(f), old(f) { flag = true; }
  ~SupervisorScope() { flag = old; }
  bool& flag;
  bool old;
};
}  // namespace

uint32_t Core::readSys(uint32_t lin, unsigned size) {
  SupervisorScope scope(supervisorAccess);
  return readLinear(lin, size);
}

void Core::writeSys(uint32_t lin, unsigned size, uint32_t value) {
  SupervisorScope scope(supervisorAccess);
  writeLinear(lin, size, value);
}

bool Core::tryReadDescriptor(uint16_t selector, Descriptor& d) {
  uint32_t base, limit;
  if (selector & 4) {  // TI = 1: LDT; an unusable LDTR makes every LDT selector invalid
    if ((s.ldtr.selector & 0xFFFC) == 0) return false;
    base = s.ldtr.base;
    limit = s.ldtr.limit;
  } else {
    base = s.gdtr.base;
    limit = s.gdtr.limit;
  }
  const uint32_t index = selector & 0xFFF8u;
  if (index + 7u > limit) return false;
  d.lo = readSys(base + index, 4);
  d.hi = readSys(base + index + 4, 4);
  return true;
}

Descriptor Core::readDescriptor(uint16_t selector, uint8_t vector, uint32_t ext) {
  Descriptor d;
  if (!tryReadDescriptor(selector, d)) raise(vector, (selector & 0xFFFCu) | ext);
  return d;
}

void Core::setAccessed(uint16_t selector, Descriptor& d) {
  // Vol. 3A 3.4.5.1: the CPU sets the accessed bit when it loads a segment register.
  if (!d.isSegment() || (d.hi & 0x100u)) return;
  d.hi |= 0x100u;
  const uint32_t base = (selector & 4) ? s.ldtr.base : s.gdtr.base;
  writeSys(base + (selector & 0xFFF8u) + 4, 4, d.hi);
}

void Core::loadCache(SegmentCache& c, uint16_t selector, const Descriptor& d) {
  c.selector = selector;
  c.base = d.base();
  c.limit = d.limit();
  c.access = d.accessRights();
}

void Core::loadSegmentPm(unsigned seg, uint16_t selector) {
  const uint32_t errSel = selector & 0xFFFCu;
  const unsigned rpl = selector & 3u;
  if (seg == kSS) {
    loadStackSegment(selector, s.cpl, kVecGP, 0);
    return;
  }
  if (errSel == 0) {  // null selector: loads, but the segment is unusable (Vol. 3A 3.4.2)
    SegmentCache& c = s.seg[seg];
    c.selector = selector;
    c.access = 0;
    c.base = 0;
    c.limit = 0;
    return;
  }
  Descriptor d = readDescriptor(selector, kVecGP, 0);
  // Vol. 2B MOV: data or readable code; data and non-conforming code need DPL >= CPL, RPL.
  if (!d.readable()) raise(kVecGP, errSel);
  if (!d.conforming() && (rpl > d.dpl() || s.cpl > d.dpl())) raise(kVecGP, errSel);
  if (!d.present()) raise(kVecNP, errSel);
  setAccessed(selector, d);
  loadCache(s.seg[seg], selector, d);
}

void Core::loadStackSegment(uint16_t selector, unsigned newCpl, uint8_t vector, uint32_t ext) {
  // Vol. 2B MOV/POP SS and 3A 6.12.1 / 7.2.1: SS must be a writable data segment with
  // RPL = DPL = the new CPL; a null SS is #GP(0) (#TS(EXT) from the TSS); not present is
  // #SS(selector).
  const uint32_t errSel = selector & 0xFFFCu;
  if (errSel == 0) raise(vector, ext);
  Descriptor d = readDescriptor(selector, vector, ext);
  if ((selector & 3u) != newCpl || !d.writable() || d.dpl() != newCpl) raise(vector, errSel | ext);
  if (!d.present()) raise(kVecSS, errSel | ext);
  setAccessed(selector, d);
  loadCache(s.seg[kSS], selector, d);
}

void Core::nullDataSegmentsForCpl() {
  // Vol. 3A 5.8.6 / Vol. 2B RET, IRET: after a return to an outer level, a data segment
  // register (or non-conforming code) with DPL < new CPL is loaded with null.
  static constexpr unsigned kData[] = {kES, kDS, kFS, kGS};
  for (unsigned seg : kData) {
    SegmentCache& c = s.seg[seg];
    const bool conformingCode = (c.access & 0x1Cu) == 0x1Cu;
    const unsigned dpl = (c.access >> 5) & 3u;
    if ((c.access & 0x10u) == 0 || (!conformingCode && dpl < s.cpl)) {
      c.selector = 0;
      c.access = 0;
    }
  }
}

void Core::innerStackFromTss(unsigned dpl, uint16_t& ss, uint32_t& esp, uint32_t ext) {
  // Vol. 3A 7.2.1 (Figure 7-2, 32-bit TSS: ESPn at 4+8n, SSn at 8+8n) and 7.6 (16-bit TSS:
  // SPn at 2+4n, SSn at 4+4n). Beyond the TSS limit: #TS(TSS selector + EXT).
  const unsigned type = (s.tr.access & 0xFu);
  const bool tss32 = type == kTss32Busy || type == kTss32Avail;
  if ((s.tr.selector & 0xFFFCu) == 0) unimplemented("privilege change with no TSS loaded (TR null)");
  const uint32_t off = tss32 ? 4 + 8 * dpl : 2 + 4 * dpl;
  const uint32_t last = tss32 ? off + 5 : off + 3;
  if (last > s.tr.limit) raise(kVecTS, (s.tr.selector & 0xFFFCu) | ext);
  if (tss32) {
    esp = readSys(s.tr.base + off, 4);
    ss = static_cast<uint16_t>(readSys(s.tr.base + off + 4, 2));
  } else {
    esp = readSys(s.tr.base + off, 2);
    ss = static_cast<uint16_t>(readSys(s.tr.base + off + 2, 2));
  }
}

}  // namespace codemorph::cms::detail
