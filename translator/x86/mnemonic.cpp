// Mnemonic names, generated from the X-macro list in mnemonic.h.
#include <codemorph/x86/mnemonic.h>

namespace codemorph::x86 {
namespace {
constexpr std::string_view kNames[] = {
#define CODEMORPH_X86_NAME(name) #name,
    CODEMORPH_X86_MNEMONICS(CODEMORPH_X86_NAME)
#undef CODEMORPH_X86_NAME
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<unsigned>(Mnemonic::Count));
}  // namespace

std::string_view mnemonicName(Mnemonic m) {
  const auto i = static_cast<unsigned>(m);
  return i < static_cast<unsigned>(Mnemonic::Count) ? kNames[i] : std::string_view("?");
}

}  // namespace codemorph::x86
