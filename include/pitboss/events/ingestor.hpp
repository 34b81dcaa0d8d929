#pragma once
/// @file
/// `events::Ingestor`: takes platform events (one, a batch, a JSON Lines stream), keeps every
/// accepted one in an append-only event log, quarantines the rejected ones with a reason, and
/// keeps each player's aggregates current. Idempotent: a replayed `event_id` is a no-op.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/core/id.hpp"
#include "pitboss/events/aggregates.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::storage {
class Database;
}
namespace pitboss::audit {
class AuditLog;
}
namespace pitboss::transport {
class Outbox;
}
namespace pitboss::access {
class AccessControl;
}

namespace pitboss::events {

/// What one ingest call did with its events; every input line lands in exactly one count.
struct IngestCounts {
    std::int64_t accepted = 0;     ///< new events, now in the log and the aggregates
    std::int64_t duplicate = 0;    ///< event ids seen before (no-ops)
    std::int64_t quarantined = 0;  ///< rejected, kept with their reason
    /// Adds another call's counts.
    IngestCounts& operator+=(const IngestCounts& other) noexcept {
        accepted += other.accepted;
        duplicate += other.duplicate;
        quarantined += other.quarantined;
        return *this;
    }
    /// Field-wise equality, for tests.
    friend bool operator==(const IngestCounts&, const IngestCounts&) = default;
};

/// `{"accepted":N,"duplicate":N,"quarantined":N}`.
[[nodiscard]] Json to_json(const IngestCounts& counts);

/// A rejected event, kept verbatim with the reason it was refused.
struct QuarantinedEvent {
    std::int64_t id = 0;                  ///< increasing quarantine number
    Timestamp received_at;                ///< when it was ingested (the clock's time)
    std::optional<std::string> event_id;  ///< the event's id, when it could be read
    std::string field;                    ///< the field at fault ("amount", "json", ...)
    std::string reason;                   ///< "<field>: <problem>"
    std::string raw;                      ///< the input text, unchanged
};

/// `{"id":..,"received_at":..,"event_id":..,"field":..,"reason":..,"raw":..}`.
[[nodiscard]] Json to_json(const QuarantinedEvent& event);

/// One exchange rate: how many units of the base currency one unit of `currency` is worth,
/// from `valid_from` until the next rate of the same currency.
struct FxRate {
    std::string currency;  ///< ISO 4217 code
    std::string rate;      ///< exact decimal text, e.g. "1.0842"
    Timestamp valid_from;  ///< first moment the rate applies (UTC)
};

/// Tuning of the ingestion pipeline.
struct IngestOptions {
    /// Longest time accepted events wait for their durable commit.
    std::chrono::milliseconds commit_interval{100};
    /// Most events in one commit (about 60 ms of work in a release build).
    std::size_t max_events_per_commit = 10'000;
};

/// The ingestion service. Thread-safe: concurrent calls are serialised.
///
/// Permissions: `events.ingest` to ingest and to change exchange rates, `events.read` to read
/// aggregates, the quarantine and rates (with the player's `country`/`brand`/`status` as ABAC
/// attributes for one player's aggregates).
///
/// Each commit is one transaction holding its accepted events, the profile changes of its
/// registrations (with their `player.registered` / `player.updated` outbox events), its
/// quarantined events, one `events.ingested` outbox event and one audit entry that names the
/// log range and carries a SHA-256 digest of the accepted events.
class Ingestor {
public:
    /// Wires the service to shared infrastructure; every reference must outlive it.
    Ingestor(storage::Database& db, const Clock& clock, access::AccessControl& access,
             audit::AuditLog& audit, const transport::Outbox& outbox, std::string base_currency,
             IngestOptions options = {});
    ~Ingestor();
    Ingestor(const Ingestor&) = delete;
    Ingestor& operator=(const Ingestor&) = delete;

    /// Ingests one JSON object.
    IngestCounts ingest(const Actor& actor, std::string_view json_event);
    /// Ingests several JSON objects, in order.
    IngestCounts ingest_batch(const Actor& actor, std::span<const std::string> json_events);
    /// Ingests JSON Lines text ("\n" or "\r\n"; blank lines skipped).
    IngestCounts ingest_jsonl(const Actor& actor, std::string_view jsonl);
    /// Ingests a JSON Lines stream as it arrives, committing at least every commit_interval.
    IngestCounts ingest_stream(const Actor& actor, std::istream& jsonl);
    /// Ingests a JSON Lines file; ValidationError("path") when it cannot be read.
    IngestCounts ingest_file(const Actor& actor, const std::filesystem::path& path);

    /// One player's aggregates as of the clock's now; NotFoundError for an unknown player.
    [[nodiscard]] Aggregates aggregates(const Actor& actor, PlayerId player) const;
    /// One player's aggregates as of `as_of` (exact for any time, past or future).
    [[nodiscard]] Aggregates aggregates_at(const Actor& actor, PlayerId player,
                                           Timestamp as_of) const;
    /// Aggregates of many players as of `as_of` (every player when `players` is empty), in
    /// player id order. Players outside the actor's scope are left out.
    [[nodiscard]] std::vector<Aggregates> aggregates_of(const Actor& actor,
                                                        std::span<const PlayerId> players,
                                                        Timestamp as_of) const;

    /// Quarantined events with id > `after_id`, oldest first, at most `limit`.
    [[nodiscard]] std::vector<QuarantinedEvent> quarantine(const Actor& actor,
                                                           std::int64_t after_id = 0,
                                                           std::size_t limit = 100) const;
    /// Number of quarantined events.
    [[nodiscard]] std::int64_t quarantine_size(const Actor& actor) const;

    /// Sets the rate of `currency` from `valid_from` on (audited). ValidationError for an
    /// unknown currency, the base currency itself, or a rate that is not a positive decimal
    /// with at most 12 decimals.
    void set_fx_rate(const Actor& actor, std::string_view currency, std::string_view rate,
                     Timestamp valid_from);
    /// Every stored rate, by currency then time.
    [[nodiscard]] std::vector<FxRate> fx_rates(const Actor& actor) const;

    /// Writes the in-memory aggregates of changed players to the database now (they are also
    /// written after every ingest call), so other processes read them without replaying.
    void checkpoint();

    /// The operator's base currency.
    [[nodiscard]] const std::string& base_currency() const noexcept;

    /// Receives the players of the events one ingest call accepted, ids ascending without
    /// repeats (segments keep dynamic membership current with it).
    using CommitObserver = std::function<void(std::span<const PlayerId> players)>;
    /// Sets (an empty function clears) the observer. It runs after the call's batches
    /// committed, outside the ingestor's lock, also when a later batch failed; what it throws
    /// propagates from the ingest call. Set it before ingesting concurrently.
    void set_commit_observer(CommitObserver observer);

    /// The schema of the event log, quarantine, exchange rates and aggregates.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace pitboss::events
