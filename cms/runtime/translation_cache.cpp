// See translation_cache.h.
#include "translation_cache.h"

#include <codemorph/firmware/abi.h>
#include <codemorph/hostisa/isa.h>

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace codemorph::cms::runtime {

using namespace codemorph::firmware;

TranslationCache::TranslationCache(hostisa::iss::CoreApi& core, const Layout& layout, RuntimeStats& stats)
    : core_(core), layout_(layout), stats_(stats) {
  granuleShift_ = static_cast<unsigned>(std::countr_zero(layout.tbitGranule));
  granuleUse_.assign(static_cast<size_t>((layout.guestRamBytes + layout.tbitGranule - 1) >> granuleShift_), 0);
  slotOwner_.assign(kAbi_LOOKUP_ENTRIES, -1);
  next_ = tcacheBase();
  const uint64_t cacheBytes = layout.regionBytes > kAbi_TCACHE_OFFSET ? layout.regionBytes - kAbi_TCACHE_OFFSET : 0;
  entryBits_.assign(static_cast<size_t>((cacheBytes / 8 + 63) / 64), 0);
}

uint32_t TranslationCache::tcacheBase() const { return layout_.regionBase + kAbi_TCACHE_OFFSET; }

std::optional<uint32_t> TranslationCache::allocate(uint32_t bytes) {
  const uint64_t end = uint64_t{next_} + ((bytes + 7u) & ~7u);
  if (end > uint64_t{layout_.regionBase} + layout_.regionBytes) return std::nullopt;
  return next_;
}

void TranslationCache::writeLookup(uint32_t slot, uint32_t eip, uint32_t context, uint32_t hostPc, uint32_t count) {
  const uint32_t words[4] = {eip, context, hostPc, count};
  core_.writeMemory(layout_.regionBase + kAbi_LOOKUP_OFFSET + slot * kAbi_LOOKUP_ENTRY_BYTES,
                    {reinterpret_cast<const uint8_t*>(words), sizeof words});
}

// Rewrites the `j` of an exit molecule (its only control atom, docs/cms-runtime.md 4.3).
void TranslationCache::patchJump(uint32_t molecule, uint32_t target) {
  uint8_t bytes[32];
  const unsigned maxBytes = std::min<uint64_t>(sizeof bytes, core_.memorySize() - molecule);
  core_.readMemory(molecule, {bytes, maxBytes});
  hostisa::MoleculeDecode d = hostisa::decodeMolecule({bytes, maxBytes});
  if (d.error != hostisa::MoleculeError::None) throw std::logic_error("CMS: exit molecule does not decode");
  bool patched = false;
  for (unsigned i = 0; i < d.molecule.numAtoms; ++i) {
    hostisa::Atom& a = d.molecule.atoms[i];
    if (a.op != hostisa::Op::J) continue;
    a.imm = static_cast<int32_t>(target - molecule) / 8;
    patched = true;
  }
  if (!patched) throw std::logic_error("CMS: exit molecule has no j atom");
  uint32_t words[hostisa::kMaxAtoms];
  const unsigned n = hostisa::encodeMolecule(d.molecule, words);
  if (n == 0) throw std::logic_error("CMS: patched exit molecule does not encode");
  core_.writeMemory(molecule, {reinterpret_cast<const uint8_t*>(words), n * 4u});
}

void TranslationCache::chain(uint32_t fromId, uint32_t exitIndex, uint32_t toId) {
  TranslationRecord& from = records_[fromId];
  TranslationRecord& to = records_[toId];
  patchJump(from.exits[exitIndex].hostJump, to.hostBase);
  from.exits[exitIndex].chainedTo = static_cast<int32_t>(toId);
  to.incoming.emplace_back(fromId, exitIndex);
  ++stats_.chains;
}

void TranslationCache::unchain(uint32_t fromId, uint32_t exitIndex) {
  TranslationRecord& from = records_[fromId];
  ExitSite& e = from.exits[exitIndex];
  patchJump(e.hostJump, layout_.fwDispatch);
  e.chainedTo = -1;
  ++stats_.unchains;
  if (from.valid) waiting_.emplace(linearKey(from.context, e.targetEip), std::make_pair(fromId, exitIndex));
}

void TranslationCache::protect(const TranslationRecord& r, bool on) {
  if (r.selfChecking) {  // no T-bits: it checks its bytes itself
    if (on) selfChecking_.push_back(r.id);
    else std::erase(selfChecking_, r.id);
    return;
  }
  if (r.physEnd <= r.physStart) return;
  const uint64_t g0 = r.physStart >> granuleShift_, g1 = (uint64_t{r.physEnd} - 1) >> granuleShift_;
  for (uint64_t g = g0; g <= g1 && g < granuleUse_.size(); ++g) {
    const uint32_t addr = static_cast<uint32_t>(g << granuleShift_);
    if (on) {
      if (granuleUse_[g]++ == 0) core_.setTranslated(addr, 1, true);
      byGranule_[g].push_back(r.id);
    } else if (granuleUse_[g] > 0) {
      if (--granuleUse_[g] == 0) {
        core_.setTranslated(addr, 1, false);
        byGranule_.erase(g);
      } else if (auto it = byGranule_.find(g); it != byGranule_.end()) {
        std::erase(it->second, r.id);
      }
    }
  }
}

uint32_t TranslationCache::install(TranslationRecord r, std::span<const uint8_t> code) {
  r.id = static_cast<uint32_t>(records_.size());
  r.valid = true;
  r.hostSize = static_cast<uint32_t>(code.size());
  if (r.hostBase != next_) throw std::logic_error("CMS: translation not placed at the allocation point");
  core_.writeMemory(r.hostBase, code);
  next_ = (r.hostBase + r.hostSize + 7u) & ~7u;
  stats_.tcacheBytes = bytesUsed();
  // A new translation for the same key replaces the old one (retranslation).
  if (auto it = byKey_.find({r.context, r.eip, r.physEntry}); it != byKey_.end()) invalidate(it->second);
  if (const uint32_t bit = (r.hostBase - tcacheBase()) >> 3; bit / 64 < entryBits_.size())
    entryBits_[bit / 64] |= uint64_t{1} << (bit % 64);
  records_.push_back(std::move(r));
  TranslationRecord& rec = records_.back();
  const uint32_t id = rec.id;
  byKey_[{rec.context, rec.eip, rec.physEntry}] = id;
  protect(rec, true);
  enterLookup(id);
  // Outgoing chains to final targets; the others wait for their target.
  for (uint32_t i = 0; i < records_[id].exits.size(); ++i) {
    const ExitSite& e = records_[id].exits[i];
    if (e.kind != translator::ExitKind::Direct) continue;
    const uint64_t key = linearKey(records_[id].context, e.targetEip);
    auto t = finalByLinear_.find(key);
    if (layout_.chaining && t != finalByLinear_.end() && records_[t->second].valid) chain(id, i, t->second);
    else waiting_.emplace(key, std::make_pair(id, i));
  }
  return id;
}

void TranslationCache::makeFinal(uint32_t id) {
  if (id >= records_.size() || !records_[id].valid) return;
  TranslationRecord& r = records_[id];
  r.final = true;
  const uint64_t key = linearKey(r.context, r.eip);
  finalByLinear_[key] = id;
  if (r.lookupSlot >= 0) writeLookup(static_cast<uint32_t>(r.lookupSlot), r.eip, r.context, r.hostBase, layout_.hotThreshold + 1);
  if (!layout_.chaining) return;
  auto [first, last] = waiting_.equal_range(key);
  std::vector<std::pair<uint32_t, uint32_t>> sites;
  for (auto it = first; it != last; ++it) sites.push_back(it->second);
  waiting_.erase(first, last);
  for (auto [fromId, exitIndex] : sites) {
    const TranslationRecord& from = records_[fromId];
    if (from.valid && from.exits[exitIndex].chainedTo < 0) chain(fromId, exitIndex, id);
  }
}

const TranslationRecord* TranslationCache::find(uint32_t context, uint32_t eip, uint32_t physEntry) const {
  auto it = byKey_.find({context, eip, physEntry});
  return it == byKey_.end() ? nullptr : &records_[it->second];
}

const TranslationRecord* TranslationCache::record(uint32_t id) const {
  return id < records_.size() ? &records_[id] : nullptr;
}

const TranslationRecord* TranslationCache::containing(uint32_t hostPc) const {
  auto it = std::upper_bound(records_.begin(), records_.end(), hostPc,
                             [](uint32_t pc, const TranslationRecord& r) { return pc < r.hostBase; });
  if (it == records_.begin()) return nullptr;
  --it;
  return hostPc < it->hostBase + it->hostSize ? &*it : nullptr;
}

void TranslationCache::enterLookup(uint32_t id) {
  TranslationRecord& r = records_[id];
  const uint32_t slot = lookupIndex(r.eip);
  if (slotOwner_[slot] >= 0 && static_cast<uint32_t>(slotOwner_[slot]) != id)
    records_[static_cast<uint32_t>(slotOwner_[slot])].lookupSlot = -1;
  if (slotOwner_[slot] < 0) ownedSlots_.push_back(slot);
  slotOwner_[slot] = static_cast<int32_t>(id);
  r.lookupSlot = static_cast<int32_t>(slot);
  writeLookup(slot, r.eip, r.context, r.hostBase, r.final ? layout_.hotThreshold + 1 : 0);
  if (r.final && finalByLinear_.find(linearKey(r.context, r.eip)) == finalByLinear_.end()) makeFinal(id);
}

void TranslationCache::invalidate(uint32_t id) {
  TranslationRecord& r = records_[id];
  if (!r.valid) return;
  r.valid = false;
  ++stats_.invalidations;
  byKey_.erase({r.context, r.eip, r.physEntry});
  const uint64_t key = linearKey(r.context, r.eip);
  if (auto it = finalByLinear_.find(key); it != finalByLinear_.end() && it->second == id) finalByLinear_.erase(it);
  if (r.lookupSlot >= 0) {
    writeLookup(static_cast<uint32_t>(r.lookupSlot), 0, 0, 0, 0);
    slotOwner_[static_cast<uint32_t>(r.lookupSlot)] = -1;
    r.lookupSlot = -1;
  }
  const auto incoming = std::move(r.incoming);
  records_[id].incoming.clear();
  for (auto [fromId, exitIndex] : incoming)
    if (records_[fromId].exits[exitIndex].chainedTo == static_cast<int32_t>(id)) unchain(fromId, exitIndex);
  // Its own chained exits: drop the back-links in their targets.
  for (uint32_t i = 0; i < records_[id].exits.size(); ++i) {
    ExitSite& e = records_[id].exits[i];
    if (e.chainedTo < 0) continue;
    auto& in = records_[static_cast<uint32_t>(e.chainedTo)].incoming;
    in.erase(std::remove(in.begin(), in.end(), std::make_pair(id, i)), in.end());
    e.chainedTo = -1;
  }
  protect(records_[id], false);
}

std::vector<uint32_t> TranslationCache::covering(uint64_t base, uint64_t size) const {
  std::vector<uint32_t> ids;
  if (size == 0) return ids;
  const uint64_t g0 = base >> granuleShift_, g1 = (base + size - 1) >> granuleShift_;
  for (uint64_t g = g0; g <= g1 && g < granuleUse_.size(); ++g) {
    if (granuleUse_[g] == 0) continue;
    auto it = byGranule_.find(g);
    if (it == byGranule_.end()) continue;
    for (uint32_t id : it->second) {
      const TranslationRecord& r = records_[id];
      if (r.valid && r.physStart < base + size && r.physEnd > base && std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(id);
    }
  }
  return ids;
}

unsigned TranslationCache::invalidatePhysical(uint64_t base, uint64_t size) {
  std::vector<uint32_t> ids = covering(base, size);
  for (uint32_t id : selfChecking_)  // also those (a memory-map change may hide their bytes)
    if (records_[id].physStart < base + size && records_[id].physEnd > base) ids.push_back(id);
  for (uint32_t id : ids) invalidate(id);
  return static_cast<unsigned>(ids.size());
}

void TranslationCache::dropLinearViews() {
  // The owned slots in ascending order (as a scan of the whole table would visit them).
  std::sort(ownedSlots_.begin(), ownedSlots_.end());
  ownedSlots_.erase(std::unique(ownedSlots_.begin(), ownedSlots_.end()), ownedSlots_.end());
  for (const uint32_t slot : ownedSlots_) {
    if (slotOwner_[slot] < 0) continue;
    records_[static_cast<uint32_t>(slotOwner_[slot])].lookupSlot = -1;
    slotOwner_[slot] = -1;
    writeLookup(slot, 0, 0, 0, 0);
  }
  ownedSlots_.clear();
  // Every chain goes; every direct exit of a valid translation waits for its target to be
  // found again (a final translation re-registers when it re-enters the lookup table).
  finalByLinear_.clear();
  waiting_.clear();
  for (TranslationRecord& r : records_) {
    if (!r.valid) continue;
    r.incoming.clear();
    for (uint32_t i = 0; i < r.exits.size(); ++i) {
      ExitSite& e = r.exits[i];
      if (e.chainedTo >= 0) {
        patchJump(e.hostJump, layout_.fwDispatch);
        e.chainedTo = -1;
        ++stats_.unchains;
      }
      if (e.kind == translator::ExitKind::Direct) waiting_.emplace(linearKey(r.context, e.targetEip), std::make_pair(r.id, i));
    }
  }
}

void TranslationCache::flush() {
  for (TranslationRecord& r : records_) {
    if (r.valid) protect(r, false);
    if (const uint32_t bit = (r.hostBase - tcacheBase()) >> 3; bit / 64 < entryBits_.size())
      entryBits_[bit / 64] &= ~(uint64_t{1} << (bit % 64));
  }
  records_.clear();
  byGranule_.clear();
  selfChecking_.clear();
  byKey_.clear();
  finalByLinear_.clear();
  waiting_.clear();
  for (uint32_t slot = 0; slot < slotOwner_.size(); ++slot) {
    if (slotOwner_[slot] >= 0) writeLookup(slot, 0, 0, 0, 0);
    slotOwner_[slot] = -1;
  }
  ownedSlots_.clear();
  next_ = tcacheBase();
  stats_.tcacheBytes = 0;
  ++stats_.cacheFlushes;
}

uint32_t TranslationCache::validCount() const {
  return static_cast<uint32_t>(std::count_if(records_.begin(), records_.end(), [](const TranslationRecord& r) { return r.valid; }));
}

}  // namespace codemorph::cms::runtime
