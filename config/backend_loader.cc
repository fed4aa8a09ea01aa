// The `backend` section: mode, seeds, the node -> slot ranges table and declared migrations.
#include <string>

#include "common/slot.h"
#include "config/loader.h"
#include "config/password.h"
#include "config/quote.h"
#include "config/schema.h"
#include "config/slot_range.h"
#include "config/yaml_values.h"

namespace slotgate {
namespace {

void ReadSeeds(const YAML::Node& key, const YAML::Node& value, Config* config, SourceMap* source,
               Diagnostics* diagnostics) {
  if (!ExpectList(key, value, "backend.seeds", "host:port addresses", diagnostics)) {
    source->seeds_broken = !value.IsNull();
    return;
  }
  for (const YAML::Node& item : value) {
    const Position at = PositionOf(item.Mark());
    if (auto seed = ReadEndpoint(item, at, "seed address", diagnostics)) {
      config->seeds.push_back(*seed);
      source->seed_items.push_back(at);
    } else {
      source->seeds_broken = true;
    }
  }
}

// One `node: [ranges]` entry of `backend.slots`; false when anything in it was refused.
bool ReadNodeSlots(const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                   Config* config, SourceMap* source, Diagnostics* diagnostics) {
  const Position node_at = PositionOf(key_node.Mark());
  const std::optional<Endpoint> node = ReadEndpoint(key_node, node_at, "node address", diagnostics);
  bool ok = node.has_value();
  NodeSlots slots;
  NodeSlotsSource slots_source{node_at, {}};
  const std::string name = "the slots of " + Quote(key);
  if (!ExpectList(key_node, value, name, "slot ranges like [0-5460]", diagnostics)) {
    ok = ok && value.IsNull();
  } else {
    for (const YAML::Node& item : value) {
      const Position at = PositionOf(item.Mark());
      if (!item.IsScalar()) {
        diagnostics->Add(at, "a slot range must look like 0-5460 or 5000, got " + Describe(item));
        ok = false;
        continue;
      }
      std::string reason;
      const std::optional<SlotRange> range = ParseSlotRange(item.Scalar(), &reason);
      if (!range) {
        diagnostics->Add(at, std::move(reason));
        ok = false;
        continue;
      }
      slots.ranges.push_back(*range);
      slots_source.ranges.push_back(at);
    }
  }
  if (node) {
    slots.node = *node;
    config->slots.push_back(std::move(slots));
    source->slot_items.push_back(std::move(slots_source));
  }
  return ok;
}

void ReadSlots(const YAML::Node& key, const YAML::Node& value, Config* config, SourceMap* source,
               Diagnostics* diagnostics) {
  if (!ExpectMap(key, value, "backend.slots", diagnostics)) {
    source->slots_broken = !value.IsNull();
    return;
  }
  bool ok = ForEachEntry(
      value, std::nullopt, diagnostics,
      [&](const std::string& node, const YAML::Node& node_key, const YAML::Node& ranges) {
        if (!ReadNodeSlots(node, node_key, ranges, config, source, diagnostics)) {
          source->slots_broken = true;
        }
      });
  if (!ok) source->slots_broken = true;
}

// One `{slot, from, to}` item, kept only when all three are there and valid.
void ReadMigration(const YAML::Node& item, Config* config, SourceMap* source,
                   Diagnostics* diagnostics) {
  MigrationSource where;
  where.item = PositionOf(item.Mark());
  if (!item.IsMap()) {
    diagnostics->Add(where.item,
                     "a migration must be a map {slot, from, to}, got " + Describe(item));
    return;
  }
  Migration migration;
  bool has_slot = false, has_from = false, has_to = false;
  bool ok = true;
  const bool keys_ok = ForEachEntry(
      item, Section::kMigration, diagnostics,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
        const Position at = ValuePosition(key_node, value);
        if (key == "slot") {
          has_slot = true;
          where.slot = at;
          auto slot = ReadNumber(key_node, value, "slot", 0, kSlotCount - 1, false, diagnostics);
          if (slot) migration.slot = static_cast<uint16_t>(*slot);
          ok = ok && slot.has_value();
        } else {
          const bool from = key == "from";
          (from ? has_from : has_to) = true;
          (from ? where.from : where.to) = at;
          auto node = ReadEndpoint(value, at, from ? "from address" : "to address", diagnostics);
          if (node) (from ? migration.from : migration.to) = *node;
          ok = ok && node.has_value();
        }
      });
  ok = ok && keys_ok;
  for (const auto& [present, key] :
       {std::pair{has_slot, "slot"}, std::pair{has_from, "from"}, std::pair{has_to, "to"}}) {
    if (!present) diagnostics->Add(where.item, std::string("migration is missing '") + key + "'");
    ok = ok && present;
  }
  if (!ok) return;
  config->migrations.push_back(migration);
  source->migration_items.push_back(where);
}

void ReadMigrations(const YAML::Node& key, const YAML::Node& value, Config* config,
                    SourceMap* source, Diagnostics* diagnostics) {
  if (!ExpectList(key, value, "backend.migrations", "{slot, from, to} maps", diagnostics)) return;
  for (const YAML::Node& item : value) ReadMigration(item, config, source, diagnostics);
}

// `username`, `password_file` or `password_env` of `where` ("backend", or a node's entry).
void ReadCredential(const std::string& where, const std::string& name, const YAML::Node& name_node,
                    const YAML::Node& item, BackendCredentials* out, Diagnostics* diagnostics) {
  const Position at = ValuePosition(name_node, item);
  if (!item.IsScalar() || item.Scalar().empty()) {
    diagnostics->Add(at, where + "." + name + " must be a non-empty text, got " + Describe(item));
    return;
  }
  std::string why;
  std::optional<std::string> text;
  if (name == "username") {
    text = item.Scalar();
  } else if (name == "password_file") {
    text = ReadPasswordFile(item.Scalar(), &why);
  } else {
    text = ReadPasswordEnv(item.Scalar(), where + ".password_env", &why);
  }
  if (!text) {
    diagnostics->Add(at, why);
    return;
  }
  (name == "username" ? out->username : out->password) = std::move(*text);
}

// One password source at most, and one whenever a username is given (or `required`).
void CheckCredentials(const std::string& where, Position at, int password_sources,
                      const BackendCredentials& credentials, bool required,
                      Diagnostics* diagnostics) {
  if (password_sources > 1) {
    diagnostics->Add(at, where + " has both password_file and password_env: keep one");
  } else if (password_sources == 0 && required) {
    diagnostics->Add(at, where + " needs a password (password_file or password_env)");
  } else if (password_sources == 0 && !credentials.username.empty()) {
    diagnostics->Add(at, where + ".username needs a password (" + where + ".password_file or " +
                             where + ".password_env)");
  }
}

// backend.node_credentials: address -> {username, password_file | password_env}.
void ReadNodeCredentials(const YAML::Node& key, const YAML::Node& value, Config* config,
                         Diagnostics* diagnostics) {
  if (!ExpectMap(key, value, "backend.node_credentials", diagnostics)) return;
  ForEachEntry(
      value, std::nullopt, diagnostics,
      [&](const std::string& address, const YAML::Node& node_key, const YAML::Node& entry) {
        const Position at = PositionOf(node_key.Mark());
        const std::optional<Endpoint> node =
            ReadEndpoint(node_key, at, "node address", diagnostics);
        const std::string where = "the credentials of " + Quote(address);
        if (!ExpectMap(node_key, entry, where, diagnostics)) return;
        NodeCredentials credentials;
        int password_sources = 0;
        ForEachEntry(
            entry, Section::kNodeCredentials, diagnostics,
            [&](const std::string& name, const YAML::Node& name_node, const YAML::Node& item) {
              ReadCredential(where, name, name_node, item, &credentials.credentials, diagnostics);
              if (name != "username") ++password_sources;
            });
        CheckCredentials(where, at, password_sources, credentials.credentials,
                         /*required=*/true, diagnostics);
        if (!node) return;
        credentials.node = *node;
        config->node_credentials.push_back(std::move(credentials));
      });
}

}  // namespace

