// The small text pieces of the config: slot ranges, numbers with size suffixes, quoting of user
// text in errors, and the typo suggestions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "config/number_text.h"
#include "config/quote.h"
#include "config/slot_range.h"
#include "config/suggest.h"

namespace slotgate {
namespace {

std::string SlotRangeError(std::string_view text) {
  std::string reason;
  EXPECT_FALSE(ParseSlotRange(text, &reason).has_value()) << text;
  return reason;
}

TEST(SlotRange, ParsesRangesAndSingleSlots) {
  std::string reason;
  EXPECT_EQ(ParseSlotRange("0-5460", &reason), (SlotRange{0, 5460}));
  EXPECT_EQ(ParseSlotRange("5000", &reason), (SlotRange{5000, 5000}));
  EXPECT_EQ(ParseSlotRange("16383", &reason), (SlotRange{16383, 16383}));
  EXPECT_EQ(ParseSlotRange("0-16383", &reason), (SlotRange{0, 16383}));
  EXPECT_EQ(reason, "");
}

TEST(SlotRange, RefusesSlotsPastTheLast) {
  EXPECT_EQ(SlotRangeError("16384"), "slot 16384 out of range 0-16383");
  EXPECT_EQ(SlotRangeError("0-16384"), "slot 16384 out of range 0-16383");
  EXPECT_EQ(SlotRangeError("99999999999999999999999"),
            "slot '99999999999999999999999' out of range 0-16383");
}

TEST(SlotRange, RefusesReversedRange) {
  EXPECT_EQ(SlotRangeError("5460-0"), "slot range 5460-0 is reversed (first > last)");
}

TEST(SlotRange, RefusesWhatIsNotARange) {
  for (std::string_view text : {"", "-", "-5", "5-", "1-2-3", "a-b", "0x10", "1 - 2", "+1"}) {
    EXPECT_EQ(SlotRangeError(text),
              "slot range " + Quote(text) + " is not a slot or a range like 0-5460");
  }
}

TEST(SlotRange, FormatsLikeItIsWritten) {
  EXPECT_EQ(FormatSlotRange({0, 5460}), "0-5460");
  EXPECT_EQ(FormatSlotRange({5000, 5000}), "5000");
}

TEST(NumberText, ParsesPlainCounts) {
  uint64_t value = 0;
  EXPECT_EQ(ParseCount("0", false, &value), NumberStatus::kOk);
  EXPECT_EQ(value, 0u);
  EXPECT_EQ(ParseCount("18446744073709551615", false, &value), NumberStatus::kOk);
  EXPECT_EQ(value, UINT64_MAX);
  EXPECT_EQ(ParseCount("18446744073709551616", false, &value), NumberStatus::kTooBig);
  EXPECT_EQ(ParseCount("-3", false, &value), NumberStatus::kNegative);
  for (std::string_view text : {"", "1.5", "1e3", "0x10", "+1", " 1", "1kb", "1_000"}) {
    EXPECT_EQ(ParseCount(text, false, &value), NumberStatus::kNotANumber) << text;
  }
}

TEST(NumberText, ByteSizesTakeRedisSuffixes) {
  uint64_t value = 0;
  const std::pair<std::string_view, uint64_t> cases[] = {
      {"1k", 1000},          {"1kb", 1024},       {"2m", 2'000'000},       {"2mb", 2u << 20},
      {"3g", 3'000'000'000}, {"3GB", 3ull << 30}, {"512Mb", 512ull << 20}, {"7", 7}};
  for (const auto& [text, expected] : cases) {
    ASSERT_EQ(ParseCount(text, true, &value), NumberStatus::kOk) << text;
    EXPECT_EQ(value, expected) << text;
  }
  EXPECT_EQ(ParseCount("kb", true, &value), NumberStatus::kNotANumber);
  EXPECT_EQ(ParseCount("1tb", true, &value), NumberStatus::kNotANumber);
  EXPECT_EQ(ParseCount("18446744073709551615kb", true, &value), NumberStatus::kTooBig);
}

TEST(NumberText, FormatsWithTheLargestExactSuffix) {
  EXPECT_EQ(FormatCount(536870912, true), "512mb");
  EXPECT_EQ(FormatCount(1ull << 40, true), "1024gb");
  EXPECT_EQ(FormatCount(65536, true), "64kb");
  EXPECT_EQ(FormatCount(1000, true), "1000");
  EXPECT_EQ(FormatCount(0, true), "0");
  EXPECT_EQ(FormatCount(65536, false), "65536");
}

TEST(Quote, EscapesAndCuts) {
  EXPECT_EQ(Quote("listen"), "'listen'");
  EXPECT_EQ(Quote(std::string("a\0\n\\", 4)), "'a\\x00\\x0a\\x5c'");
  EXPECT_EQ(Quote(std::string(100, 'x')), "'" + std::string(80, 'x') + "...'");
}

TEST(Suggest, FindsTyposButNotStrangers) {
  const std::vector<std::string_view> keys = {"listen", "workers", "metrics", "to", "from"};
  EXPECT_EQ(ClosestMatch("lisen", keys), "listen");
  EXPECT_EQ(ClosestMatch("Listen", keys), "listen");
  EXPECT_EQ(ClosestMatch("worker", keys), "workers");
  EXPECT_EQ(ClosestMatch("fro", keys), "from");
  EXPECT_EQ(ClosestMatch("foo", keys), std::nullopt);
  EXPECT_EQ(ClosestMatch("", keys), std::nullopt);
  EXPECT_EQ(ClosestMatch(std::string(1000, 'l'), keys), std::nullopt);
}

TEST(Suggest, UnknownKeyReasons) {
  EXPECT_EQ(UnknownKeyReason("lisen", Section::kTop),
            "unknown key 'lisen' (did you mean 'listen'?)");
  EXPECT_EQ(UnknownKeyReason("seeds", Section::kTop),
            "unknown key 'seeds' (it belongs under 'backend')");
  EXPECT_EQ(UnknownKeyReason("connect_ms", Section::kLimits),
            "unknown key 'connect_ms' (it belongs under 'timeouts')");
  EXPECT_EQ(UnknownKeyReason("workers", Section::kBackend),
            "unknown key 'workers' (it belongs at the top level)");
  EXPECT_EQ(UnknownKeyReason("zzz", Section::kMigration),
            "unknown key 'zzz' (expected one of: slot, from, to)");
}

}  // namespace
}  // namespace slotgate
