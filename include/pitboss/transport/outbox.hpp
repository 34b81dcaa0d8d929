#pragma once
/// @file
/// The transactional outbox: domain events are written in the same transaction as the change
/// they describe; a relay (event bus issue) publishes them at least once.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pitboss/core/clock.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::transport {

/// One domain event waiting in (or published from) the outbox.
struct OutboxMessage {
    std::int64_t id = 0;                    ///< increasing; the idempotency key consumers see
    std::string topic;                      ///< e.g. "player.registered"
    std::string key;                        ///< partition / idempotency key, e.g. "player:42"
    Json payload;                           ///< the event body
    Timestamp created_at;                   ///< when the event was written (UTC)
    std::optional<Timestamp> published_at;  ///< empty until a relay publishes it
};

/// One event for Outbox::add_many.
struct OutboxEntry {
    std::string topic;  ///< e.g. "player.registered"
    std::string key;    ///< partition / idempotency key
    Json payload;       ///< the event body
};

/// Writes domain events into the outbox table inside the caller's transaction.
class Outbox {
public:
    /// Stamps events with `clock`, which must outlive the outbox.
    explicit Outbox(const Clock& clock) : clock_(clock) {}
    /// Adds an event; returns its id (the idempotency key consumers see).
    std::int64_t add(storage::Transaction& tx, std::string_view topic, std::string_view key,
                     const Json& payload) const;
    /// Adds many events with one bulk write (ids follow the order of `entries`).
    void add_many(storage::Transaction& tx, const std::vector<OutboxEntry>& entries) const;
    /// Unpublished events, oldest first.
    [[nodiscard]] std::vector<OutboxMessage> pending(storage::Transaction& tx,
                                                     std::size_t limit = 1000) const;
    /// Marks events as published.
    void mark_published(storage::Transaction& tx, std::int64_t id) const;

    /// The schema of the outbox table, for Backoffice::migrate.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    const Clock& clock_;
};

}  // namespace pitboss::transport
