#include "proxy/commands/script_memory.h"

#include <algorithm>
#include <cctype>

namespace slotgate {
namespace {

std::string LowerCase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

ScriptMemory::ScriptMemory(ScriptMemoryLimits limits) : limits_(limits) {}

void ScriptMemory::Remember(std::string_view sha, std::string_view body) {
  if (sha.empty() || body.size() > limits_.max_bytes) return;
  std::string key = LowerCase(sha);
  std::lock_guard lock(mutex_);
  if (const auto known = by_sha_.find(key); known != by_sha_.end()) {
    entries_.splice(entries_.end(), entries_, known->second);
    return;  // the same name means the same body
  }
  entries_.push_back({key, std::string(body)});
  by_sha_.emplace(std::move(key), std::prev(entries_.end()));
  bytes_ += body.size();
  DropOldestBeyondLimits();
}

std::string ScriptMemory::RememberBody(std::string_view body) {
  std::string sha = Sha1Hex(body);
  Remember(sha, body);
  return sha;
}

std::optional<std::string> ScriptMemory::Find(std::string_view sha) {
  const std::string key = LowerCase(sha);
  std::lock_guard lock(mutex_);
  const auto known = by_sha_.find(key);
  if (known == by_sha_.end()) return std::nullopt;
  entries_.splice(entries_.end(), entries_, known->second);
  return known->second->body;
}

void ScriptMemory::Clear() {
  std::lock_guard lock(mutex_);
  by_sha_.clear();
  entries_.clear();
  bytes_ = 0;
}

size_t ScriptMemory::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

size_t ScriptMemory::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

void ScriptMemory::DropOldestBeyondLimits() {
  while (!entries_.empty() &&
         (entries_.size() > limits_.max_scripts || bytes_ > limits_.max_bytes)) {
    bytes_ -= entries_.front().body.size();
    by_sha_.erase(entries_.front().sha);
    entries_.pop_front();
  }
}

}  // namespace slotgate
