#pragma once
// All SQL of the audit module, written against storage::Transaction.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "audit/encoding.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::audit::detail {

/// The bookkeeping row audit_head: the last appended seq and its hash. Append reads it instead
/// of scanning the log; verify cross-checks it but never trusts it.
struct Head {
    std::int64_t seq = 0;
    std::string hash;
};

/// A time range in Unix milliseconds, both bounds inclusive.
struct MillisRange {
    std::int64_t from;
    std::int64_t to;
};

/// An inclusive span of sequence numbers.
struct SeqSpan {
    std::int64_t first;
    std::int64_t last;
};

/// Column positions of every entry query below. The table stores no prev_hash (it is always
/// the hash of the row before); only the queries for list and export add it, as the last column
/// (NULL when that row does not exist).
enum EntryColumn : std::size_t {
    kSeqColumn,
    kAtColumn,
    kActorColumn,
    kActionColumn,
    kTargetColumn,
    kBeforeColumn,
    kAfterColumn,
    kHashColumn,
    kPrevHashColumn,
};

/// The audit tables as seen from one transaction.
class AuditStore {
public:
    explicit AuditStore(storage::Transaction& tx) : tx_(tx) {}

    /// Reserves `count` sequence numbers and returns the head as it was before. The UPDATE
    /// locks the head row until the transaction ends, so concurrent appenders serialise (on
    /// PostgreSQL the second one waits, then retries on a serialization failure).
    Head reserve(std::int64_t count);
    /// Records the hash of the last appended entry.
    void set_head_hash(std::string_view hash);
    /// The head row, or nothing when it has been removed.
    [[nodiscard]] std::optional<Head> head();

    /// Every entry, ordered by seq, without the prev_hash column (verification walks the chain).
    [[nodiscard]] std::unique_ptr<storage::Cursor> all_entries();
    /// Entries whose time falls in `range`, ordered by seq, at most `limit`.
    [[nodiscard]] std::unique_ptr<storage::Cursor> entries_in(MillisRange range,
                                                              std::int64_t limit);
    /// Entries with seq in `span`, ordered by seq.
    [[nodiscard]] std::unique_ptr<storage::Cursor> entries_in(SeqSpan span);
    /// From the first entry appended at or after range.from to the last one appended at or
    /// before range.to; nothing when no entry qualifies.
    [[nodiscard]] std::optional<SeqSpan> seq_span(MillisRange range);

private:
    storage::Transaction& tx_;
};

/// The hashed fields of the cursor's current row, chained onto `prev_hash` (views valid until
/// the cursor moves).
[[nodiscard]] EntryView view_of(const storage::Cursor& row, std::string_view prev_hash);
/// The cursor's current row (of a query with the prev_hash column) as an Entry; IntegrityError
/// when its JSON does not parse or the entry before it is missing.
[[nodiscard]] Entry entry_of(const storage::Cursor& row);

/// Inserts a known number of entries with few statements: multi-row INSERTs of 256 rows (2,048
/// parameters, far below the limits of SQLite and PostgreSQL), the remainder in rows of 64, 16,
/// 4 and 1 (five statement texts, so the statement cache stays small).
class EntryInserter {
public:
    EntryInserter(storage::Transaction& tx, std::size_t total);

    /// Adds one row; the statement runs as soon as its rows are complete.
    void add(std::int64_t seq, std::int64_t at_ms, const std::string& actor,
             const std::string& action, const std::string& target, std::string before_json,
             std::string after_json, std::string hash);

private:
    void flush();

    storage::Transaction& tx_;
    std::size_t remaining_;
    std::size_t chunk_;
    std::size_t rows_ = 0;
    storage::Params params_;
};

}  // namespace pitboss::audit::detail
