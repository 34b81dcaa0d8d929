#include "pitboss/audit/audit_log.hpp"

#include <limits>
#include <ostream>
#include <utility>

#include "audit/audit_store.hpp"
#include "audit/chain_verifier.hpp"
#include "audit/encoding.hpp"
#include "audit/sha256.hpp"
#include "audit/text_checks.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::audit {
namespace {

using detail::AuditStore;
using storage::Transaction;
using storage::TxMode;

constexpr std::string_view kReadPermission = "audit.read";
constexpr std::string_view kExportPermission = "audit.export";
constexpr std::size_t kMaxListLimit = 10'000;

/// One change ready to be chained: its JSON already in canonical text.
struct PreparedChange {
    const Change* change;
    std::string before_json;
    std::string after_json;
};

std::string canonical_field(const Json& value, const char* field) {
    try {
        return canonical_json(value);
    } catch (const ValidationError& e) {
        throw ValidationError(field, e.what());
    }
}

// Everything is checked before the first row is written: a change refused half-way must not
// leave a reserved but unwritten range of sequence numbers in the caller's transaction.
std::vector<PreparedChange> prepare(std::span<const Change> changes) {
    std::vector<PreparedChange> prepared;
    prepared.reserve(changes.size());
    for (const Change& change : changes) {
        detail::check_label(change.action, "action");
        detail::check_label(change.target, "target");
        prepared.push_back({&change, canonical_field(change.before, "before"),
                            canonical_field(change.after, "after")});
    }
    return prepared;
}

detail::MillisRange millis_of(const TimeRange& range) {
    detail::MillisRange millis{std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max()};
    if (range.from) millis.from = to_unix_millis(*range.from);
    if (range.to) millis.to = to_unix_millis(*range.to);
    if (millis.from > millis.to) throw ValidationError("range", "from is after to");
    return millis;
}

// Chains the changes onto the head: one head update to reserve their seqs (and lock the head),
// hashing with one reused context, multi-row INSERTs, one head update to record the last hash.
std::int64_t append_changes(Transaction& tx, const Clock& clock, const std::string& label,
                            std::span<const Change> changes) {
    if (tx.mode() != TxMode::kWrite) {
        throw PreconditionError("audit: append needs a write transaction");
    }
    std::vector<PreparedChange> prepared = prepare(changes);
    AuditStore store(tx);
    if (prepared.empty()) {
        const auto head = store.head();
        if (!head) throw IntegrityError("audit: the audit_head row is missing");
        return head->seq;
    }
    const detail::Head head = store.reserve(static_cast<std::int64_t>(prepared.size()));
    const std::int64_t at_ms = to_unix_millis(clock.now());
    detail::Sha256 sha;
    detail::EntryInserter inserter(tx, prepared.size());
    std::vector<char> scratch;
    std::string prev_hash = head.hash;
    std::int64_t seq = head.seq;
    for (PreparedChange& item : prepared) {
        ++seq;
        const Change& change = *item.change;
        const std::string_view encoding =
            detail::encode({seq, at_ms, label, change.action, change.target, item.before_json,
                            item.after_json, prev_hash},
                           scratch);
        const detail::Digest digest = sha.digest(encoding);
        prev_hash.resize(64);  // the head's hash could have been edited to any length
        detail::to_hex(digest, prev_hash.data());
        inserter.add(seq, at_ms, label, change.action, change.target, std::move(item.before_json),
                     std::move(item.after_json), prev_hash);
    }
    store.set_head_hash(prev_hash);
    return seq;
}

// The head is bookkeeping that an attacker can edit like any row, so verify() only
// cross-checks it after the chain itself has passed: a head ahead of the log reveals entries
// cut from its end, which the chain alone cannot show. Both backends read from one snapshot
// (SQLite's read transaction, PostgreSQL's REPEATABLE READ), so head and rows agree exactly.
void check_head(detail::ChainVerifier& chain, const std::optional<detail::Head>& head) {
    if (!chain.ok()) return;
    const std::int64_t last = chain.last_seq();
    const std::string_view last_hash = last == 0 ? genesis_hash() : chain.last_hash();
    if (!head) {
        chain.fail(last + 1, "the audit_head row is missing");
    } else if (head->seq > last) {
        chain.fail(last + 1, "entries after " + std::to_string(last) +
                                 " are missing (audit_head records seq " +
                                 std::to_string(head->seq) + ")");
    } else if (head->seq < last) {
        chain.fail(head->seq + 1, "audit_head records seq " + std::to_string(head->seq) +
                                      " but the log ends at " + std::to_string(last));
    } else if (head->hash != last_hash) {
        chain.fail(last, "audit_head does not match entry " + std::to_string(last));
    }
}

}  // namespace

