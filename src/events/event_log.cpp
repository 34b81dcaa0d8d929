#include "events/event_log.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::events::detail {
namespace {

using storage::Cursor;
using storage::Params;
using storage::RowSink;

// Ids per `IN (...)` statement; a short last chunk is padded by repeating its last id, so every
// chunk uses the same cached statement.
constexpr std::size_t kChunk = 500;

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE event_log (
    seq {{bigint}} PRIMARY KEY,
    event_id {{text}} NOT NULL,
    player_id {{bigint}} NOT NULL,
    type {{text}} NOT NULL,
    occurred_at {{bigint}} NOT NULL,
    ref {{text}},
    state {{text}},
    amount_minor {{bigint}},
    currency {{text}},
    player_minor {{bigint}},
    base_minor {{bigint}},
    game_id {{text}},
    game_type {{text}},
    method {{text}},
    device {{text}},
    ip_country {{text}},
    duration_s {{bigint}},
    detail {{text}}
);
CREATE UNIQUE INDEX event_log_event_id ON event_log (event_id);
CREATE INDEX event_log_lifecycle ON event_log (ref) WHERE type IN ('deposit', 'withdrawal');
CREATE TABLE event_log_head (
    id {{bigint}} PRIMARY KEY,
    last_seq {{bigint}} NOT NULL,
    checkpoint_seq {{bigint}} NOT NULL
);
INSERT INTO event_log_head (id, last_seq, checkpoint_seq) VALUES (1, 0, 0);
CREATE TABLE event_quarantine (
    id {{id}},
    received_at {{bigint}} NOT NULL,
    event_id {{text}},
    field {{text}} NOT NULL,
    reason {{text}} NOT NULL,
    raw {{text}} NOT NULL
);
CREATE TABLE fx_rates (
    currency {{text}} NOT NULL,
    valid_from {{bigint}} NOT NULL,
    rate {{text}} NOT NULL,
    PRIMARY KEY (currency, valid_from)
)
)sql";

constexpr std::string_view kLoggedColumns =
    "seq, player_id, type, occurred_at, event_id, ref, state, player_minor, base_minor, "
    "game_type, duration_s";

std::string placeholders(std::size_t n) {
    std::string out;
    out.reserve(n * 3);
    for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
    return out;
}

int state_from_text(EventType type, std::string_view text) {
    std::optional<int> state;
    switch (type) {
        case EventType::kDeposit:
            if (auto s = find_deposit_status(text)) state = static_cast<int>(*s);
            break;
        case EventType::kWithdrawal:
            if (auto s = find_withdrawal_status(text)) state = static_cast<int>(*s);
            break;
        case EventType::kBonus:
            if (auto s = find_bonus_kind(text)) state = static_cast<int>(*s);
            break;
        default:
            break;
    }
    if (!state) throw StorageError("event_log.state: unexpected '" + std::string(text) + "'");
    return *state;
}

std::string_view state_text(const LoggedEvent& e) {
    switch (e.type) {
        case EventType::kDeposit:
            return to_string(static_cast<DepositStatus>(e.state));
        case EventType::kWithdrawal:
            return to_string(static_cast<WithdrawalStatus>(e.state));
        case EventType::kBonus:
            return to_string(static_cast<BonusKind>(e.state));
        default:
            return {};
    }
}

// Reads the columns of kLoggedColumns from the current row.
LoggedEvent logged_from(const Cursor& row) {
    LoggedEvent e;
    e.seq = row.int64(0);
    e.player_key = row.int64(1);
    const auto type = find_event_type(row.text(2));
    if (!type) throw StorageError("event_log.type: unexpected '" + std::string(row.text(2)) + "'");
    e.type = *type;
    e.occurred_at = from_unix_millis(row.int64(3));
    e.event_id = std::string(row.text(4));
    if (!row.is_null(5)) e.ref = std::string(row.text(5));
    if (!row.is_null(6)) e.state = state_from_text(e.type, row.text(6));
    if (!row.is_null(7)) e.player_minor = row.int64(7);
    if (!row.is_null(8)) e.base_minor = row.int64(8);
    if (!row.is_null(9)) e.game_type = std::string(row.text(9));
    if (!row.is_null(10)) e.duration_s = row.int64(10);
    return e;
}

