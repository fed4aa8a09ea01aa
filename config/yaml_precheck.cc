#include "config/yaml_precheck.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "config/yaml_values.h"

namespace slotgate {
namespace {

class AliasChecker : public YAML::EventHandler {
 public:
  explicit AliasChecker(Diagnostics* diagnostics) : diagnostics_(diagnostics) {}

  bool ok() const { return ok_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (std::find(open_.begin(), open_.end(), anchor) != open_.end()) {
      diagnostics_->Add(PositionOf(mark), "alias inside the node it refers to (a cycle)");
      ok_ = false;
    }
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back(anchor);
  }
  void OnSequenceEnd() override { open_.pop_back(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_.push_back(anchor);
  }
  void OnMapEnd() override { open_.pop_back(); }

 private:
  Diagnostics* diagnostics_;
  std::vector<YAML::anchor_t> open_;  // anchors of the collections being read; 0 = none
  bool ok_ = true;
};

// Remembers where the document starts, to point at an unwanted second one.
class DocumentStart : public YAML::EventHandler {
 public:
  Position start() const { return start_; }

  void OnDocumentStart(const YAML::Mark& mark) override { start_ = PositionOf(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  Position start_;
};

}  // namespace

bool PrecheckYaml(const std::string& yaml, Diagnostics* diagnostics) {
  std::istringstream in(yaml);
  YAML::Parser parser(in);
  AliasChecker checker(diagnostics);
  if (!parser.HandleNextDocument(checker)) return true;  // no document: the loader says so
  if (!checker.ok()) return false;
  DocumentStart second;
  if (parser.HandleNextDocument(second)) {
    diagnostics->Add(second.start(), "a second YAML document; a config file holds only one");
    return false;
  }
  return true;
}

}  // namespace slotgate
