# Turns INPUT into OUTPUT, a C++ file defining slotgate::kRecordedCommandReply as its bytes.
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUTPUT}
  "// Generated from ${INPUT}; do not edit.\n"
  "#include <string_view>\n"
  "namespace slotgate {\n"
  "namespace { constexpr char kBytes[] = {${bytes}}; }\n"
  "extern const std::string_view kRecordedCommandReply(kBytes, sizeof(kBytes));\n"
  "}  // namespace slotgate\n")
