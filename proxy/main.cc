// slotgate's command line: run the proxy, check a config file, print the version or the help.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "common/commands/command_doc.h"
#include "common/commands/command_table.h"
#include "config/config.h"
#include "proxy/proxy_server.h"

namespace slotgate {
namespace {

constexpr std::string_view kHelp =
    "slotgate: makes a Redis Cluster look like one ordinary Redis server.\n"
    "\n"
    "Usage:\n"
    "  slotgate --config FILE         run the proxy as FILE says (SIGTERM or SIGINT stop it)\n"
    "  slotgate --check-config FILE   validate FILE; prints 'ok' or every error as\n"
    "                                 FILE:LINE:COLUMN: reason, exits 0 or 1\n"
    "  slotgate --command-table       print the README's table of what slotgate does with\n"
    "                                 each Redis command (generated from its policy table)\n"
    "  slotgate --version             print the version\n"
    "  slotgate --help                print this help\n"
    "\n"
    "An annotated example configuration is deploy/slotgate.yaml.\n";

int CheckConfig(const std::string& path) {
  const LoadResult result = LoadConfigFile(path);
  if (result.config) {
    std::puts("ok");
    return 0;
  }
  for (const ConfigError& error : result.errors) {
    std::fprintf(stderr, "%s\n", error.ToString().c_str());
  }
  return 1;
}

int Run(const std::string& path) {
  const LoadResult result = LoadConfigFile(path);
  if (!result.config) {
    for (const ConfigError& error : result.errors) {
      std::fprintf(stderr, "%s\n", error.ToString().c_str());
    }
    return 1;
  }
  // Logs go to stderr, a line at a time, so a supervisor (systemd, a container runtime) sees
  // each line as it happens.
  spdlog::set_default_logger(spdlog::stderr_color_mt("slotgate"));
  spdlog::set_level(spdlog::level::from_str(result.config->log_level));
  spdlog::flush_on(spdlog::level::trace);
  return RunProxy(*result.config);
}

int Usage(const char* problem) {
  std::fprintf(stderr, "slotgate: %s\n\n%.*s", problem, static_cast<int>(kHelp.size()),
               kHelp.data());
  return 2;
}

}  // namespace
}  // namespace slotgate

int main(int argc, char** argv) {
  using namespace slotgate;
  if (argc < 2) return Usage("no command given");
  const std::string_view flag = argv[1];
  if (flag == "--help" || flag == "-h") {
    std::fwrite(kHelp.data(), 1, kHelp.size(), stdout);
    return 0;
  }
  if (flag == "--version" || flag == "-v") {
    std::printf("slotgate %s\n", SLOTGATE_VERSION);
    return 0;
  }
  if (flag == "--command-table") {
    if (argc != 2) return Usage("--command-table takes no argument");
    const std::string table = CommandTableMarkdown(*CommandTable::Recorded());
    std::fwrite(table.data(), 1, table.size(), stdout);
    return 0;
  }
  if (flag == "--config") {
    if (argc != 3) return Usage("--config takes one FILE");
    return Run(argv[2]);
  }
  if (flag == "--check-config") {
    if (argc != 3) return Usage("--check-config takes one FILE");
    return CheckConfig(argv[2]);
  }
  return Usage("unknown option");
}
