// Merges for the server-introspection commands whose replies are more than a list or a count:
// SLOWLOG GET (entries of every master in one log, newest first) and INFO's keyspace section
// (the masters' key counts added up as one server's). Pure, like reply_merge.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace slotgate {

// SLOWLOG GET: every part's entries, newest first by their timestamp (ties keep part order, so
// one node's own order stays), at most `limit`. Entry ids are each node's own and may repeat.
std::string NewestSlowlogEntries(std::span<const std::string> replies, size_t limit);

// INFO: `local_sections` (slotgate's own sections as INFO text, each line ending in CRLF, or
// empty), then `# Keyspace` with db0 summed over the parts' `INFO keyspace` replies:
// keys and expires (and any other count a newer server adds) summed, avg_ttl the average of
// the parts' avg_ttl weighted by their expires, as Redis itself averages over keys with a TTL.
// As in Redis, the db0 line is left out when there are no keys. The reply is a bulk string, or
// a verbatim string when the parts answered with one (RESP3). A master that answered an error
// (BUSY with a script, unreachable) is left out of the sums and counted in a last line,
// `slotgate_masters_not_counted:N`: INFO must answer most when something is wrong.
std::string MergeInfoKeyspace(std::string_view local_sections,
                              std::span<const std::string> replies);

}  // namespace slotgate
