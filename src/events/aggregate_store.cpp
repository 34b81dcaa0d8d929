#include "events/aggregate_store.hpp"

#include <algorithm>
#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::events::detail {
namespace {

using storage::Cursor;
using storage::Params;
using storage::RowSink;

// Events replayed per lifecycle prefetch.
constexpr std::size_t kReplayChunk = 50'000;
// Player keys per `IN (...)` delete during a checkpoint.
constexpr std::size_t kDeleteChunk = 500;

std::string checkpoint_ddl() {
    std::string ddl = "CREATE TABLE player_aggregates (\n    player_id {{bigint}} PRIMARY KEY";
    for (std::string_view name : PlayerState::number_column_names()) {
        ddl += ",\n    " + std::string(name) + " {{bigint}} NOT NULL";
    }
    ddl += ",\n    deposits {{text}} NOT NULL,\n    game_types {{text}} NOT NULL\n)";
    return ddl;
}

std::string checkpoint_select() {
    std::string sql = "SELECT player_id";
    for (std::string_view name : PlayerState::number_column_names())
        sql += ", " + std::string(name);
    return sql + ", deposits, game_types FROM player_aggregates";
}

std::vector<std::string_view> checkpoint_columns() {
    std::vector<std::string_view> columns{"player_id"};
    for (std::string_view name : PlayerState::number_column_names()) columns.push_back(name);
    columns.push_back("deposits");
    columns.push_back("game_types");
    return columns;
}

}  // namespace

void LifecycleTracker::prefetch(EventLog& log, const std::vector<const LoggedEvent*>& events,
                                std::int64_t before_seq) {
    std::vector<TransactionKey> missing;
    for (const LoggedEvent* e : events) {
        if (!has_lifecycle(e->type)) continue;
        TransactionKey key{e->type, e->ref};
        if (winners_.count(key) == 0) missing.push_back(std::move(key));
    }
    std::sort(missing.begin(), missing.end(), [](const auto& a, const auto& b) {
        return a.ref < b.ref || (a.ref == b.ref && a.type < b.type);
    });
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    for (auto& [key, winner] : log.transaction_winners(missing, before_seq)) {
        winners_.emplace(key, std::move(winner));
    }
}

const LoggedEvent* LifecycleTracker::previous_then_record(const LoggedEvent& event,
                                                          LoggedEvent& previous_copy) {
    if (!has_lifecycle(event.type)) return nullptr;
    auto [it, inserted] = winners_.try_emplace(TransactionKey{event.type, event.ref}, event);
    if (inserted) return nullptr;
    previous_copy = it->second;
    if (supersedes(event, it->second)) it->second = event;
    return &previous_copy;
}

const LoggedEvent* LifecycleTracker::current(const TransactionKey& key) const {
    auto it = winners_.find(key);
    return it == winners_.end() ? nullptr : &it->second;
}

void AggregateStore::load(storage::Transaction& tx) {
    batch_open_ = false;
    players_.clear();
    by_external_id_.clear();
    max_key_ = 0;
    dirty_.clear();
    load_identities(tx);
    load_checkpoint(tx);
    const auto [last_seq, checkpoint_seq] = EventLog(tx).head();
    applied_seq_ = checkpoint_seq;
    replay(tx, checkpoint_seq, last_seq);
    loaded_ = true;
}

void AggregateStore::catch_up(storage::Transaction& tx, std::int64_t up_to_seq) {
    if (up_to_seq > applied_seq_) replay(tx, applied_seq_, up_to_seq);
}

void AggregateStore::load_identities(storage::Transaction& tx) {
    tx.for_each("SELECT id, external_id, currency FROM players", {}, [&](const Cursor& row) {
        const std::int64_t key = row.int64(0);
        add_player(key, PlayerIdentity{PlayerId(key), std::string(row.text(1)),
                                       Currency::of(row.text(2)), base_currency_});
    });
}

void AggregateStore::load_identity(storage::Transaction& tx, std::int64_t player_key) {
    const auto row = tx.query_optional("SELECT id, external_id, currency FROM players WHERE id = ?",
                                       Params(player_key));
    if (!row) {
        throw IntegrityError("event_log names player " + std::to_string(player_key) +
                             ", which is not in players");
    }
    add_player(player_key, PlayerIdentity{PlayerId(player_key), row->text(1),
                                          Currency::of(row->text(2)), base_currency_});
}

void AggregateStore::load_checkpoint(storage::Transaction& tx) {
    const std::size_t numbers = PlayerState::number_column_names().size();
    tx.for_each(checkpoint_select(), {}, [&](const Cursor& row) {
        PlayerState::Columns columns;
        for (std::size_t i = 0; i < numbers; ++i) columns.numbers[i] = row.int64(i + 1);
        columns.deposits = std::string(row.text(numbers + 1));
        columns.game_types = std::string(row.text(numbers + 2));
        auto it = players_.find(row.int64(0));
        if (it == players_.end()) {
            throw IntegrityError("player_aggregates names player " + std::to_string(row.int64(0)) +
                                 ", which is not in players");
        }
        it->second.state = PlayerState::from_columns(columns);
    });
}

