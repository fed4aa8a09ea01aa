// Appends RESP to an output string: the replies slotgate makes itself (errors, merged MGET
// arrays, local answers to PING or SELECT) and the commands it sends on its own (ASKING,
// READONLY, CLUSTER SHARDS). Append-only; nothing allocates beyond the string's own growth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace slotgate {

// RESP2. Simple strings and errors are one line: a CR or LF in `text` would end it early and
// desynchronise the client, so each is written as a space (as Redis does for error texts).
void WriteSimpleString(std::string& out, std::string_view text);
void WriteError(std::string& out, std::string_view text);  // text as in errors.h, without '-'
void WriteInteger(std::string& out, int64_t value);
void WriteBulkString(std::string& out, std::string_view bytes);
void WriteNullBulk(std::string& out);                      // $-1
void WriteArrayHeader(std::string& out, size_t elements);  // then write the elements
void WriteNullArray(std::string& out);                     // *-1

// RESP3.
void WriteNull(std::string& out);  // _
// Shortest text that reads back as the same double; "inf", "-inf" and "nan" as RESP3 spells them.
void WriteDouble(std::string& out, double value);
void WriteBoolean(std::string& out, bool value);
void WriteBigNumber(std::string& out, std::string_view digits);
// `format` is the three-character type, e.g. "txt" or "mkd"; other sizes are padded or cut.
void WriteVerbatim(std::string& out, std::string_view format, std::string_view text);
void WriteMapHeader(std::string& out, size_t pairs);
void WriteSetHeader(std::string& out, size_t elements);
void WritePushHeader(std::string& out, size_t elements);
void WriteAttributeHeader(std::string& out, size_t pairs);
void WriteBlobError(std::string& out, std::string_view text);

// A request as a multibulk array of bulk strings, the form every Redis accepts.
void WriteCommand(std::string& out, std::span<const std::string_view> args);
void WriteCommand(std::string& out, std::initializer_list<std::string_view> args);

}  // namespace slotgate
