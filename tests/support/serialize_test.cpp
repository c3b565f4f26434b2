#include "codemorph/support/serialize.h"

#include <gtest/gtest.h>

namespace codemorph::support {
namespace {

TEST(Serialize, RoundTripsScalarsBytesAndStrings) {
  OutArchive out;
  out.beginSection("core", 2);
  out.put<uint32_t>(0xDEADBEEF);
  out.put<int64_t>(-5);
  const std::vector<uint8_t> blob = {1, 2, 3, 4, 5};
  out.putBytes(blob);
  out.putString("hello");
  InArchive in(out.bytes());
  EXPECT_EQ(in.beginSection("core", 2), 2u);
  EXPECT_EQ(in.get<uint32_t>(), 0xDEADBEEFu);
  EXPECT_EQ(in.get<int64_t>(), -5);
  std::vector<uint8_t> back(5);
  in.getBytes(back);
  EXPECT_EQ(back, blob);
  EXPECT_EQ(in.getString(), "hello");
  EXPECT_TRUE(in.atEnd());
}

TEST(Serialize, WrongTagNewerVersionAndTruncationAreErrors) {
  OutArchive out;
  out.beginSection("core", 3);
  out.put<uint64_t>(7);
  {
    InArchive in(out.bytes());
    EXPECT_THROW(in.beginSection("mem", 3), CheckpointError);
  }
  {
    InArchive in(out.bytes());
    EXPECT_THROW(in.beginSection("core", 2), CheckpointError);
  }
  std::vector<uint8_t> cut(out.bytes().begin(), out.bytes().end() - 3);
  InArchive in(cut);
  in.beginSection("core", 3);
  EXPECT_THROW(in.get<uint64_t>(), CheckpointError);
}

TEST(Serialize, CorruptLengthsDoNotAllocateOrCrash) {
  OutArchive out;
  out.put<uint64_t>(~uint64_t{0});  // absurd string length
  InArchive in(out.bytes());
  EXPECT_THROW(in.getString(), CheckpointError);
  InArchive in2(out.bytes());
  std::vector<uint8_t> four(4);
  EXPECT_THROW(in2.getBytes(four), CheckpointError);
}

}  // namespace
}  // namespace codemorph::support
