// The export format: one entry per JSON line, and the independent re-verification of a stream.

#include <algorithm>
#include <istream>
#include <limits>
#include <string>

#include "audit/chain_verifier.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::audit {
namespace {

// Deeper documents are refused before parsing: serialising them again would recurse that deep.
constexpr std::size_t kMaxNesting = 256;
// RFC 3339 has four-digit years: 0001-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z.
constexpr std::int64_t kFirstMillis = -62'135'596'800'000;
constexpr std::int64_t kLastMillis = 253'402'300'799'999;
constexpr auto kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

const Json& member(const Json& j, const char* field) {
    const auto found = j.find(field);
    if (found == j.end()) throw ValidationError(field, "is missing");
    return *found;
}

std::int64_t integer_member(const Json& j, const char* field) {
    const Json& value = member(j, field);
    if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<std::int64_t>();
    if (value.is_number_unsigned() && value.get<std::uint64_t>() <= kInt64Max) {
        return static_cast<std::int64_t>(value.get<std::uint64_t>());
    }
    throw ValidationError(field, "must be a 64-bit integer");
}

std::string string_member(const Json& j, const char* field) {
    const Json& value = member(j, field);
    if (!value.is_string()) throw ValidationError(field, "must be a string");
    return value.get<std::string>();
}

std::string hash_member(const Json& j, const char* field) {
    std::string value = string_member(j, field);
    const bool hex =
        value.size() == 64 && value.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) throw ValidationError(field, "must be 64 lower-case hex digits");
    return value;
}

/// Bracket depth of a JSON text, counting only brackets outside strings.
std::size_t nesting_depth(std::string_view text) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

/// The seq of a malformed line when it can still be read, for the report.
std::optional<std::int64_t> readable_seq(const Json& j) {
    if (!j.is_object()) return std::nullopt;
    const auto seq = j.find("seq");
    if (seq == j.end() || !seq->is_number_integer()) return std::nullopt;
    if (seq->is_number_unsigned()) {
        const auto value = seq->get<std::uint64_t>();
        if (value > kInt64Max) return std::nullopt;
        return static_cast<std::int64_t>(value);
    }
    return seq->get<std::int64_t>();
}

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

/// Checks one line; false when the walk must stop (the problem is then in `chain`).
bool verify_line(detail::ChainVerifier& chain, const std::string& line, std::int64_t line_no) {
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (nesting_depth(line) > kMaxNesting) {
        chain.fail(std::nullopt, where + "JSON nested too deeply");
        return false;
    }
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded()) {
        chain.fail(std::nullopt, where + "malformed JSON");
        return false;
    }
    try {
        const Entry entry = entry_from_json(j);
        const std::string before = canonical_json(entry.before);
        const std::string after = canonical_json(entry.after);
        return chain.add({entry.seq, to_unix_millis(entry.at), entry.actor, entry.action,
                          entry.target, before, after, entry.prev_hash},
                         entry.hash);
    } catch (const Error& e) {
        chain.fail(readable_seq(j), where + e.what());
        return false;
    }
}

}  // namespace

Json entry_to_json(const Entry& entry) {
    return Json{{"seq", entry.seq},
                {"at", format_timestamp(entry.at)},
                {"at_ms", to_unix_millis(entry.at)},
                {"actor", entry.actor},
                {"action", entry.action},
                {"target", entry.target},
                {"before", entry.before},
                {"after", entry.after},
                {"prev_hash", entry.prev_hash},
                {"hash", entry.hash}};
}

Entry entry_from_json(const Json& j) {
    if (!j.is_object()) throw ValidationError("entry", "must be a JSON object");
    Entry entry;
    entry.seq = integer_member(j, "seq");
    if (entry.seq < 1) throw ValidationError("seq", "must be at least 1");
    const std::int64_t at_ms = integer_member(j, "at_ms");
    if (at_ms < kFirstMillis || at_ms > kLastMillis) {
        throw ValidationError("at_ms", "must fall in the years 0001-9999");
    }
    entry.at = from_unix_millis(at_ms);
    if (const auto at = j.find("at"); at != j.end()) {
        if (!at->is_string() || parse_timestamp(at->get<std::string>(), "at") != entry.at) {
            throw ValidationError("at", "does not match at_ms");
        }
    }
    entry.actor = string_member(j, "actor");
    entry.action = string_member(j, "action");
    entry.target = string_member(j, "target");
    entry.before = member(j, "before");
    entry.after = member(j, "after");
    entry.prev_hash = hash_member(j, "prev_hash");
    entry.hash = hash_member(j, "hash");
    return entry;
}

VerifyReport verify_export(std::istream& in) {
    detail::ChainVerifier chain(detail::ChainStart::kAsGiven);
    std::string line;
    std::int64_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (is_blank(line)) continue;
        if (!verify_line(chain, line, line_no)) break;
    }
    if (in.bad())
        chain.fail(std::nullopt, "reading the export failed after line " + std::to_string(line_no));
    return chain.report();
}

}  // namespace pitboss::audit
