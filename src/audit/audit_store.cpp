#include "audit/audit_store.hpp"

#include <array>

#include "pitboss/core/error.hpp"

namespace pitboss::audit::detail {
namespace {

using storage::Params;

constexpr std::string_view kEntryColumns =
    "seq, at, actor, action, target, before_json, after_json, hash";
// The hash of the row before, for list and export (a primary-key lookup per row).
constexpr std::string_view kPrevHashSelect =
    ", (SELECT p.hash FROM audit_log p WHERE p.seq = audit_log.seq - 1) AS prev_hash";
constexpr std::array<std::size_t, 5> kChunkSizes = {256, 64, 16, 4, 1};

std::string select_entries(std::string_view where_and_order, bool with_prev_hash = true) {
    return "SELECT " + std::string(kEntryColumns) +
           (with_prev_hash ? std::string(kPrevHashSelect) : std::string()) + " FROM audit_log " +
           std::string(where_and_order);
}

std::string build_insert(std::size_t rows) {
    std::string sql = "INSERT INTO audit_log (" + std::string(kEntryColumns) + ") VALUES ";
    for (std::size_t i = 0; i < rows; ++i) {
        sql += i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)";
    }
    return sql;
}

const std::string& insert_sql(std::size_t rows) {
    static const std::array<std::string, kChunkSizes.size()> statements = {
        build_insert(kChunkSizes[0]), build_insert(kChunkSizes[1]), build_insert(kChunkSizes[2]),
        build_insert(kChunkSizes[3]), build_insert(kChunkSizes[4])};
    for (std::size_t i = 0; i < kChunkSizes.size(); ++i) {
        if (kChunkSizes[i] == rows) return statements[i];
    }
    throw Error(ErrorCode::kInternal, "audit: no INSERT for " + std::to_string(rows) + " rows");
}

/// The largest chunk that the remaining rows fill completely.
std::size_t chunk_for(std::size_t remaining) {
    for (std::size_t size : kChunkSizes) {
        if (remaining >= size) return size;
    }
    return 0;
}

Json parse_stored_json(std::string_view text, std::int64_t seq, std::string_view column) {
    Json value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) {
        throw IntegrityError("audit entry " + std::to_string(seq) + ": " + std::string(column) +
                             " is not valid JSON");
    }
    return value;
}

}  // namespace

Head AuditStore::reserve(std::int64_t count) {
    auto row = tx_.query_optional(
        "UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash", Params(count));
    if (!row) throw IntegrityError("audit: the audit_head row is missing; cannot append");
    return Head{row->int64(0) - count, row->text(1)};
}

void AuditStore::set_head_hash(std::string_view hash) {
    tx_.execute("UPDATE audit_head SET hash = ? WHERE id = 1", Params(hash));
}

std::optional<Head> AuditStore::head() {
    auto row = tx_.query_optional("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!row) return std::nullopt;
    return Head{row->int64(0), row->text(1)};
}

std::unique_ptr<storage::Cursor> AuditStore::all_entries() {
    static const std::string sql = select_entries("ORDER BY seq", false);
    return tx_.cursor(sql);
}

std::unique_ptr<storage::Cursor> AuditStore::entries_in(MillisRange range, std::int64_t limit) {
    static const std::string sql = select_entries("WHERE at >= ? AND at <= ? ORDER BY seq LIMIT ?");
    return tx_.cursor(sql, Params(range.from, range.to, limit));
}

std::unique_ptr<storage::Cursor> AuditStore::entries_in(SeqSpan span) {
    static const std::string sql = select_entries("WHERE seq >= ? AND seq <= ? ORDER BY seq");
    return tx_.cursor(sql, Params(span.first, span.last));
}

std::optional<SeqSpan> AuditStore::seq_span(MillisRange range) {
    const auto first =
        tx_.query_single("SELECT MIN(seq) FROM audit_log WHERE at >= ?", Params(range.from));
    const auto last =
        tx_.query_single("SELECT MAX(seq) FROM audit_log WHERE at <= ?", Params(range.to));
    if (first.is_null(0) || last.is_null(0)) return std::nullopt;
    SeqSpan span{first.int64(0), last.int64(0)};
    if (span.first > span.last) return std::nullopt;
    return span;
}

EntryView view_of(const storage::Cursor& row, std::string_view prev_hash) {
    return EntryView{row.int64(kSeqColumn),   row.int64(kAtColumn),
                     row.text(kActorColumn),  row.text(kActionColumn),
                     row.text(kTargetColumn), row.text(kBeforeColumn),
                     row.text(kAfterColumn),  prev_hash};
}

Entry entry_of(const storage::Cursor& row) {
    Entry entry;
    entry.seq = row.int64(kSeqColumn);
    entry.at = from_unix_millis(row.int64(kAtColumn));
    entry.actor = row.text(kActorColumn);
    entry.action = row.text(kActionColumn);
    entry.target = row.text(kTargetColumn);
    entry.before = parse_stored_json(row.text(kBeforeColumn), entry.seq, "before_json");
    entry.after = parse_stored_json(row.text(kAfterColumn), entry.seq, "after_json");
    entry.hash = row.text(kHashColumn);
    if (!row.is_null(kPrevHashColumn)) {
        entry.prev_hash = row.text(kPrevHashColumn);
    } else if (entry.seq == 1) {
        entry.prev_hash = genesis_hash();
    } else {
        throw IntegrityError("audit entry " + std::to_string(entry.seq) + ": entry " +
                             std::to_string(entry.seq - 1) +
                             " is missing, so its prev_hash is unknown");
    }
    return entry;
}

EntryInserter::EntryInserter(storage::Transaction& tx, std::size_t total)
    : tx_(tx), remaining_(total), chunk_(chunk_for(total)) {}

void EntryInserter::add(std::int64_t seq, std::int64_t at_ms, const std::string& actor,
                        const std::string& action, const std::string& target,
                        std::string before_json, std::string after_json, std::string hash) {
    if (remaining_ == 0) throw Error(ErrorCode::kInternal, "audit: more rows than announced");
    params_.add(seq).add(at_ms).add(actor).add(action).add(target);
    params_.add(std::move(before_json)).add(std::move(after_json));
    params_.add(std::move(hash));
    --remaining_;
    if (++rows_ == chunk_) flush();
}

void EntryInserter::flush() {
    tx_.execute(insert_sql(rows_), params_);
    params_.clear();
    rows_ = 0;
    chunk_ = chunk_for(remaining_);
}

}  // namespace pitboss::audit::detail
