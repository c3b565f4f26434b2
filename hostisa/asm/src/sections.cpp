// Section placement and image extent (see sections.h).
#include "sections.h"

#include <algorithm>
#include <cstdio>

#include "codemorph/hostisa/assembler.h"

namespace codemorph::hostisa::asmimpl {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t alignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

constexpr uint64_t kAddressSpace = uint64_t{1} << 32;

}  // namespace

unsigned SectionTable::declare(const std::string& name, uint32_t line, uint32_t column) {
  for (unsigned i = 0; i < sections_.size(); ++i) {
    if (sections_[i].name == name) return i;
  }
  Section s;
  s.name = name;
  s.line = line;
  s.column = column;
  sections_.push_back(std::move(s));
  return static_cast<unsigned>(sections_.size() - 1);
}

void SectionTable::resetCursors() {
  for (Section& s : sections_) s.cursor = 0;
}

bool SectionTable::place(Diagnostics& diags) {
  bool ok = true;
  uint64_t prevEnd = 0;
  for (Section& s : sections_) {
    if (!s.hasAddress) {
      const uint64_t start = alignUp(prevEnd, std::max<uint64_t>(16, s.maxAlign));
      if (start >= kAddressSpace) {
        diags.error(s.line, s.column, "section " + quote(s.name) + " would start beyond the 32-bit address space");
        return false;
      }
      s.start = static_cast<uint32_t>(start);
      s.hasAddress = true;
    }
    if (s.end() > kAddressSpace) {
      diags.error(s.line, s.column, "section " + quote(s.name) + " (" + hex(s.start) + ", " + std::to_string(s.size()) +
                                        " bytes) extends beyond the 32-bit address space");
      ok = false;
    }
    prevEnd = s.end();
  }
  if (!ok) return false;

  std::vector<const Section*> used;
  for (const Section& s : sections_) {
    if (s.size() > 0) used.push_back(&s);
  }
  std::sort(used.begin(), used.end(), [](const Section* a, const Section* b) { return a->start < b->start; });
  for (size_t i = 1; i < used.size(); ++i) {
    const Section& a = *used[i - 1];
    const Section& b = *used[i];
    if (a.end() > b.start) {
      diags.error(b.line, b.column, "sections " + quote(a.name) + " (" + hex(a.start) + ".." + hex(a.end()) + ") and " +
                                        quote(b.name) + " (" + hex(b.start) + ".." + hex(b.end()) + ") overlap");
      ok = false;
    }
  }
  if (!ok) return false;
  if (used.empty()) {
    imageBase_ = sections_.empty() ? 0 : sections_.front().start;
    imageSize_ = 0;
    return true;
  }
  uint64_t lo = used.front()->start, hi = 0;
  for (const Section* s : used) hi = std::max(hi, s->end());
  if (hi - lo > kMaxImageBytes) {
    const Section& s = *used.back();
    diags.error(s.line, s.column, "image would span " + hex(lo) + ".." + hex(hi) + " (" + std::to_string(hi - lo) +
                                      " bytes), more than the 64 MiB limit");
    return false;
  }
  imageBase_ = static_cast<uint32_t>(lo);
  imageSize_ = static_cast<uint32_t>(hi - lo);
  return true;
}

}  // namespace codemorph::hostisa::asmimpl
