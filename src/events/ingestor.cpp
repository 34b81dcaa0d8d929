#include "pitboss/events/ingestor.hpp"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <unordered_set>
#include <utility>

#include "access/guarded.hpp"
#include "events/aggregate_store.hpp"
#include "events/batch_ingest.hpp"
#include "events/event_log.hpp"
#include "events/fx_table.hpp"
#include "events/ingest_pipeline.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/players/player.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/transport/outbox.hpp"
#include "players/player_store.hpp"

namespace pitboss::events {
namespace {

namespace permission = access::permission;
using detail::AggregateStore;
using detail::EventLog;
using detail::InputItem;
using storage::Transaction;
using storage::TxMode;

// The log may run this far ahead of the checkpoint before an ingest call writes one in the
// middle of its input (bounds the replay a restarted process has to do).
constexpr std::int64_t kCheckpointEvery = 1'000'000;
constexpr std::size_t kMaxQuarantinePage = 10'000;

Attributes attributes_of(const players::Player& player) {
    return {{"country", player.country},
            {"brand", player.brand},
            {"status", std::string(players::to_string(player.status))}};
}

std::string target_of(PlayerId id) { return "player:" + id.to_string(); }

}  // namespace

Json to_json(const IngestCounts& counts) {
    return Json{{"accepted", counts.accepted},
                {"duplicate", counts.duplicate},
                {"quarantined", counts.quarantined}};
}

Json to_json(const QuarantinedEvent& event) {
    return Json{{"id", event.id},
                {"received_at", format_timestamp(event.received_at)},
                {"event_id", event.event_id ? Json(*event.event_id) : Json(nullptr)},
                {"field", event.field},
                {"reason", event.reason},
                {"raw", event.raw}};
}

struct Ingestor::Impl {
    Impl(storage::Database& db_in, const Clock& clock_in, access::AccessControl& access_in,
         audit::AuditLog& audit_in, const transport::Outbox& outbox_in, std::string base,
         IngestOptions options_in)
        : db(db_in),
          clock(clock_in),
          access(access_in),
          audit(audit_in),
          outbox(outbox_in),
          base_currency(Currency::of(base, "base_currency")),
          base_code(base_currency.code()),
          options(options_in),
          store(base_currency) {
        if (options.max_events_per_commit == 0) {
            throw ValidationError("max_events_per_commit", "must be at least 1");
        }
        if (options.commit_interval <= std::chrono::milliseconds::zero()) {
            throw ValidationError("commit_interval", "must be positive");
        }
    }

    void require(const Actor& actor, std::string_view perm, const Attributes& attributes = {}) {
        try {
            access.require(actor, perm, attributes);
        } catch (const AccessDenied& denied) {
            access.record_denial(actor, denied);
            throw;
        }
    }

    // Brings the in-memory aggregates up to the log's head (caller holds the mutex).
    void refresh(Transaction& tx) {
        if (!store.loaded()) {
            store.load(tx);
        } else {
            store.catch_up(tx, EventLog(tx).head().first);
            store.add_new_players(tx);
        }
    }

    IngestCounts run(const Actor& actor, const detail::ChunkProducer& produce) {
        require(actor, permission::kEventsIngest);
        IngestCounts total;
        std::vector<PlayerId> touched;
        try {
            std::lock_guard lock(mutex);
            detail::run_pipeline(
                produce,
                [&](const std::vector<InputItem>& items) {
                    total += commit_batch(actor, items, touched);
                    if (store.applied_seq() - checkpointed_seq >= kCheckpointEvery) {
                        write_checkpoint();
                    }
                },
                options.max_events_per_commit, options.commit_interval);
            write_checkpoint();
        } catch (...) {
            notify(touched);
            throw;
        }
        notify(touched);
        return total;
    }

    // Tells the observer (outside the mutex, so it may read aggregates) who was touched.
    void notify(std::vector<PlayerId>& touched) const {
        if (!observer || touched.empty()) return;
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        observer(touched);
    }

    // Commits one batch; adds the players of its accepted events to `touched` when an observer
    // will want them.
    IngestCounts commit_batch(const Actor& actor, const std::vector<InputItem>& items,
                              std::vector<PlayerId>& touched) {
        const detail::BatchResult result = db.run(TxMode::kWrite, [&](Transaction& tx) {
            const std::int64_t head = EventLog(tx).lock_head();
            store.begin_batch(tx);
            store.catch_up(tx, head);
            const detail::BatchContext context{store, outbox,        audit,
                                               actor, base_currency, clock.now()};
            return detail::ingest_batch(tx, context, items);
        });
        store.end_batch(result.last_seq);
        if (observer) touched.insert(touched.end(), result.players.begin(), result.players.end());
        return result.counts;
    }

