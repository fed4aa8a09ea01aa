// Combines the replies of the parts of one client request (split by slot, or fanned out to
// every master) into the single reply a Redis server would have given. Pure; replies are RESP
// bytes as the backends sent them, and merged replies reuse their element bytes unchanged.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace slotgate {

// The elements of an array reply ("*N\r\n" then N replies), as views into `reply`.
// False when `reply` is not an array (an error, for instance).
bool SplitArrayReply(std::string_view reply, std::vector<std::string_view>* elements);

// The first error reply among `replies`, or empty.
std::string_view FirstError(std::span<const std::string> replies);

// MGET: part p's i-th value belongs at position key_orders[p][i] of the merged array.
std::string MergeByKeyOrder(std::span<const std::string> replies,
                            std::span<const std::vector<uint32_t>> key_orders, size_t keys);
// DEL, UNLINK, EXISTS, TOUCH, DBSIZE: the sum of integer replies.
std::string SumIntegers(std::span<const std::string> replies);
// KEYS: every array's elements, in part order.
std::string ConcatArrays(std::span<const std::string> replies);
// SCRIPT EXISTS: 1 at a position only where every part says 1.
std::string AndOfIntegerArrays(std::span<const std::string> replies);
// MSET, FLUSHALL, SCRIPT LOAD ...: the first reply when no part failed (they all agree).
std::string FirstUnlessError(std::span<const std::string> replies);
// RANDOMKEY: the first reply that is not a null.
std::string FirstNonNull(std::span<const std::string> replies);

}  // namespace slotgate
