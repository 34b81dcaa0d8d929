#pragma once
// One ingest commit: a batch of parsed input lines turned, inside one write transaction, into
// log rows, profile changes, quarantine rows, aggregate states, outbox events and one audit
// entry. Decisions depend only on the batch's order and the database, never on how the input
// was cut into batches, so a re-run after a crash reaches the same state.

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/aggregate_store.hpp"
#include "pitboss/core/actor.hpp"
#include "pitboss/events/event.hpp"
#include "pitboss/events/ingestor.hpp"

namespace pitboss::audit {
class AuditLog;
}
namespace pitboss::transport {
class Outbox;
}

namespace pitboss::events::detail {

/// One input line and what the parser made of it; `raw` must outlive the batch.
struct InputItem {
    std::string_view raw;
    ParseResult parsed;
};

/// What a batch did.
struct BatchResult {
    IngestCounts counts;
    std::int64_t last_seq = 0;      ///< the log's new end
    std::vector<PlayerId> players;  ///< the players of the accepted events, in input order
};

/// The shared services a batch writes through.
struct BatchContext {
    AggregateStore& store;
    const transport::Outbox& outbox;
    audit::AuditLog& audit;
    const Actor& actor;
    Currency base_currency;
    Timestamp now;
};

/// Runs one batch inside `tx` (which the caller commits). The caller has locked the log's head,
/// caught the store up to it and called store.begin_batch(): the batch applies its events to
/// the store in place, and the caller calls store.end_batch() once the transaction committed.
[[nodiscard]] BatchResult ingest_batch(storage::Transaction& tx, const BatchContext& context,
                                       const std::vector<InputItem>& items);

}  // namespace pitboss::events::detail
