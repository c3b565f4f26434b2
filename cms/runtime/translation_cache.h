// The translation cache (docs/cms-runtime.md 2, 4, 6): code space in the reserved region,
// the records of every translation, the firmware's lookup table, chaining of direct exits
// with back-links, T-bit protection of translated guest code, and invalidation.
//
// Keys: a translation is identified by {context, entry EIP, physical address of the entry}
// (contexts.h); the lookup table and chains use {context, EIP}, which is valid while the
// linear->physical mapping is: the CMS drops both (dropLinearViews) whenever the x86 would
// flush its TLB (INVLPG, CR0/CR3/CR4 writes, A20 changes).
//
// Chaining policy: a direct exit is patched to jump straight to its target only when the
// target is *final* (gear 3, or a gear-2 block that gear 3 could not improve): a gear-2
// target is reached through the lookup table, whose hit counter is the profile that
// promotes it (firmware fw_dispatch, abi.def LOOKUP_COUNT).
//
// Full-cache policy: code space is a bump allocator; when a translation does not fit,
// the whole cache is flushed (every translation, lookup entry, chain and T-bit) and
// translation restarts from empty (QEMU's tb_flush policy): simple, and a cache that fills
// up is rare with the default 16 MiB region. Invalidated translations keep their space
// until then.
#pragma once
#include <codemorph/hostisa/iss/core_api.h>
#include <codemorph/translator/translate.h>

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "runtime_stats.h"

namespace codemorph::cms::runtime {

struct ExitSite {
  uint32_t hostJump = 0;  // address of the molecule whose only control atom is the exit's `j`
  uint32_t targetEip = 0;
  translator::ExitKind kind = translator::ExitKind::Direct;
  int32_t chainedTo = -1;  // translation id, or -1: jumps to fw_dispatch
};

struct TranslationRecord {
  uint32_t id = 0;
  bool valid = false;
  uint32_t context = 0, eip = 0, physEntry = 0;  // key
  uint32_t physStart = 0, physEnd = 0;           // guest code bytes covered [start, end)
  uint32_t hostBase = 0, hostSize = 0;
  uint8_t gear = 2;
  bool final = false;                            // chain targets (see the policy above)
  bool selfChecking = false;                     // checks its guest bytes at entry, no T-bits
  std::vector<uint8_t> guestBytes;               // selfChecking: the bytes it was made from
  uint32_t x86Instructions = 0;
  std::vector<ExitSite> exits;
  std::vector<std::pair<uint32_t, uint32_t>> incoming;  // (translation id, exit index)
  int32_t lookupSlot = -1;
};

class TranslationCache {
 public:
  struct Layout {
    uint32_t regionBase;   // reserved region
    uint32_t regionBytes;
    uint32_t fwDispatch;   // host address of fw_dispatch (unchained exits jump there)
    uint32_t tbitGranule;
    uint64_t guestRamBytes;
    uint32_t hotThreshold;
    bool chaining;
  };
  TranslationCache(hostisa::iss::CoreApi& core, const Layout& layout, RuntimeStats& stats);

  uint32_t tcacheBase() const;
  // Host address for `bytes` of code, 8-aligned; nullopt if the cache is full.
  std::optional<uint32_t> allocate(uint32_t bytes);
  // Writes the code, protects its guest bytes with T-bits, enters it in the lookup table
  // and chains it (both directions, see the policy). Returns its id.
  uint32_t install(TranslationRecord record, std::span<const uint8_t> code);

  const TranslationRecord* find(uint32_t context, uint32_t eip, uint32_t physEntry) const;
  const TranslationRecord* record(uint32_t id) const;
  // The translation whose code contains host address pc (nullptr: none).
  const TranslationRecord* containing(uint32_t hostPc) const;
  // True if a translation (valid or not) begins at host address pc: the same answer as
  // containing(pc) && containing(pc)->hostBase == pc, in O(1) (the run loop's hit counts).
  bool isEntry(uint32_t hostPc) const {
    const uint32_t off = hostPc - tcacheBase();
    if (off & 7u) return false;
    const uint32_t bit = off >> 3;
    return bit / 64 < entryBits_.size() && ((entryBits_[bit / 64] >> (bit % 64)) & 1u);
  }
  // Puts a translation into the lookup table (evicting the slot's previous owner).
  void enterLookup(uint32_t id);
  // A gear-2 translation that gear 3 left as it is becomes final (chain target).
  void makeFinal(uint32_t id);

  // Invalidation: the translation stops being reachable (lookup entry, chains into it),
  // and its T-bits go where no other valid translation covers the granule.
  void invalidate(uint32_t id);
  // Every translation whose guest code overlaps [base, base+size); returns how many.
  unsigned invalidatePhysical(uint64_t base, uint64_t size);
  // The valid translations whose guest code overlaps [base, base+size) (granule index).
  std::vector<uint32_t> covering(uint64_t base, uint64_t size) const;
  // The self-checking translations (not T-bit protected, not in the granule index).
  const std::vector<uint32_t>& selfCheckingIds() const { return selfChecking_; }
  // True if a valid translation covers the T-bit granule of this physical address.
  bool protectedGranule(uint64_t physical) const {
    const uint64_t g = physical >> granuleShift_;
    return g < granuleUse_.size() && granuleUse_[g] != 0;
  }
  // The lookup table and all chains (not the translations): the linear view changed.
  void dropLinearViews();
  // Everything (full cache, reset).
  void flush();

  uint64_t bytesUsed() const { return next_ - tcacheBase(); }
  uint32_t validCount() const;

 private:
  void writeLookup(uint32_t slot, uint32_t eip, uint32_t context, uint32_t hostPc, uint32_t count);
  void patchJump(uint32_t molecule, uint32_t target);
  void chain(uint32_t fromId, uint32_t exitIndex, uint32_t toId);
  void unchain(uint32_t fromId, uint32_t exitIndex);
  void protect(const TranslationRecord& r, bool on);
  static uint64_t linearKey(uint32_t context, uint32_t eip) { return (uint64_t{context} << 32) | eip; }

  hostisa::iss::CoreApi& core_;
  Layout layout_;
  RuntimeStats& stats_;
  unsigned granuleShift_ = 7;
  uint32_t next_ = 0;
  std::vector<TranslationRecord> records_;  // by id, in allocation (host address) order
  std::vector<uint64_t> entryBits_;         // per 8 bytes of the cache: a record's hostBase
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> byKey_;  // valid only
  std::unordered_map<uint64_t, uint32_t> finalByLinear_;                // {context, eip} -> id
  std::unordered_multimap<uint64_t, std::pair<uint32_t, uint32_t>> waiting_;  // unchained direct exits
  std::vector<int32_t> slotOwner_;
  std::vector<uint32_t> ownedSlots_;  // every slot given an owner since the last drop/flush (superset)
  std::vector<uint16_t> granuleUse_;  // valid translations covering each granule
  std::unordered_map<uint64_t, std::vector<uint32_t>> byGranule_;  // granule -> translation ids
  std::vector<uint32_t> selfChecking_;
};

}  // namespace codemorph::cms::runtime
