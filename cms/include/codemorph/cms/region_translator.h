// The CMS's port to the translator (translator/include/codemorph/translator/translate.h).
// The runtime calls the translator only through this interface, so tests can run the
// core-driven runtime with hand-written translations that obey the same ABI
// (docs/cms-runtime.md 4), and a build without translator/ still runs --no-translate.
#pragma once
#include <codemorph/translator/translate.h>

namespace codemorph::cms {

class RegionTranslator {
 public:
  virtual ~RegionTranslator() = default;
  virtual translator::TranslateResult translate(const translator::TranslateRequest& request) = 0;
  virtual bool isTranslatable(const x86::DecodedInsn& insn, const translator::RegionMode& mode) = 0;
};

// translator::translate()/isTranslatable(); nullptr when this build has no translator
// library (the target codemorph_translator did not exist at configure time).
RegionTranslator* defaultRegionTranslator();

}  // namespace codemorph::cms
