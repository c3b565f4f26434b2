// translate(): front end -> passes -> lowering -> scheduling -> register allocation ->
// emission (docs/translator.md). Gear 2 runs flag liveness only and schedules in program
// order (as soon as possible); gear 3 runs every pass and the list scheduler.
#include "codemorph/translator/translate.h"

#include <cstdio>
#include <cstdlib>

#include "backend/emitter.h"
#include "frontend/frontend.h"
#include "passes/passes.h"

namespace codemorph::translator {

namespace {
#ifdef NDEBUG
constexpr bool kDebugBuild = false;
#else
constexpr bool kDebugBuild = true;
#endif

std::string unsupported(const TranslateOptions& o) {
  if (o.maxAtoms != 2 && o.maxAtoms != 4 && o.maxAtoms != 8) return "maxAtoms must be 2, 4 or 8";
  if (!o.x86Flags) return "hostisa.x86_flags off is not supported by the translator";
  if (o.aliasRegisters > 8) return "at most 8 alias registers";
  return "";
}

// Runs one pass and, when asked, the verifier after it.
template <typename Pass>
std::string runPass(const char* name, ir::Function& fn, bool verify, Pass&& pass) {
  pass(fn);
  if (!verify) return "";
  const std::string e = passes::verify(fn);
  return e.empty() ? "" : std::string("IR invalid after ") + name + ": " + e;
}

TranslateResult translateOnce(const TranslateRequest& request) {
  TranslateResult result;
  const TranslateOptions& o = request.options;
  const bool verify = o.verifyIr || kDebugBuild;
  ir::Function fn;
  const frontend::FrontendResult fe = frontend::translateRegion(request, fn);
  if (!fe.ok) {
    result.error = fe.error;
    return result;
  }
  std::string err;
  if (verify && !(err = passes::verify(fn)).empty()) {
    result.error = "IR invalid after the front end: " + err;
    return result;
  }
  // CODEMORPH_TRANSLATOR_DUMP=1 prints the IR before and after the passes (debugging aid).
  const bool dump = std::getenv("CODEMORPH_TRANSLATOR_DUMP") != nullptr;
  if (dump) std::fprintf(stderr, "-- IR (front end)\n%s", ir::toString(fn).c_str());
  const bool optimize = o.gear == Gear::Optimized;
  auto step = [&](const char* name, auto&& pass) {
    if (err.empty()) err = runPass(name, fn, verify, pass);
  };
  if (optimize) {
    step("const_copy_prop", [](ir::Function& f) { passes::constCopyProp(f); });
    step("cse", [](ir::Function& f) { passes::cse(f); });
    step("redundant_load_elim", [](ir::Function& f) { passes::redundantLoadElim(f); });
    step("const_copy_prop", [](ir::Function& f) { passes::constCopyProp(f); });
  }
  step("flag_liveness", [](ir::Function& f) { passes::flagLiveness(f); });
  if (optimize) {
    step("const_copy_prop", [](ir::Function& f) { passes::constCopyProp(f); });
    step("dce", [](ir::Function& f) { passes::dce(f); });
    step("copy_coalescing", [](ir::Function& f) { passes::copyCoalescing(f); });
    if (o.aliasHoisting && !o.ioSafe)
      step("load_hoisting", [&](ir::Function& f) { passes::loadHoisting(f, o.aliasRegisters); });
  }
  if (!o.partialRegs)
    step("partial_register_expansion", [](ir::Function& f) { passes::expandPartialRegisters(f); });
  if (optimize && o.exitRenaming) step("exit_renaming", [](ir::Function& f) { passes::exitRenaming(f); });
  if (!err.empty()) {
    result.error = err;
    return result;
  }
  if (dump) std::fprintf(stderr, "-- IR (passes done)\n%s", ir::toString(fn).c_str());
  backend::LoweredRegion region = backend::lower(fn);
  const backend::Schedule sched =
      backend::schedule(region, o.maxAtoms, optimize ? backend::ScheduleMode::List : backend::ScheduleMode::InOrder);
  if (!(err = backend::allocateRegisters(region, sched)).empty()) {
    result.error = err;
    return result;
  }
  backend::EmitResult emitted = backend::emit(region, sched, fn, request);
  if (!emitted.ok) {
    result.error = emitted.error;
    return result;
  }
  result.translation = std::move(emitted.translation);
  Translation& t = result.translation;
  t.x86Instructions = fn.x86Instructions;
  // Stores on the longest path (every store of the region is on the main path), and the
  // loads the schedule actually moved above an earlier store.
  for (size_t j = 0; j < region.atoms.size(); ++j) {
    const backend::MAtom& a = region.atoms[j];
    if (a.store) ++t.stores;
    if (!a.protectedLoad) continue;
    for (size_t s = 0; s < j; ++s)
      if (region.atoms[s].store && sched.moleculeOf[s] > sched.moleculeOf[j]) {
        ++t.hoistedLoads;
        break;
      }
  }
  result.ok = true;
  return result;
}
}  // namespace

TranslateResult translate(const TranslateRequest& request) {
  TranslateResult result;
  if (request.insns.empty()) {
    result.error = "empty region";
    return result;
  }
  if (const std::string e = unsupported(request.options); !e.empty()) {
    result.error = e;
    return result;
  }
  // A region too large for the host registers (or for the budget branch's reach) is
  // retried with its first half (the CMS sees the shorter region in x86Instructions and
  // the exits).
  TranslateRequest r = request;
  for (;;) {
    result = translateOnce(r);
    const bool tooBig = result.error.rfind("out of host registers", 0) == 0 ||
                        result.error.find("branch out of range") != std::string::npos;
    if (result.ok || r.insns.size() <= 1 || !tooBig) break;
    r.insns.resize(r.insns.size() / 2);
  }
  // Renaming guest registers across side exits costs a copy per write (and its latency
  // where the write was on the critical path anyway): gear 3 keeps it only when it makes
  // the translation shorter (as many instructions, fewer molecules).
  if (result.ok && request.options.gear == Gear::Optimized && request.options.exitRenaming) {
    TranslateRequest plain = request;
    plain.options.exitRenaming = false;
    TranslateResult other = translate(plain);
    const Translation& a = result.translation;
    if (other.ok && (other.translation.x86Instructions > a.x86Instructions ||
                     (other.translation.x86Instructions == a.x86Instructions && other.translation.molecules <= a.molecules)))
      result = std::move(other);
  }
  return result;
}

bool isTranslatable(const x86::DecodedInsn& insn, const RegionMode& mode) {
  return frontend::handlerFor(insn, mode) != nullptr;
}

}  // namespace codemorph::translator
