// defaultRegionTranslator() over translator/ (built when codemorph_translator exists).
#include <codemorph/cms/region_translator.h>

namespace codemorph::cms {
namespace {
class TranslatorLibrary final : public RegionTranslator {
 public:
  translator::TranslateResult translate(const translator::TranslateRequest& request) override {
    return translator::translate(request);
  }
  bool isTranslatable(const x86::DecodedInsn& insn, const translator::RegionMode& mode) override {
    return translator::isTranslatable(insn, mode);
  }
};
}  // namespace

RegionTranslator* defaultRegionTranslator() {
  static TranslatorLibrary library;
  return &library;
}

}  // namespace codemorph::cms
