#pragma once
/// @file
/// The immutable, hash-chained audit log. Every mutation appends an entry in its own
/// transaction; entries are never updated or deleted.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::audit {

/// What a mutation did, as the service describes it.
struct Change {
    std::string action;  ///< dotted verb, e.g. "player.registered", "access.denied"
    std::string target;  ///< "type:id", e.g. "player:42"
    Json before;         ///< state before (null for creations)
    Json after;          ///< state after (null for deletions)
};

/// One stored entry. `hash` = SHA-256 (lower-case hex) over canonical_encoding(entry).
struct Entry {
    std::int64_t seq = 0;   ///< 1, 2, 3 ... without gaps
    Timestamp at;           ///< when it was appended (the injected clock)
    std::string actor;      ///< Actor::label(), e.g. "operator:alice"
    std::string action;     ///< dotted verb, e.g. "player.registered"
    std::string target;     ///< "type:id" of what changed, e.g. "player:42"
    Json before;            ///< state before (null for creations)
    Json after;             ///< state after (null for deletions)
    std::string prev_hash;  ///< hash of entry seq-1; 64 zeros for the first
    std::string hash;       ///< SHA-256 hex of canonical_encoding(*this)
};

/// The exact bytes hashed for an entry: its fields except `hash`, in a fixed order,
/// length-prefixed, JSON values in canonical form. Documented in docs/audit.md so a regulator
/// can re-implement it.
[[nodiscard]] std::string canonical_encoding(const Entry& entry);
/// SHA-256 hex of canonical_encoding(entry).
[[nodiscard]] std::string compute_hash(const Entry& entry);
/// The prev_hash of the first entry: 64 '0' characters.
[[nodiscard]] const std::string& genesis_hash();

/// Outcome of walking a chain.
struct VerifyReport {
    bool ok = true;                    ///< true when every entry checked is intact
    std::int64_t entries_checked = 0;  ///< entries read before the walk ended
    /// First sequence number whose entry is wrong (hash mismatch, broken link, gap).
    std::optional<std::int64_t> first_broken_seq;
    /// What is wrong with it, e.g. "hash mismatch" or "prev_hash does not match entry 41".
    std::string problem;
};

/// A time range [from, to] (both optional, inclusive).
struct TimeRange {
    std::optional<Timestamp> from;  ///< earliest time included; unbounded when empty
    std::optional<Timestamp> to;    ///< latest time included; unbounded when empty
};

/// The audit log of one database. Thread-safe.
class AuditLog {
public:
    /// Binds the log to a database, the clock that stamps entries, and the authorizer that
    /// guards list() and export_jsonl(); all three must outlive the log.
    AuditLog(storage::Database& db, const Clock& clock, const Authorizer& authorizer);

    /// Appends one entry inside the caller's write transaction and returns its seq.
    std::int64_t append(storage::Transaction& tx, const Actor& actor, const Change& change);
    /// Appends several entries (same actor) inside the caller's transaction; returns last seq.
    std::int64_t append_all(storage::Transaction& tx, const Actor& actor,
                            std::span<const Change> changes);

    /// Walks the whole chain from seq 1 and reports the first broken entry. Reveals no
    /// content, so it needs no permission.
    [[nodiscard]] VerifyReport verify() const;

    /// Entries whose time falls in `range`, oldest first, at most `limit`; needs `audit.read`.
    [[nodiscard]] std::vector<Entry> list(const Actor& actor, const TimeRange& range,
                                          std::size_t limit = 1000) const;
    /// Writes entries of `range` as JSON Lines with their hashes; needs `audit.export`.
    /// The export of a range that starts after seq 1 verifies on its own from its first
    /// entry's prev_hash.
    std::int64_t export_jsonl(const Actor& actor, std::ostream& out, const TimeRange& range) const;

    /// The tables, and on PostgreSQL the trigger that refuses UPDATE and DELETE.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    /// Checks a read permission; a denial is appended to the log before it is rethrown.
    void require(const Actor& actor, std::string_view permission) const;
    void record_denial(const Actor& actor, std::string_view permission,
                       const AccessDenied& denied) const noexcept;

    storage::Database& db_;
    const Clock& clock_;
    const Authorizer& authorizer_;
};

/// One entry as JSON (the export line format).
[[nodiscard]] Json entry_to_json(const Entry& entry);
/// Parses one export line; throws ValidationError naming the field when malformed.
[[nodiscard]] Entry entry_from_json(const Json& j);
/// Verifies an exported JSON-Lines stream on its own (hashes and links), without a database.
/// Malformed lines are reported as broken at that line's seq (or the line number).
[[nodiscard]] VerifyReport verify_export(std::istream& in);

}  // namespace pitboss::audit
