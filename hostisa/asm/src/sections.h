// Sections of an assembly: name, start address (fixed by .section NAME, ADDR, by the base
// option for .text, or placed after pass 1), cursor and size. Placement of the sections
// without an address, overlap and size checks, and the extent of the flat image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace codemorph::hostisa::asmimpl {

struct Section {
  std::string name;
  bool hasAddress = false;       // start is fixed (known in pass 1)
  bool explicitAddress = false;  // given by .section NAME, ADDR
  uint32_t start = 0;
  uint64_t cursor = 0;           // offset of the next byte; only moves forward
  uint64_t maxAlign = 1;         // largest alignment requested inside (bytes)
  uint32_t line = 1, column = 1; // where it was first named, for diagnostics
  uint64_t size() const { return cursor; }
  uint64_t end() const { return start + cursor; }
};

class SectionTable {
 public:
  // Index of the named section, creating it (without address) if new.
  unsigned declare(const std::string& name, uint32_t line, uint32_t column);
  Section& operator[](unsigned i) { return sections_[i]; }
  const std::vector<Section>& all() const { return sections_; }
  void resetCursors();

  // After pass 1: give every section without an address one (after the previous section
  // in declaration order, aligned to max(16, its alignment)), then check that sections fit
  // the 32-bit address space, do not overlap, and span at most kMaxImageBytes. On success
  // sets imageBase/imageSize.
  bool place(Diagnostics& diags);
  uint32_t imageBase() const { return imageBase_; }
  uint32_t imageSize() const { return imageSize_; }

 private:
  std::vector<Section> sections_;
  uint32_t imageBase_ = 0;
  uint32_t imageSize_ = 0;
};

}  // namespace codemorph::hostisa::asmimpl
