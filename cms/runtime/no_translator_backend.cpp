// defaultRegionTranslator() in a build without translator/'s library: there is none, so
// a Runtime with translation needs a RegionTranslator passed in (tests) or --no-translate.
#include <codemorph/cms/region_translator.h>

namespace codemorph::cms {
RegionTranslator* defaultRegionTranslator() { return nullptr; }
}  // namespace codemorph::cms
