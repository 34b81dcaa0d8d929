#pragma once
// Every player's aggregate state in memory, derived from the event log: loaded from the last
// checkpoint plus a replay of the log after it, advanced by each ingest commit, written back
// as a checkpoint. Not thread-safe: the Ingestor serialises access.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/aggregate_state.hpp"
#include "events/event_log.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::events::detail {

/// A player as the aggregates know them.
struct PlayerRecord {
    PlayerIdentity who;
    PlayerState state;
    bool dirty = false;  ///< changed since the last checkpoint
};

/// Applies logged events in seq order, looking up each lifecycle's previous status in the log
/// (and in `winners`, which it keeps current). Used for live batches and for replays alike.
class LifecycleTracker {
public:
    /// Prefetches the status events of the lifecycles among `events` logged before
    /// `before_seq`.
    void prefetch(EventLog& log, const std::vector<const LoggedEvent*>& events,
                  std::int64_t before_seq);
    /// The current status event of the event's lifecycle (nullptr for its first event, or for
    /// an event without lifecycle), then records `event` if it supersedes it.
    const LoggedEvent* previous_then_record(const LoggedEvent& event, LoggedEvent& previous_copy);
    /// The current status event of a lifecycle, or nullptr.
    [[nodiscard]] const LoggedEvent* current(const TransactionKey& key) const;

private:
    TransactionWinners winners_;
};

/// The in-memory aggregates of every player.
class AggregateStore {
public:
    explicit AggregateStore(Currency base_currency) : base_currency_(base_currency) {}

    /// True once load() ran.
    [[nodiscard]] bool loaded() const noexcept { return loaded_; }
    /// Loads every player's identity and checkpointed state, then replays the log up to its
    /// last_seq.
    void load(storage::Transaction& tx);
    /// Replays log events in (applied_seq, up_to_seq] (written by another process).
    void catch_up(storage::Transaction& tx, std::int64_t up_to_seq);
    /// The log position the states reflect.
    [[nodiscard]] std::int64_t applied_seq() const noexcept { return applied_seq_; }

    /// The player with this internal key, or nullptr.
    [[nodiscard]] const PlayerRecord* find(std::int64_t player_key) const;
    /// The same, for a batch that applies events in place (between begin_batch and end_batch).
    [[nodiscard]] PlayerRecord* find_for_update(std::int64_t player_key);
    /// Starts applying a batch in place. If an earlier batch never reached end_batch (its
    /// transaction failed), the states it touched are suspect: everything is reloaded first.
    void begin_batch(storage::Transaction& tx);
    /// The batch committed: its states stand, and the log position moves to `applied_seq`.
    void end_batch(std::int64_t applied_seq);
    /// Marks a player changed since the last checkpoint.
    void mark_dirty(PlayerRecord& player);
    /// The internal key of a platform player id, or nullopt.
    [[nodiscard]] std::optional<std::int64_t> key_of(std::string_view external_id) const;
    /// The player with this platform id, for a batch that applies events in place; nullptr when
    /// unknown. One hash lookup: the hot path of ingestion resolves each event's player once.
    [[nodiscard]] PlayerRecord* record_of(std::string_view external_id) const;
    /// Adds the players registered since the last look (ids above every known one), so players
    /// without events have (empty) aggregates too.
    void add_new_players(storage::Transaction& tx);
    /// Adds a player (no events yet).
    void add_player(std::int64_t player_key, PlayerIdentity who);

    /// Writes the changed states and checkpoint_seq; no-op when nothing changed.
    void checkpoint(storage::Transaction& tx);
    /// Forgets the changes once the checkpoint's transaction committed.
    void mark_checkpointed() noexcept;
    /// Number of players whose state differs from the last checkpoint.
    [[nodiscard]] std::size_t dirty_count() const noexcept { return dirty_.size(); }

    /// Player keys in ascending order.
    [[nodiscard]] std::vector<std::int64_t> keys() const;

    /// The checkpoint table's schema.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    void load_identities(storage::Transaction& tx);
    void load_identity(storage::Transaction& tx, std::int64_t player_key);
    void load_checkpoint(storage::Transaction& tx);
    void replay(storage::Transaction& tx, std::int64_t after_seq, std::int64_t up_to_seq);

    Currency base_currency_;
    bool loaded_ = false;
    std::int64_t applied_seq_ = 0;
    std::unordered_map<std::int64_t, PlayerRecord> players_;
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept {
            return std::hash<std::string_view>()(text);
        }
    };
    // Records live in players_' nodes, which never move, so these pointers stay valid until
    // load() clears both maps.
    std::unordered_map<std::string, PlayerRecord*, TextHash, std::equal_to<>> by_external_id_;
    bool batch_open_ = false;
    std::vector<std::int64_t> dirty_;  // keys of the records whose `dirty` is set
    std::int64_t max_key_ = 0;
};

}  // namespace pitboss::events::detail