    void write_checkpoint() {
        if (store.loaded() && store.dirty_count() == 0 && checkpointed_seq == store.applied_seq()) {
            return;
        }
        db.run(TxMode::kWrite, [&](Transaction& tx) {
            const std::int64_t head = EventLog(tx).lock_head();
            if (!store.loaded()) {
                store.load(tx);
            } else {
                store.catch_up(tx, head);
            }
            store.checkpoint(tx);
        });
        store.mark_checkpointed();
        checkpointed_seq = store.applied_seq();
    }

    // The player's profile for access checks; NotFoundError (after an unscoped check) when
    // absent, so a scoped actor cannot probe ids.
    players::Player authorized_player(Transaction& tx, const Actor& actor, PlayerId player) {
        auto profile = players::PlayerStore(tx).find(player);
        if (!profile) {
            require(actor, permission::kEventsRead);
            throw NotFoundError(target_of(player) + " not found");
        }
        require(actor, permission::kEventsRead, attributes_of(*profile));
        return std::move(*profile);
    }

    // Aggregates of the given players; those whose state cannot answer for `as_of` (an event
    // after it) are recomputed from one scan of the log.
    std::vector<Aggregates> aggregates_of(Transaction& tx, const std::vector<std::int64_t>& keys,
                                          Timestamp as_of) {
        std::vector<std::optional<Aggregates>> out(keys.size());
        std::unordered_map<std::int64_t, std::size_t> recompute;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const detail::PlayerRecord* record = store.find(keys[i]);
            if (!record) throw NotFoundError(target_of(PlayerId(keys[i])) + " has no aggregates");
            if (record->state.answers(as_of)) {
                out[i] = record->state.as_of(record->who, as_of);
            } else {
                recompute.emplace(keys[i], i);
            }
        }
        std::unordered_map<std::int64_t, std::vector<detail::LoggedEvent>> histories;
        auto collect = [&](const detail::LoggedEvent& e) {
            if (recompute.count(e.player_key) > 0) histories[e.player_key].push_back(e);
        };
        EventLog log(tx);
        if (recompute.empty()) {
            // every state answered
        } else if (recompute.size() == 1) {
            log.for_each_of_player(recompute.begin()->first, collect);
        } else {
            log.for_each_after(0, store.applied_seq(), collect);
        }
        for (const auto& [key, index] : recompute) {
            out[index] = detail::recompute(store.find(key)->who, histories[key], as_of);
        }
        std::vector<Aggregates> figures;
        figures.reserve(out.size());
        for (auto& one : out) figures.push_back(std::move(*one));
        return figures;
    }

    storage::Database& db;
    const Clock& clock;
    access::AccessControl& access;
    audit::AuditLog& audit;
    const transport::Outbox& outbox;
    Currency base_currency;
    std::string base_code;
    IngestOptions options;
    std::mutex mutex;
    AggregateStore store;
    std::int64_t checkpointed_seq = -1;
    CommitObserver observer;  // set before concurrent use (see set_commit_observer)
};

Ingestor::Ingestor(storage::Database& db, const Clock& clock, access::AccessControl& access,
                   audit::AuditLog& audit, const transport::Outbox& outbox,
                   std::string base_currency, IngestOptions options)
    : impl_(std::make_unique<Impl>(db, clock, access, audit, outbox, std::move(base_currency),
                                   options)) {}

Ingestor::~Ingestor() = default;

IngestCounts Ingestor::ingest(const Actor& actor, std::string_view json_event) {
    return ingest_jsonl(actor, json_event);
}

IngestCounts Ingestor::ingest_batch(const Actor& actor, std::span<const std::string> json_events) {
    return impl_->run(actor,
                      [json_events, next = std::size_t{0},
                       parser = std::make_shared<EventParser>()](detail::Chunk& chunk) mutable {
                          for (; next < json_events.size() && chunk.items.size() < 1024; ++next) {
                              const std::string& text = json_events[next];
                              chunk.items.push_back({text, parser->parse(text)});
                          }
                          return next < json_events.size();
                      });
}

IngestCounts Ingestor::ingest_jsonl(const Actor& actor, std::string_view jsonl) {
    return impl_->run(actor, detail::text_producer(jsonl));
}

IngestCounts Ingestor::ingest_stream(const Actor& actor, std::istream& jsonl) {
    return impl_->run(actor, detail::stream_producer(jsonl));
}

IngestCounts Ingestor::ingest_file(const Actor& actor, const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ValidationError("path", "cannot read '" + path.string() + "'");
    return ingest_stream(actor, in);
}

Aggregates Ingestor::aggregates(const Actor& actor, PlayerId player) const {
    return aggregates_at(actor, player, impl_->clock.now());
}

