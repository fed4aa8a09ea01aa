// The public entry points: text or file in, a Config or every error out. This is the config
// boundary of the house style: yaml-cpp's exceptions stop here and become file:line errors.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/loader.h"
#include "config/source_map.h"
#include "config/validate.h"
#include "config/yaml_precheck.h"
#include "config/yaml_values.h"

namespace slotgate {

LoadResult LoadConfigString(std::string_view yaml, std::string_view file_name) {
  Diagnostics diagnostics(file_name);
  Config config;
  try {
    const std::string text(yaml);  // YAML::Load(const char*) would stop at a NUL byte
    if (PrecheckYaml(text, &diagnostics)) {
      const YAML::Node root = YAML::Load(text);
      SourceMap source;
      ReadConfig(root, &config, &source, &diagnostics);
      if (diagnostics.empty() || root.IsMap()) ValidateConfig(config, source, &diagnostics);
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own text for this is "bad file".
    diagnostics.Add(PositionOf(e.mark), "invalid YAML: nested too deeply");
  } catch (const YAML::Exception& e) {
    diagnostics.Add(PositionOf(e.mark), "invalid YAML: " + e.msg);
  }
  LoadResult result;
  if (diagnostics.empty()) {
    result.config = std::move(config);
  } else {
    result.errors = diagnostics.Take();
  }
  return result;
}

LoadResult LoadConfigFile(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  std::string text;
  if (file) {
    char buffer[64 * 1024];
    size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) text.append(buffer, got);
  }
  if (!file || std::ferror(file.get())) {
    const int error = errno;
    LoadResult result;
    result.errors.push_back(ConfigError{
        path, 0, 0, std::string("cannot read the config file: ") + std::strerror(error)});
    return result;
  }
  return LoadConfigString(text, path);
}

}  // namespace slotgate