void add_text_or_null(RowSink& row, std::string_view text) {
    if (text.empty()) {
        row.add_null();
    } else {
        row.add(text);
    }
}

bool has_amount(EventType type) {
    return type == EventType::kDeposit || type == EventType::kWithdrawal ||
           type == EventType::kBet || type == EventType::kWin || type == EventType::kBonus;
}

}  // namespace

std::size_t TransactionKeyHash::operator()(const TransactionKey& key) const noexcept {
    return std::hash<std::string>()(key.ref) ^ static_cast<std::size_t>(key.type);
}

std::int64_t EventLog::lock_head() {
    tx_.execute("UPDATE event_log_head SET last_seq = last_seq WHERE id = 1");
    return tx_.query_single("SELECT last_seq FROM event_log_head WHERE id = 1").int64(0);
}

void EventLog::set_last_seq(std::int64_t last_seq) {
    tx_.execute("UPDATE event_log_head SET last_seq = ? WHERE id = 1", Params(last_seq));
}

std::pair<std::int64_t, std::int64_t> EventLog::head() {
    const auto row =
        tx_.query_single("SELECT last_seq, checkpoint_seq FROM event_log_head WHERE id = 1");
    return {row.int64(0), row.int64(1)};
}

void EventLog::set_checkpoint_seq(std::int64_t seq) {
    tx_.execute("UPDATE event_log_head SET checkpoint_seq = ? WHERE id = 1", Params(seq));
}

std::vector<std::string> EventLog::existing_event_ids(const std::vector<std::string_view>& ids) {
    std::vector<std::string> found;
    const std::string sql =
        "SELECT event_id FROM event_log WHERE event_id IN (" + placeholders(kChunk) + ")";
    Params params;
    for (std::size_t start = 0; start < ids.size(); start += kChunk) {
        params.clear();
        const std::size_t end = std::min(ids.size(), start + kChunk);
        for (std::size_t i = start; i < end; ++i) params.add(ids[i]);
        for (std::size_t i = end - start; i < kChunk; ++i) params.add(ids[end - 1]);
        tx_.for_each(sql, params, [&](const Cursor& row) { found.emplace_back(row.text(0)); });
    }
    return found;
}

void EventLog::append(const std::vector<LogRow>& rows) {
    static constexpr std::array<std::string_view, 18> kColumns = {
        "seq",       "event_id",     "player_id", "type",         "occurred_at", "ref",
        "state",     "amount_minor", "currency",  "player_minor", "base_minor",  "game_id",
        "game_type", "method",       "device",    "ip_country",   "duration_s",  "detail"};
    tx_.insert_rows("event_log", kColumns, rows.size(), [&](std::size_t i, RowSink& row) {
        const LogRow& r = rows[i];
        const LoggedEvent& e = r.event;
        row.add(e.seq);
        row.add(std::string_view(e.event_id));
        row.add(e.player_key);
        row.add(to_string(e.type));
        row.add(to_unix_millis(e.occurred_at));
        add_text_or_null(row, e.ref);
        add_text_or_null(row, state_text(e));
        if (has_amount(e.type)) {
            row.add(r.amount_minor);
            row.add(std::string_view(r.currency));
            row.add(e.player_minor);
            row.add(e.base_minor);
        } else {
            row.add_null();
            row.add_null();
            row.add_null();
            row.add_null();
        }
        add_text_or_null(row, r.game_id);
        add_text_or_null(row, e.game_type);
        add_text_or_null(row, r.method);
        add_text_or_null(row, r.device);
        add_text_or_null(row, r.ip_country);
        if (e.type == EventType::kSessionEnd) {
            row.add(e.duration_s);
        } else {
            row.add_null();
        }
        add_text_or_null(row, r.detail);
    });
}