std::string canonical_encoding(const Entry& entry) {
    const std::string before = canonical_json(entry.before);
    const std::string after = canonical_json(entry.after);
    std::vector<char> scratch;
    return std::string(detail::encode({entry.seq, to_unix_millis(entry.at), entry.actor,
                                       entry.action, entry.target, before, after, entry.prev_hash},
                                      scratch));
}

std::string compute_hash(const Entry& entry) {
    detail::Sha256 sha;
    std::string hex(64, '0');
    detail::to_hex(sha.digest(canonical_encoding(entry)), hex.data());
    return hex;
}

const std::string& genesis_hash() {
    static const std::string genesis(64, '0');
    return genesis;
}

AuditLog::AuditLog(storage::Database& db, const Clock& clock, const Authorizer& authorizer)
    : db_(db), clock_(clock), authorizer_(authorizer) {}

std::int64_t AuditLog::append(Transaction& tx, const Actor& actor, const Change& change) {
    return append_all(tx, actor, std::span<const Change>(&change, 1));
}

std::int64_t AuditLog::append_all(Transaction& tx, const Actor& actor,
                                  std::span<const Change> changes) {
    return append_changes(tx, clock_, actor.label(), changes);
}

VerifyReport AuditLog::verify() const {
    Transaction tx = db_.begin(TxMode::kRead);
    AuditStore store(tx);
    const std::optional<detail::Head> head = store.head();
    detail::ChainVerifier chain(detail::ChainStart::kGenesis);
    auto cursor = store.all_entries();
    while (cursor->next()) {
        const detail::EntryView entry = detail::view_of(*cursor, chain.linked_hash());
        if (!chain.add(entry, cursor->text(detail::kHashColumn))) break;
    }
    check_head(chain, head);
    return chain.report();
}

std::vector<Entry> AuditLog::list(const Actor& actor, const TimeRange& range,
                                  std::size_t limit) const {
    require(actor, kReadPermission);
    if (limit < 1 || limit > kMaxListLimit) throw ValidationError("limit", "must be 1-10000");
    const detail::MillisRange millis = millis_of(range);
    Transaction tx = db_.begin(TxMode::kRead);
    std::vector<Entry> entries;
    auto cursor = AuditStore(tx).entries_in(millis, static_cast<std::int64_t>(limit));
    while (cursor->next()) entries.push_back(detail::entry_of(*cursor));
    return entries;
}

std::int64_t AuditLog::export_jsonl(const Actor& actor, std::ostream& out,
                                    const TimeRange& range) const {
    require(actor, kExportPermission);
    const detail::MillisRange millis = millis_of(range);
    if (!out) throw PreconditionError("audit: the export stream is not writable");
    Transaction tx = db_.begin(TxMode::kRead);
    AuditStore store(tx);
    const std::optional<detail::SeqSpan> span = store.seq_span(millis);
    if (!span) return 0;
    std::int64_t written = 0;
    auto cursor = store.entries_in(*span);
    while (cursor->next()) {
        out << entry_to_json(detail::entry_of(*cursor)).dump() << '\n';
        ++written;
    }
    out.flush();
    if (!out) throw PreconditionError("audit: the export stream refused the write");
    return written;
}

void AuditLog::require(const Actor& actor, std::string_view permission) const {
    try {
        authorizer_.require(actor, permission);
    } catch (const AccessDenied& denied) {
        record_denial(actor, permission, denied);
        throw;
    }
}

// A refused read leaves no transaction to roll back, so the denial is recorded here, in a
// transaction of its own. Failing to record it must not mask the denial itself.
void AuditLog::record_denial(const Actor& actor, std::string_view permission,
                             const AccessDenied& denied) const noexcept {
    try {
        // The same shape as the denials access::AccessControl records.
        const Change change{"access.denied", "operator:" + actor.id().to_string(), nullptr,
                            Json{{"permission", permission}, {"reason", denied.what()}}};
        db_.run(TxMode::kWrite, [&](Transaction& tx) {
            append_changes(tx, clock_, actor.label(), std::span<const Change>(&change, 1));
        });
    } catch (...) {
    }
}

std::vector<storage::Migration> AuditLog::migrations() {
    return {storage::Migration{
        "audit", 1, "hash-chained audit_log, its audit_head, append-only trigger on PostgreSQL",
        R"sql(
CREATE TABLE audit_log (
    seq {{bigint}} PRIMARY KEY,
    at {{bigint}} NOT NULL,
    actor {{text}} NOT NULL,
    action {{text}} NOT NULL,
    target {{text}} NOT NULL,
    before_json {{text}} NOT NULL,
    after_json {{text}} NOT NULL,
    hash {{text}} NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE audit_head (
    id {{bigint}} PRIMARY KEY CHECK (id = 1),
    seq {{bigint}} NOT NULL,
    hash {{text}} NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql",
        R"sql(
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
)sql"}};
}

}  // namespace pitboss::audit
