#include "config/loader.h"

#include <type_traits>
#include <variant>

#include "config/schema.h"
#include "config/yaml_values.h"

namespace slotgate {
namespace {

// Reads a section of plain numbers (timeouts, limits) through its field table.
template <typename Struct, size_t N>
void ReadNumbers(const YAML::Node& section, Section which, const NumberField<Struct> (&fields)[N],
                 Struct* out, SourceMap* source, Diagnostics* diagnostics) {
  const std::string prefix = std::string(PathOf(which)) + ".";
  ForEachEntry(section, which, diagnostics,
               [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
                 for (const NumberField<Struct>& field : fields) {
                   if (field.key != key) continue;
                   const std::optional<uint64_t> number =
                       ReadNumber(key_node, value, prefix + key, field.min, field.max, field.bytes,
                                  diagnostics);
                   if (!number) return;
                   // RangesFit (schema.h) guarantees the number fits the member.
                   std::visit(
                       [&](auto member) {
                         using T = std::remove_reference_t<decltype(out->*member)>;
                         out->*member = static_cast<T>(*number);
                       },
                       field.member);
                 }
                 const Position at = PositionOf(key_node.Mark());
                 if (key == "max_bulk_length") source->max_bulk_length = at;
                 if (key == "client_query_buffer_bytes") source->client_query_buffer_bytes = at;
               });
}

void ReadTopEntry(const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                  Config* config, SourceMap* source, Diagnostics* diagnostics) {
  if (key == "listen") {
    source->listen = ValuePosition(key_node, value);
    if (auto listen = ReadEndpoint(value, source->listen, "listen address", diagnostics)) {
      config->listen = *listen;
    }
  } else if (key == "workers") {
    if (auto workers = ReadNumber(key_node, value, key, 0, kMaxWorkers, false, diagnostics)) {
      config->workers = static_cast<unsigned>(*workers);
    }
  } else if (key == "metrics") {
    if (value.IsNull()) return;  // written but empty: metrics off, as when absent
    source->metrics = ValuePosition(key_node, value);
    config->metrics = ReadEndpoint(value, source->metrics, "metrics address", diagnostics);
  } else if (key == "log_level") {
    const std::vector<std::string_view> levels(std::begin(kLogLevels), std::end(kLogLevels));
    if (auto level = ReadChoice(key_node, value, key, levels, diagnostics)) {
      config->log_level = std::string(levels[*level]);
    }
  } else if (key == "admin_commands") {
    const std::vector<std::string_view> names(std::begin(kBoolNames), std::end(kBoolNames));
    if (auto choice = ReadChoice(key_node, value, key, names, diagnostics)) {
      config->admin_commands = *choice == 1;
    }
  } else if (key == "protected_mode") {
    const std::vector<std::string_view> names(std::begin(kBoolNames), std::end(kBoolNames));
    if (auto choice = ReadChoice(key_node, value, key, names, diagnostics)) {
      config->protected_mode = *choice == 1;
    }
  } else if (key == "backend") {
    ReadBackend(key_node, value, config, source, diagnostics);
  } else if (key == "auth") {
    ReadAuth(key_node, value, config, diagnostics);
  } else if (key == "timeouts") {
    if (ExpectMap(key_node, value, key, diagnostics)) {
      ReadNumbers(value, Section::kTimeouts, kTimeoutFields, &config->timeouts, source,
                  diagnostics);
    }
  } else if (key == "limits") {
    if (ExpectMap(key_node, value, key, diagnostics)) {
      ReadNumbers(value, Section::kLimits, kLimitFields, &config->limits, source, diagnostics);
    }
  }
}

}  // namespace

void ReadConfig(const YAML::Node& root, Config* config, SourceMap* source,
                Diagnostics* diagnostics) {
  if (root.IsNull()) {
    diagnostics->Add({1, 1}, "the config is empty (deploy/slotgate.yaml is a commented example)");
    return;
  }
  if (!root.IsMap()) {
    diagnostics->Add(PositionOf(root.Mark()),
                     "the config must be a map of settings, got " + Describe(root));
    return;
  }
  ForEachEntry(root, Section::kTop, diagnostics,
               [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
                 ReadTopEntry(key, key_node, value, config, source, diagnostics);
               });
}

}  // namespace slotgate
