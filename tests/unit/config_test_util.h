// Shared by the config tests: load YAML text and get either the errors as
// "file:line:column: reason" lines or the config (failing the test on any error).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace slotgate {

inline std::vector<std::string> ErrorsOf(std::string_view yaml) {
  const LoadResult result = LoadConfigString(yaml, "t.yaml");
  EXPECT_FALSE(result.config.has_value());
  std::vector<std::string> errors;
  for (const ConfigError& error : result.errors) errors.push_back(error.ToString());
  return errors;
}

inline Config LoadOk(std::string_view yaml) {
  const LoadResult result = LoadConfigString(yaml, "t.yaml");
  std::vector<std::string> errors;
  for (const ConfigError& error : result.errors) errors.push_back(error.ToString());
  EXPECT_THAT(errors, ::testing::IsEmpty());
  return result.config.value_or(Config{});
}

}  // namespace slotgate