void AggregateStore::replay(storage::Transaction& tx, std::int64_t after_seq,
                            std::int64_t up_to_seq) {
    EventLog log(tx);
    std::vector<LoggedEvent> chunk;
    LifecycleTracker lifecycles;
    auto apply_chunk = [&] {
        if (chunk.empty()) return;
        std::vector<const LoggedEvent*> pointers;
        pointers.reserve(chunk.size());
        for (const auto& e : chunk) pointers.push_back(&e);
        lifecycles.prefetch(log, pointers, chunk.front().seq);
        LoggedEvent previous;
        for (const auto& e : chunk) {
            if (players_.count(e.player_key) == 0) load_identity(tx, e.player_key);
            const LoggedEvent* prior = lifecycles.previous_then_record(e, previous);
            PlayerRecord& player = players_.at(e.player_key);
            player.state.apply(e, prior);
            mark_dirty(player);
            applied_seq_ = e.seq;
        }
        chunk.clear();
    };
    // Collect first, then apply: the lifecycle prefetch and identity lookups run statements of
    // their own, which must not interleave with the open cursor.
    std::vector<LoggedEvent> all;
    log.for_each_after(after_seq, up_to_seq, [&](const LoggedEvent& e) { all.push_back(e); });
    for (auto& e : all) {
        chunk.push_back(std::move(e));
        if (chunk.size() == kReplayChunk) apply_chunk();
    }
    apply_chunk();
    applied_seq_ = std::max(applied_seq_, up_to_seq);
}

const PlayerRecord* AggregateStore::find(std::int64_t player_key) const {
    auto it = players_.find(player_key);
    return it == players_.end() ? nullptr : &it->second;
}

PlayerRecord* AggregateStore::find_for_update(std::int64_t player_key) {
    auto it = players_.find(player_key);
    return it == players_.end() ? nullptr : &it->second;
}

void AggregateStore::begin_batch(storage::Transaction& tx) {
    if (batch_open_ || !loaded_) load(tx);
    batch_open_ = true;
}

void AggregateStore::end_batch(std::int64_t applied_seq) {
    batch_open_ = false;
    applied_seq_ = std::max(applied_seq_, applied_seq);
}

std::optional<std::int64_t> AggregateStore::key_of(std::string_view external_id) const {
    const PlayerRecord* player = record_of(external_id);
    if (player == nullptr) return std::nullopt;
    return player->who.player_id.value();
}

PlayerRecord* AggregateStore::record_of(std::string_view external_id) const {
    auto it = by_external_id_.find(external_id);
    return it == by_external_id_.end() ? nullptr : it->second;
}

void AggregateStore::mark_dirty(PlayerRecord& player) {
    if (player.dirty) return;
    player.dirty = true;
    dirty_.push_back(player.who.player_id.value());
}

void AggregateStore::mark_checkpointed() noexcept {
    for (std::int64_t key : dirty_) {
        if (auto it = players_.find(key); it != players_.end()) it->second.dirty = false;
    }
    dirty_.clear();
}

void AggregateStore::add_new_players(storage::Transaction& tx) {
    tx.for_each("SELECT id, external_id, currency FROM players WHERE id > ?", Params(max_key_),
                [&](const Cursor& row) {
                    const std::int64_t key = row.int64(0);
                    add_player(key, PlayerIdentity{PlayerId(key), std::string(row.text(1)),
                                                   Currency::of(row.text(2)), base_currency_});
                });
}

void AggregateStore::add_player(std::int64_t player_key, PlayerIdentity who) {
    max_key_ = std::max(max_key_, player_key);
    std::string external_id = who.external_id;
    auto it = players_.try_emplace(player_key, PlayerRecord{std::move(who), PlayerState{}}).first;
    by_external_id_[std::move(external_id)] = &it->second;
}

void AggregateStore::checkpoint(storage::Transaction& tx) {
    EventLog log(tx);
    if (dirty_.empty() && log.head().second == applied_seq_) return;
    std::vector<std::int64_t> keys = dirty_;
    std::sort(keys.begin(), keys.end());
    const std::string delete_sql = [] {
        std::string sql = "DELETE FROM player_aggregates WHERE player_id IN (?";
        for (std::size_t i = 1; i < kDeleteChunk; ++i) sql += ", ?";
        return sql + ")";
    }();
    Params params;
    for (std::size_t start = 0; start < keys.size(); start += kDeleteChunk) {
        params.clear();
        const std::size_t end = std::min(keys.size(), start + kDeleteChunk);
        for (std::size_t i = start; i < end; ++i) params.add(keys[i]);
        for (std::size_t i = end - start; i < kDeleteChunk; ++i) params.add(keys[end - 1]);
        tx.execute(delete_sql, params);
    }
    const auto columns = checkpoint_columns();
    std::vector<PlayerState::Columns> encoded;
    encoded.reserve(keys.size());
    for (std::int64_t key : keys) encoded.push_back(players_.at(key).state.to_columns());
    tx.insert_rows("player_aggregates", columns, keys.size(), [&](std::size_t i, RowSink& row) {
        row.add(keys[i]);
        for (std::int64_t number : encoded[i].numbers) row.add(number);
        row.add(std::string_view(encoded[i].deposits));
        row.add(std::string_view(encoded[i].game_types));
    });
    log.set_checkpoint_seq(applied_seq_);
}

std::vector<std::int64_t> AggregateStore::keys() const {
    std::vector<std::int64_t> keys;
    keys.reserve(players_.size());
    for (const auto& entry : players_) keys.push_back(entry.first);
    std::sort(keys.begin(), keys.end());
    return keys;
}

std::vector<storage::Migration> AggregateStore::migrations() {
    return {{"events", 2, "per-player aggregate checkpoints", checkpoint_ddl()}};
}

}  // namespace pitboss::events::detail
