#include "config/yaml_values.h"

#include <algorithm>
#include <unordered_map>

#include "config/number_text.h"
#include "config/quote.h"
#include "config/suggest.h"

namespace slotgate {
namespace {

std::string RangeText(uint64_t min, uint64_t max, bool bytes) {
  return FormatCount(min, bytes) + "-" + FormatCount(max, bytes);
}

std::string NumberExpectation(uint64_t min, uint64_t max, bool bytes) {
  if (bytes) return "a size in bytes " + RangeText(min, max, true) + " (e.g. 512mb)";
  return "an integer " + RangeText(min, max, false);
}

// A number echoed in an "out of range" error: as written when short, else quoted and cut.
std::string EchoNumber(std::string_view text) {
  return text.size() <= 24 ? std::string(text) : Quote(text);
}

}  // namespace

Position PositionOf(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return Position{mark.line + 1, mark.column + 1};
}

Position ValuePosition(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull()) return PositionOf(key.Mark());
  return PositionOf(value.Mark());
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return Quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

bool ForEachEntry(const YAML::Node& map, std::optional<Section> section, Diagnostics* diagnostics,
                  const EntryFn& fn) {
  std::vector<std::string_view> known;
  if (section) known = KeysOf(*section);
  std::unordered_map<std::string, int> first_line;
  bool all_taken = true;
  for (const auto& entry : map) {
    // Copies: a Node is a handle, and `entry` is a temporary that yaml-cpp's iterator made.
    const YAML::Node key_node = entry.first;
    const YAML::Node value = entry.second;
    const Position at = PositionOf(key_node.Mark());
    if (!key_node.IsScalar()) {
      diagnostics->Add(at, "a key must be a plain name, got " + Describe(key_node));
      all_taken = false;
      continue;
    }
    const std::string& key = key_node.Scalar();
    const auto [seen, inserted] = first_line.emplace(key, at.line);
    if (!inserted) {
      diagnostics->Add(at, "duplicate key " + Quote(key) + " (first at line " +
                               std::to_string(seen->second) + ")");
      all_taken = false;
      continue;
    }
    if (section && std::find(known.begin(), known.end(), key) == known.end()) {
      diagnostics->Add(at, UnknownKeyReason(key, *section));
      all_taken = false;
      continue;
    }
    fn(key, key_node, value);
  }
  return all_taken;
}

bool ExpectMap(const YAML::Node& key, const YAML::Node& value, std::string_view name,
               Diagnostics* diagnostics) {
  if (value.IsMap()) return true;
  if (value.IsNull()) return false;
  diagnostics->Add(ValuePosition(key, value),
                   std::string(name) + " must be a map, got " + Describe(value));
  return false;
}

bool ExpectList(const YAML::Node& key, const YAML::Node& value, std::string_view name,
                std::string_view of_what, Diagnostics* diagnostics) {
  if (value.IsSequence()) return true;
  if (value.IsNull()) return false;
  diagnostics->Add(ValuePosition(key, value), std::string(name) + " must be a list of " +
                                                  std::string(of_what) + ", got " +
                                                  Describe(value));
  return false;
}

std::optional<uint64_t> ReadNumber(const YAML::Node& key, const YAML::Node& value,
                                   std::string_view name, uint64_t min, uint64_t max, bool bytes,
                                   Diagnostics* diagnostics) {
  const Position at = ValuePosition(key, value);
  const std::string expected = NumberExpectation(min, max, bytes);
  if (!value.IsScalar()) {
    diagnostics->Add(at, std::string(name) + " must be " + expected + ", got " + Describe(value));
    return std::nullopt;
  }
  const std::string& text = value.Scalar();
  uint64_t number = 0;
  const NumberStatus status = ParseCount(text, bytes, &number);
  if (status == NumberStatus::kNotANumber) {
    diagnostics->Add(at, std::string(name) + " must be " + expected + ", got " + Quote(text));
    return std::nullopt;
  }
  if (status != NumberStatus::kOk || number < min || number > max) {
    diagnostics->Add(at, std::string(name) + " " + EchoNumber(text) + " out of range " +
                             RangeText(min, max, bytes));
    return std::nullopt;
  }
  return number;
}

std::optional<size_t> ReadChoice(const YAML::Node& key, const YAML::Node& value,
                                 std::string_view name,
                                 const std::vector<std::string_view>& choices,
                                 Diagnostics* diagnostics) {
  const Position at = ValuePosition(key, value);
  if (!value.IsScalar()) {
    diagnostics->Add(at,
                     std::string(name) + " must be " + OneOf(choices) + ", got " + Describe(value));
    return std::nullopt;
  }
  const std::string& text = value.Scalar();
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == text) return i;
  }
  std::string reason = std::string(name) + " " + Quote(text) + " is not " + OneOf(choices);
  if (const auto match = ClosestMatch(text, choices)) {
    reason += " (did you mean " + Quote(*match) + "?)";
  }
  diagnostics->Add(at, std::move(reason));
  return std::nullopt;
}

std::optional<Endpoint> ReadEndpoint(const YAML::Node& node, Position at, std::string_view what,
                                     Diagnostics* diagnostics) {
  if (!node.IsScalar()) {
    diagnostics->Add(at, std::string(what) + " must be host:port, got " + Describe(node));
    return std::nullopt;
  }
  std::string why;
  std::optional<Endpoint> endpoint = ParseEndpoint(node.Scalar(), &why);
  if (!endpoint) diagnostics->Add(at, std::string(what) + " " + Quote(node.Scalar()) + " " + why);
  return endpoint;
}

}  // namespace slotgate