Aggregates Ingestor::aggregates_at(const Actor& actor, PlayerId player, Timestamp as_of) const {
    return access::guarded(impl_->db, impl_->access, actor, TxMode::kRead, [&](Transaction& tx) {
        impl_->authorized_player(tx, actor, player);
        std::lock_guard lock(impl_->mutex);
        impl_->refresh(tx);
        return impl_->aggregates_of(tx, {player.value()}, as_of).front();
    });
}

std::vector<Aggregates> Ingestor::aggregates_of(const Actor& actor,
                                                std::span<const PlayerId> players,
                                                Timestamp as_of) const {
    return access::guarded(impl_->db, impl_->access, actor, TxMode::kRead, [&](Transaction& tx) {
        if (!impl_->access.grants_any(actor, permission::kEventsRead)) {
            impl_->require(actor, permission::kEventsRead);
        }
        std::lock_guard lock(impl_->mutex);
        impl_->refresh(tx);
        std::vector<std::int64_t> wanted;
        if (players.empty()) {
            wanted = impl_->store.keys();
        } else {
            for (PlayerId id : players) wanted.push_back(id.value());
            std::sort(wanted.begin(), wanted.end());
            wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
        }
        std::vector<std::int64_t> visible;
        players::PlayerStore profiles(tx);
        const bool unscoped = impl_->access.allowed(actor, permission::kEventsRead, {});
        for (std::int64_t key : wanted) {
            if (unscoped) {
                if (impl_->store.find(key)) visible.push_back(key);
                continue;
            }
            const auto profile = profiles.find(PlayerId(key));
            if (profile && impl_->store.find(key) &&
                impl_->access.allowed(actor, permission::kEventsRead, attributes_of(*profile))) {
                visible.push_back(key);
            }
        }
        return impl_->aggregates_of(tx, visible, as_of);
    });
}

std::vector<QuarantinedEvent> Ingestor::quarantine(const Actor& actor, std::int64_t after_id,
                                                   std::size_t limit) const {
    if (limit < 1 || limit > kMaxQuarantinePage) {
        throw ValidationError("limit", "must be 1-10000");
    }
    return access::guarded(impl_->db, impl_->access, actor, TxMode::kRead, [&](Transaction& tx) {
        impl_->require(actor, permission::kEventsRead);
        return EventLog(tx).quarantined(after_id, limit);
    });
}

std::int64_t Ingestor::quarantine_size(const Actor& actor) const {
    return access::guarded(impl_->db, impl_->access, actor, TxMode::kRead, [&](Transaction& tx) {
        impl_->require(actor, permission::kEventsRead);
        return EventLog(tx).quarantine_size();
    });
}

void Ingestor::set_fx_rate(const Actor& actor, std::string_view currency, std::string_view rate,
                           Timestamp valid_from) {
    access::guarded(impl_->db, impl_->access, actor, TxMode::kWrite, [&](Transaction& tx) {
        impl_->require(actor, permission::kEventsIngest);
        const Currency code = Currency::of(currency, "currency");
        if (code == impl_->base_currency) {
            throw ValidationError(
                "currency", std::string(code.code()) + " is the base currency (its rate is 1)");
        }
        const detail::ExactRate exact = detail::parse_rate(rate, "rate");
        detail::FxTable::store(tx, code, exact, valid_from);
        const Json after{{"currency", code.code()},
                         {"rate", detail::to_string(exact)},
                         {"base_currency", impl_->base_code},
                         {"valid_from", format_timestamp(valid_from)}};
        impl_->audit.append(tx, actor,
                            {"fx.rate_set", "fx_rate:" + std::string(code.code()), nullptr, after});
        impl_->outbox.add(tx, "fx.rate_set", "fx_rate:" + std::string(code.code()), after);
    });
}

std::vector<FxRate> Ingestor::fx_rates(const Actor& actor) const {
    return access::guarded(impl_->db, impl_->access, actor, TxMode::kRead, [&](Transaction& tx) {
        impl_->require(actor, permission::kEventsRead);
        return detail::FxTable::load(tx, impl_->base_currency).all();
    });
}

void Ingestor::checkpoint() {
    std::lock_guard lock(impl_->mutex);
    impl_->write_checkpoint();
}

const std::string& Ingestor::base_currency() const noexcept { return impl_->base_code; }

void Ingestor::set_commit_observer(CommitObserver observer) {
    std::lock_guard lock(impl_->mutex);
    impl_->observer = std::move(observer);
}

std::vector<storage::Migration> Ingestor::migrations() {
    auto all = EventLog::migrations();
    for (auto& m : AggregateStore::migrations()) all.push_back(std::move(m));
    return all;
}

}  // namespace pitboss::events