TransactionWinners EventLog::transaction_winners(const std::vector<TransactionKey>& keys,
                                                 std::int64_t before_seq) {
    TransactionWinners winners;
    if (keys.empty()) return winners;
    const std::string sql = "SELECT " + std::string(kLoggedColumns) +
                            " FROM event_log WHERE type IN ('deposit', 'withdrawal') AND ref IN (" +
                            placeholders(kChunk) + ") AND seq < ?";
    Params params;
    for (std::size_t start = 0; start < keys.size(); start += kChunk) {
        params.clear();
        const std::size_t end = std::min(keys.size(), start + kChunk);
        for (std::size_t i = start; i < end; ++i) params.add(keys[i].ref);
        for (std::size_t i = end - start; i < kChunk; ++i) params.add(keys[end - 1].ref);
        params.add(before_seq);
        tx_.for_each(sql, params, [&](const Cursor& row) {
            LoggedEvent e = logged_from(row);
            TransactionKey key{e.type, e.ref};
            auto it = winners.find(key);
            if (it == winners.end()) {
                winners.emplace(std::move(key), std::move(e));
            } else if (supersedes(e, it->second)) {
                it->second = std::move(e);
            }
        });
    }
    return winners;
}

void EventLog::for_each_after(std::int64_t after_seq, std::int64_t up_to_seq,
                              const std::function<void(const LoggedEvent&)>& on_event) {
    tx_.for_each("SELECT " + std::string(kLoggedColumns) +
                     " FROM event_log WHERE seq > ? AND seq <= ? ORDER BY seq",
                 Params(after_seq, up_to_seq),
                 [&](const Cursor& row) { on_event(logged_from(row)); });
}

void EventLog::for_each_of_player(std::int64_t player_key,
                                  const std::function<void(const LoggedEvent&)>& on_event) {
    tx_.for_each("SELECT " + std::string(kLoggedColumns) +
                     " FROM event_log WHERE player_id = ? ORDER BY seq",
                 Params(player_key), [&](const Cursor& row) { on_event(logged_from(row)); });
}

void EventLog::quarantine(const std::vector<QuarantineRow>& rows, Timestamp received_at) {
    if (rows.empty()) return;
    static constexpr std::array<std::string_view, 5> kColumns = {"received_at", "event_id", "field",
                                                                 "reason", "raw"};
    const std::int64_t at = to_unix_millis(received_at);
    tx_.insert_rows("event_quarantine", kColumns, rows.size(), [&](std::size_t i, RowSink& row) {
        const QuarantineRow& q = rows[i];
        row.add(at);
        if (q.event_id) {
            row.add(std::string_view(*q.event_id));
        } else {
            row.add_null();
        }
        row.add(std::string_view(q.field));
        row.add(std::string_view(q.reason));
        row.add(q.raw);
    });
}

std::vector<QuarantinedEvent> EventLog::quarantined(std::int64_t after_id, std::size_t limit) {
    std::vector<QuarantinedEvent> out;
    for (const auto& row :
         tx_.query("SELECT id, received_at, event_id, field, reason, raw FROM event_quarantine"
                   " WHERE id > ? ORDER BY id LIMIT ?",
                   Params(after_id, static_cast<std::int64_t>(limit)))) {
        out.push_back({row.int64(0), row.timestamp(1), row.opt_text(2), row.text(3), row.text(4),
                       row.text(5)});
    }
    return out;
}

std::int64_t EventLog::quarantine_size() {
    return tx_.query_single("SELECT COUNT(*) FROM event_quarantine").int64(0);
}

std::vector<storage::Migration> EventLog::migrations() {
    return {{"events", 1, "event log, quarantine, exchange rates", std::string(kSchemaV1)}};
}

}  // namespace pitboss::events::detail
