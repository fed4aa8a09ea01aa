#include "proxy/commands/script_memory.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace slotgate {
namespace {

TEST(Sha1Hex, NamesScriptsAsRedisDoes) {
  // Redis: SCRIPT LOAD "return 1" answers this name.
  EXPECT_EQ(Sha1Hex("return 1"), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(Sha1Hex, HashesEveryByteIncludingNul) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(Sha1Hex(with_nul), Sha1Hex("a"));
  EXPECT_EQ(Sha1Hex(with_nul).size(), 40u);
}

TEST(ScriptMemory, FindsWhatItRemembered) {
  ScriptMemory memory;
  EXPECT_EQ(memory.RememberBody("return 1"), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(memory.Find("e0e1f9fabfc9d4800c877a703b823ac0578ff8db"), "return 1");
  EXPECT_EQ(memory.Find("0000000000000000000000000000000000000000"), std::nullopt);
  EXPECT_EQ(memory.size(), 1u);
  EXPECT_EQ(memory.bytes(), 8u);
}

TEST(ScriptMemory, FindsByUpperCaseShaAsEvalshaDoes) {
  ScriptMemory memory;
  memory.Remember("E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "return 1");
  EXPECT_EQ(memory.Find("e0e1f9fabfc9d4800c877a703b823ac0578ff8db"), "return 1");
  EXPECT_EQ(memory.Find("E0E1F9FABFC9D4800C877A703B823AC0578FF8DB"), "return 1");
}

TEST(ScriptMemory, RememberingTwiceKeepsOneCopy) {
  ScriptMemory memory;
  memory.RememberBody("return 1");
  memory.RememberBody("return 1");
  memory.Remember(Sha1Hex("return 1"), "return 1");
  EXPECT_EQ(memory.size(), 1u);
  EXPECT_EQ(memory.bytes(), 8u);
}

TEST(ScriptMemory, ClearForgetsEverything) {
  ScriptMemory memory;
  const std::string a = memory.RememberBody("return 1");
  const std::string b = memory.RememberBody("return 2");
  memory.Clear();
  EXPECT_EQ(memory.Find(a), std::nullopt);
  EXPECT_EQ(memory.Find(b), std::nullopt);
  EXPECT_EQ(memory.size(), 0u);
  EXPECT_EQ(memory.bytes(), 0u);
  memory.RememberBody("return 1");  // usable again after a flush
  EXPECT_EQ(memory.Find(a), "return 1");
}

TEST(ScriptMemory, DropsTheOldestBeyondTheScriptCount) {
  ScriptMemory memory({.max_bytes = 1 << 20, .max_scripts = 2});
  const std::string a = memory.RememberBody("return 'a'");
  const std::string b = memory.RememberBody("return 'b'");
  const std::string c = memory.RememberBody("return 'c'");
  EXPECT_EQ(memory.Find(a), std::nullopt);
  EXPECT_EQ(memory.Find(b), "return 'b'");
  EXPECT_EQ(memory.Find(c), "return 'c'");
  EXPECT_EQ(memory.size(), 2u);
}

TEST(ScriptMemory, DropsTheOldestBeyondTheByteLimit) {
  ScriptMemory memory({.max_bytes = 25, .max_scripts = 100});
  const std::string a = memory.RememberBody("return 'a'");  // 10 bytes
  const std::string b = memory.RememberBody("return 'b'");  // 20
  const std::string c = memory.RememberBody("return 'c'");  // 30 > 25: a goes
  EXPECT_EQ(memory.Find(a), std::nullopt);
  EXPECT_EQ(memory.Find(b), "return 'b'");
  EXPECT_EQ(memory.Find(c), "return 'c'");
  EXPECT_EQ(memory.bytes(), 20u);
}

TEST(ScriptMemory, UseKeepsAScriptFromBeingDropped) {
  ScriptMemory memory({.max_bytes = 1 << 20, .max_scripts = 2});
  const std::string a = memory.RememberBody("return 'a'");
  const std::string b = memory.RememberBody("return 'b'");
  ASSERT_EQ(memory.Find(a), "return 'a'");  // a is now the newest
  const std::string c = memory.RememberBody("return 'c'");
  EXPECT_EQ(memory.Find(a), "return 'a'");
  EXPECT_EQ(memory.Find(b), std::nullopt);
  EXPECT_EQ(memory.Find(c), "return 'c'");
}

TEST(ScriptMemory, ABodyLargerThanTheWholeLimitIsNotKept) {
  ScriptMemory memory({.max_bytes = 8, .max_scripts = 100});
  const std::string small = memory.RememberBody("return 1");
  const std::string large = memory.RememberBody("return 'too long'");
  EXPECT_EQ(memory.Find(large), std::nullopt);
  EXPECT_EQ(memory.Find(small), "return 1");  // not pushed out by what was refused
}

TEST(ScriptMemory, WorkersShareItSafely) {
  ScriptMemory memory({.max_bytes = 1 << 20, .max_scripts = 50});
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&memory, w] {
      for (int i = 0; i < 500; ++i) {
        const std::string sha = memory.RememberBody("return " + std::to_string(w * 1000 + i));
        memory.Find(sha);
        if (i % 100 == 99) memory.Clear();
      }
    });
  }
  for (std::thread& t : workers) t.join();
  EXPECT_LE(memory.size(), 50u);
  const std::string sha = memory.RememberBody("return 'after'");
  EXPECT_EQ(memory.Find(sha), "return 'after'");
}

}  // namespace
}  // namespace slotgate
