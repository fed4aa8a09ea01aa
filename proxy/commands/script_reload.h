// Keeps EVALSHA working across failovers. Redis 7 does not replicate its script cache, so a
// promoted replica or a new master answers NOSCRIPT for scripts clients loaded earlier. The
// dispatcher shows this file every reply to a script command; it learns bodies from successful
// EVAL, EVAL_RO and SCRIPT LOAD, forgets them on SCRIPT FLUSH, and answers a NOSCRIPT for a
// remembered script by loading it on that node and sending the request again.
#pragma once

#include <functional>
#include <string_view>

#include "common/resp/reply_scanner.h"
#include "config/endpoint.h"
#include "proxy/commands/script_memory.h"

namespace slotgate {

class PendingRequest;
class RequestDispatcher;

// Called for a reply to a command flagged `noscript` (EVAL*, FCALL*, SCRIPT ...); cheap for
// every other command. Outcomes:
//  - reply to EVAL/EVAL_RO that is not an error: the body is remembered; false.
//  - reply to SCRIPT LOAD that is not an error: the body is remembered under the reply's SHA-1;
//    false.
//  - reply to SCRIPT FLUSH that is not an error: every script is forgotten; false.
//  - `-NOSCRIPT` to EVALSHA/EVALSHA_RO whose script is remembered, the first time for this
//    request: `SCRIPT LOAD <body>` goes to `node()` (the node that answered), and once it has
//    answered the request is dispatched again to the same node; true (the reply is taken over).
//  - anything else: false, and the dispatcher goes on with the reply as it came (a NOSCRIPT
//    for an unknown script reaches the client as Redis said it).
bool OnScriptReply(ScriptMemory& memory, RequestDispatcher* dispatcher, PendingRequest* request,
                   std::string_view reply, const ScannedReply& info,
                   const std::function<const Endpoint*()>& node);

}  // namespace slotgate
