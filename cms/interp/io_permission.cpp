// I/O permission checks (SDM Vol. 1 18.5.1-18.5.2; Vol. 3A 20.2.8): in protected mode with
// CPL > IOPL, and always in virtual-8086 mode, IN/OUT/INS/OUTS consult the I/O permission
// bitmap of the current 32-bit TSS: the 16-bit offset at TSS+66h locates the bitmap, and
// every bit of ports port..port+size-1 must be 0. A 16-bit TSS has no bitmap; any bitmap
// byte beyond the TSS limit counts as 1 (#GP(0)). The two bytes containing the bits are
// read as a word, as the SDM describes (so the byte after the last one must be in the limit).
#include "core.h"

namespace codemorph::cms::detail {

void Core::checkIoBitmap(uint16_t port, unsigned size) {
  const unsigned type = s.tr.access & 0xFu;
  const bool tss32 = type == kTss32Avail || type == kTss32Busy;
  if (!tss32 || (s.tr.selector & 0xFFFCu) == 0 || s.tr.limit < 0x67) raise(kVecGP, 0);
  const uint32_t mapBase = readSys(s.tr.base + 0x66, 2);
  const uint32_t byteOff = mapBase + port / 8u;
  if (byteOff + 1 > s.tr.limit) raise(kVecGP, 0);
  const uint32_t bits = readSys(s.tr.base + byteOff, 2);
  const uint32_t mask = ((1u << size) - 1u) << (port & 7u);
  if (bits & mask) raise(kVecGP, 0);
}

}  // namespace codemorph::cms::detail
