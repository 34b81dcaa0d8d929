#include "audit/encoding.hpp"

#include <charconv>
#include <cstring>

namespace pitboss::audit::detail {
namespace {

constexpr std::size_t kFieldCount = 8;
// Per field at most 20 digits of length (or 20 characters of a signed 64-bit number), ':', ','.
constexpr std::size_t kMaxOverhead = 22;

// Writes "<length>:<bytes>," at `out`; runs once per field of every verified entry, so it
// copies straight into a buffer sized in advance.
char* put_netstring(char* out, std::string_view bytes) {
    out = std::to_chars(out, out + 20, bytes.size()).ptr;
    *out++ = ':';
    if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
    out += bytes.size();
    *out++ = ',';
    return out;
}

char* put_netstring(char* out, std::int64_t number) {
    char digits[20];
    const char* end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    return put_netstring(out, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

}  // namespace

std::string_view encode(const EntryView& entry, std::vector<char>& scratch) {
    const std::size_t bound = entry.actor.size() + entry.action.size() + entry.target.size() +
                              entry.before_json.size() + entry.after_json.size() +
                              entry.prev_hash.size() + 2 * 20 + kFieldCount * kMaxOverhead;
    if (scratch.size() < bound) scratch.resize(bound * 2);
    char* const start = scratch.data();
    char* out = start;
    out = put_netstring(out, entry.seq);
    out = put_netstring(out, entry.at_ms);
    out = put_netstring(out, entry.actor);
    out = put_netstring(out, entry.action);
    out = put_netstring(out, entry.target);
    out = put_netstring(out, entry.before_json);
    out = put_netstring(out, entry.after_json);
    out = put_netstring(out, entry.prev_hash);
    return {start, static_cast<std::size_t>(out - start)};
}

}  // namespace pitboss::audit::detail
