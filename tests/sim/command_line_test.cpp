#include "codemorph/sim/command_line.h"

#include <gtest/gtest.h>

namespace codemorph::sim {
namespace {

CommandLine make() {
  CommandLine cl;
  cl.option("set", "override", true);
  cl.option("bios", "firmware image");
  cl.flag("quiet", "quiet");
  return cl;
}

TEST(CommandLine, LongShortAndInlineForms) {
  CommandLine cl = make();
  cl.parse({"--set", "a=1", "-set=b=2", "-bios", "bios.bin", "--quiet", "prog.s"});
  EXPECT_EQ(cl.values("set"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(cl.value("bios"), "bios.bin");
  EXPECT_TRUE(cl.has("quiet"));
  EXPECT_EQ(cl.positional(), std::vector<std::string>{"prog.s"});
}

TEST(CommandLine, ErrorsAreUsageErrors) {
  EXPECT_THROW(make().parse({"--nope"}), UsageError);
  EXPECT_THROW(make().parse({"--bios"}), UsageError);
  EXPECT_THROW(make().parse({"--bios", "a", "--bios", "b"}), UsageError);
  EXPECT_THROW(make().parse({"--quiet=1"}), UsageError);
  CommandLine cl;
  cl.option("base", "address");
  cl.parse({"--base", "0x10zz"});
  EXPECT_THROW(cl.number("base"), UsageError);
}

TEST(CommandLine, NumbersAndDashDash) {
  EXPECT_EQ(parseNumber("0x1000"), 0x1000u);
  EXPECT_EQ(parseNumber("42"), 42u);
  EXPECT_FALSE(parseNumber("-1").has_value());
  EXPECT_FALSE(parseNumber("99999999999999999999999").has_value());
  EXPECT_FALSE(parseNumber("").has_value());
  CommandLine cl = make();
  cl.parse({"--", "--quiet"});
  EXPECT_FALSE(cl.has("quiet"));
  EXPECT_EQ(cl.positional(), std::vector<std::string>{"--quiet"});
}

}  // namespace
}  // namespace codemorph::sim
