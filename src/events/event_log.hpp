#pragma once
// All SQL of the events module, written against storage::Transaction.
//
// Schema (module "events"):
// - `event_log`: every accepted event, append-only, in `seq` order (assigned by the ingestor
//   from `event_log_head.last_seq`, so the order is the commit order on every backend). Amounts
//   are kept as sent and converted (player and base currency, at the rate valid at occurred_at).
//   `event_id` is unique: the idempotency key. Lifecycle events are indexed by `ref`.
// - `event_log_head`: one row; `last_seq` (taken for update by every ingest commit, which
//   serialises ingesters) and `checkpoint_seq` (how far `player_aggregates` reflects the log).
// - `player_aggregates`: the aggregate state of each player as of `checkpoint_seq`.
// - `event_quarantine`: rejected input, verbatim, with the reason.
// - `fx_rates`: exchange rates to the base currency, effective-dated.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/aggregate_state.hpp"
#include "pitboss/events/ingestor.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::events::detail {

/// One log row to append: the engine's view plus what is kept only for the record.
struct LogRow {
    LoggedEvent event;
    std::int64_t amount_minor = 0;  ///< as sent (money types only)
    std::string currency;           ///< as sent; empty for non-money types
    std::string game_id;            ///< bets and wins
    std::string method;             ///< deposits and withdrawals, when given
    std::string device;             ///< logins, when given
    std::string ip_country;         ///< logins, when given
    std::string detail;             ///< registrations: the profile as JSON
};

/// A quarantine row to append.
struct QuarantineRow {
    std::optional<std::string> event_id;
    std::string field;
    std::string reason;
    std::string_view raw;
};

/// The identity of a lifecycle: the event type and the platform's transaction id.
struct TransactionKey {
    EventType type;
    std::string ref;
    friend bool operator==(const TransactionKey&, const TransactionKey&) = default;
};
/// Hash for TransactionKey.
struct TransactionKeyHash {
    std::size_t operator()(const TransactionKey& key) const noexcept;
};
/// The current status event of each transaction, with its player.
using TransactionWinners = std::unordered_map<TransactionKey, LoggedEvent, TransactionKeyHash>;

/// Reads and writes the event tables inside one transaction.
class EventLog {
public:
    explicit EventLog(storage::Transaction& tx) : tx_(tx) {}

    /// Locks the head row for the rest of the transaction and returns last_seq.
    std::int64_t lock_head();
    /// Records the new last_seq (in the transaction that appended up to it).
    void set_last_seq(std::int64_t last_seq);
    /// (last_seq, checkpoint_seq) without locking.
    [[nodiscard]] std::pair<std::int64_t, std::int64_t> head();
    /// Records how far player_aggregates reflects the log.
    void set_checkpoint_seq(std::int64_t seq);

    /// The event ids among `ids` already in the log.
    [[nodiscard]] std::vector<std::string> existing_event_ids(
        const std::vector<std::string_view>& ids);
    /// Appends rows (their seq already assigned).
    void append(const std::vector<LogRow>& rows);
    /// For each key, the winning event among its logged events with seq < `before_seq`.
    [[nodiscard]] TransactionWinners transaction_winners(const std::vector<TransactionKey>& keys,
                                                         std::int64_t before_seq);
    /// Streams logged events with seq in (after_seq, up_to_seq], in seq order.
    void for_each_after(std::int64_t after_seq, std::int64_t up_to_seq,
                        const std::function<void(const LoggedEvent&)>& on_event);
    /// Streams one player's logged events in seq order (a full scan: the log has no player
    /// index, which would halve ingestion speed; this path serves as-of-the-past reads).
    void for_each_of_player(std::int64_t player_key,
                            const std::function<void(const LoggedEvent&)>& on_event);

    /// Appends quarantined input.
    void quarantine(const std::vector<QuarantineRow>& rows, Timestamp received_at);
    /// A page of the quarantine.
    [[nodiscard]] std::vector<QuarantinedEvent> quarantined(std::int64_t after_id,
                                                            std::size_t limit);
    /// Number of quarantined events.
    [[nodiscard]] std::int64_t quarantine_size();

    /// The schema, for Ingestor::migrations.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    storage::Transaction& tx_;
};

}  // namespace pitboss::events::detail
