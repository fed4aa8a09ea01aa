// The README's command table is the generated one: a policy change that is not written into
// README.md fails here, with the command that brings the README up to date.
#include "common/commands/command_doc.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "common/commands/command_table.h"

namespace slotgate {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The README text from the begin marker through the end marker's line, or empty.
std::string Section(const std::string& readme) {
  const size_t begin = readme.find(kCommandTableBegin);
  const size_t end = readme.find(kCommandTableEnd);
  if (begin == readme.npos || end == readme.npos || end < begin) return {};
  return readme.substr(begin, end + kCommandTableEnd.size() + 1 - begin);
}

TEST(CommandDoc, ReadmeHoldsTheGeneratedCommandTable) {
  const std::string readme = ReadFile(SLOTGATE_README);
  ASSERT_FALSE(readme.empty()) << "cannot read " << SLOTGATE_README;
  EXPECT_EQ(Section(readme), CommandTableMarkdown(*CommandTable::Recorded()))
      << "README.md's command table differs from the code's policy table. Regenerate it with\n"
      << "  deploy/update-command-table.sh build/proxy/slotgate\n"
      << "(or paste the output of `slotgate --command-table` between the markers).";
}

TEST(CommandDoc, TheTableSitsUnderItsHeadingAtTheEnd) {
  const std::string readme = ReadFile(SLOTGATE_README);
  const size_t heading = readme.find("\n## The command table\n");
  const size_t begin = readme.find(kCommandTableBegin);
  ASSERT_NE(heading, std::string::npos);
  ASSERT_NE(begin, std::string::npos);
  EXPECT_LT(heading, begin);
  EXPECT_EQ(readme.find("\n## ", heading + 1), std::string::npos) << "a section follows the table";
}

TEST(CommandDoc, EveryCommandHasOneRow) {
  const std::string table = CommandTableMarkdown(*CommandTable::Recorded());
  size_t rows = 0;
  for (size_t at = table.find("\n| `"); at != std::string::npos; at = table.find("\n| `", at + 1)) {
    ++rows;
  }
  size_t expected = 0;  // a container (CONFIG, OBJECT ...) is listed by its subcommands only
  for (const auto& [name, cmd] : CommandTable::Recorded()->commands()) {
    expected += cmd.subcommands.empty() ? 1 : cmd.subcommands.size();
  }
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(rows, 351u);
}

TEST(CommandDoc, RowsSayWhatSlotgateDoes) {
  const std::string table = CommandTableMarkdown(*CommandTable::Recorded());
  EXPECT_NE(table.find("| `GET` | route by slot |  |\n"), std::string::npos);
  EXPECT_NE(table.find("| `MGET` | split by slot | values in argument order |\n"),
            std::string::npos);
  EXPECT_NE(table.find("| `BLPOP` | dedicated connection | COMMAND flag `blocking` |\n"),
            std::string::npos);
  EXPECT_NE(table.find("| `CLUSTER NODES` | refused | "
                       "`-ERR This instance has cluster support disabled` |\n"),
            std::string::npos);
  EXPECT_NE(table.find("| `CONFIG SET` | every node | the reply when every node succeeds, else "
                       "the first error; refused when `admin_commands: false` |\n"),
            std::string::npos);
  EXPECT_EQ(table.find("| `CONFIG` |"), std::string::npos);
}

}  // namespace
}  // namespace slotgate