void ReadBackend(const YAML::Node& key, const YAML::Node& value, Config* config, SourceMap* source,
                 Diagnostics* diagnostics) {
  source->backend = PositionOf(key.Mark());
  if (!ExpectMap(key, value, "backend", diagnostics)) {
    // Nothing of the section could be read; checks needing it would only repeat this error.
    if (!value.IsNull()) source->mode_broken = source->seeds_broken = source->slots_broken = true;
    return;
  }
  int password_sources = 0;
  ForEachEntry(
      value, Section::kBackend, diagnostics,
      [&](const std::string& name, const YAML::Node& name_node, const YAML::Node& item) {
        const Position at = PositionOf(name_node.Mark());
        if (name == "mode") {
          source->mode = at;
          const std::vector<std::string_view> modes(std::begin(kModeNames), std::end(kModeNames));
          const auto mode = ReadChoice(name_node, item, "backend.mode", modes, diagnostics);
          if (mode) config->mode = static_cast<BackendMode>(*mode);
          source->mode_broken = !mode.has_value();
        } else if (name == "read_from") {
          source->read_from = at;
          const std::vector<std::string_view> choices(std::begin(kReadFromNames),
                                                      std::end(kReadFromNames));
          const auto read_from =
              ReadChoice(name_node, item, "backend.read_from", choices, diagnostics);
          if (read_from) config->read_from = static_cast<ReadFrom>(*read_from);
        } else if (name == "seeds") {
          source->seeds = at;
          ReadSeeds(name_node, item, config, source, diagnostics);
        } else if (name == "slots") {
          source->slots = at;
          ReadSlots(name_node, item, config, source, diagnostics);
        } else if (name == "migrations") {
          source->migrations = at;
          ReadMigrations(name_node, item, config, source, diagnostics);
        } else if (name == "node_credentials") {
          ReadNodeCredentials(name_node, item, config, diagnostics);
        } else {
          ReadCredential("backend", name, name_node, item, &config->backend_credentials,
                         diagnostics);
          if (name != "username") ++password_sources;
        }
      });
  CheckCredentials("backend", PositionOf(key.Mark()), password_sources, config->backend_credentials,
                   /*required=*/false, diagnostics);
}

}  // namespace slotgate
