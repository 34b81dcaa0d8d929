#include "events/batch_ingest.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>
#include <variant>

#include "events/fx_table.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/transport/outbox.hpp"
#include "players/platform_profiles.hpp"

namespace pitboss::events::detail {
namespace {

// A valid UTF-8 text without NUL is stored as it came; anything else has its offending bytes
// written as \xNN so every backend can keep it (PostgreSQL text refuses both).
std::string storable(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    auto escape = [&](unsigned char byte) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
    };
    while (i < raw.size()) {
        const auto c = static_cast<unsigned char>(raw[i]);
        std::size_t length = c < 0x80           ? 1
                             : (c >> 5) == 0x6  ? 2
                             : (c >> 4) == 0xE  ? 3
                             : (c >> 3) == 0x1E ? 4
                                                : 0;
        bool valid = length > 0 && c != 0 && i + length <= raw.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            valid = (static_cast<unsigned char>(raw[i + k]) & 0xC0) == 0x80;
        }
        if (valid && length == 2) valid = c >= 0xC2;
        if (valid && length == 3) {
            const auto c1 = static_cast<unsigned char>(raw[i + 1]);
            valid = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
        }
        if (valid && length == 4) {
            const auto c1 = static_cast<unsigned char>(raw[i + 1]);
            valid = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
        }
        if (valid) {
            out.append(raw.substr(i, length));
            i += length;
        } else {
            escape(c);
            ++i;
        }
    }
    return out;
}

// The event id of an input the parser refused, when a lenient look can find one.
std::optional<std::string> event_id_of_rejected(std::string_view raw) {
    const Json json = Json::parse(raw, nullptr, false);
    if (!json.is_object()) return std::nullopt;
    auto it = json.find("event_id");
    if (it == json.end()) return std::nullopt;
    if (it->is_string()) return storable(it->get<std::string>().substr(0, 128));
    if (it->is_number_integer()) return it->dump();
    return std::nullopt;
}

players::NewPlayer new_player_from(const Event& event, const Registration& r) {
    players::NewPlayer p;
    p.external_id = event.player_id;
    p.email = r.email;
    p.phone = r.phone;
    p.country = r.country;
    p.birth_date = r.birth_date;
    p.currency = std::string(r.currency.code());
    p.language = r.language.value_or("en");
    p.traffic_source = r.traffic_source;
    p.affiliate_id = r.affiliate_id;
    p.registered_at = event.occurred_at;
    p.consents =
        players::Consents{r.consents.email, r.consents.sms, r.consents.push, r.consents.messenger};
    return p;
}

// Fills the type-specific columns of a log row; returns the amount as sent, if any.
std::optional<Money> describe(const Event& event, LogRow& row) {
    LoggedEvent& e = row.event;
    return std::visit(
        [&](const auto& p) -> std::optional<Money> {
            using P = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<P, Registration>) {
                return std::nullopt;
            } else if constexpr (std::is_same_v<P, Login>) {
                e.ref = p.session_id;
                row.device = p.device.value_or("");
                row.ip_country = p.ip_country.value_or("");
                return std::nullopt;
            } else if constexpr (std::is_same_v<P, SessionEnd>) {
                e.ref = p.session_id;
                e.duration_s = p.duration.count();
                return std::nullopt;
            } else if constexpr (std::is_same_v<P, Deposit> || std::is_same_v<P, Withdrawal>) {
                e.ref = p.transaction_id;
                e.state = static_cast<int>(p.status);
                row.method = p.method.value_or("");
                return p.amount;
            } else if constexpr (std::is_same_v<P, Bet>) {
                e.ref = p.round_id;
                e.game_type = p.game_type;
                row.game_id = p.game_id;
                return p.amount;
            } else if constexpr (std::is_same_v<P, Win>) {
                e.ref = p.round_id;
                row.game_id = p.game_id;
                return p.amount;
            } else {
                static_assert(std::is_same_v<P, Bonus>);
                e.ref = p.bonus_id;
                e.state = static_cast<int>(p.kind);
                return p.amount;
            }
        },
        event.payload);
}

// The batch in progress: everything decided so far, in input order.
class BatchRun {
public:
    BatchRun(storage::Transaction& tx, const BatchContext& context)
        : tx_(tx),
          context_(context),
          log_(tx),
          profiles_(tx, context.outbox, context.now),
          fx_(FxTable::load(tx, context.base_currency)) {}

    BatchResult run(const std::vector<InputItem>& items) {
        const std::int64_t first_seq = context_.store.applied_seq() + 1;
        next_seq_ = first_seq;
        seen_ids_.reserve(items.size());
        rows_.reserve(items.size());
        prepare(items, first_seq);
        for (position_ = 0; position_ < items.size(); ++position_) take(items[position_]);
        log_.append(rows_);
        log_.quarantine(quarantine_, context_.now);
        result_.last_seq = next_seq_ - 1;
        if (!rows_.empty()) log_.set_last_seq(result_.last_seq);
        record(first_seq);
        return std::move(result_);
    }

private:
    // Looks up, before the ordered pass, what the database already knows about the batch:
    // which event ids are logged, which players exist, the lifecycles' current statuses.
    void prepare(const std::vector<InputItem>& items, std::int64_t first_seq) {
        std::vector<std::string_view> ids;
        std::vector<std::string_view> unknown_players;
        std::vector<LoggedEvent> lifecycle_probes;
        records_.assign(items.size(), nullptr);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const InputItem& item = items[i];
            if (!item.parsed.ok()) continue;
            const Event& e = item.parsed.event();
            ids.push_back(e.event_id);
            records_[i] = context_.store.record_of(e.player_id);
            if (records_[i] == nullptr) unknown_players.push_back(e.player_id);
            if (has_lifecycle(e.type())) {
                LoggedEvent probe;
                probe.type = e.type();
                probe.ref = e.type() == EventType::kDeposit
                                ? std::get<Deposit>(e.payload).transaction_id
                                : std::get<Withdrawal>(e.payload).transaction_id;
                lifecycle_probes.push_back(std::move(probe));
            }
        }
        for (auto& id : log_.existing_event_ids(ids)) logged_ids_.insert(std::move(id));
        for (auto& known : profiles_.find(unknown_players)) {
            context_.store.add_player(known.id.value(), PlayerIdentity{known.id, known.external_id,
                                                                       Currency::of(known.currency),
                                                                       context_.base_currency});
        }
        std::vector<const LoggedEvent*> probes;
        for (const auto& p : lifecycle_probes) probes.push_back(&p);
        lifecycles_.prefetch(log_, probes, first_seq);
        create_new_players(items);
        if (!unknown_players.empty()) resolve_unknown_players(items);
    }

    // Finds the records of the players that were unknown before prepare looked them up or
    // created them. A player created by a later item is still unknown at this position.
    void resolve_unknown_players(const std::vector<InputItem>& items) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (records_[i] != nullptr || !items[i].parsed.ok()) continue;
            const std::string& player_id = items[i].parsed.event().player_id;
            auto created = created_at_.find(player_id);
            if (created != created_at_.end() && created->second > i) continue;
            records_[i] = context_.store.record_of(player_id);
        }
    }

    // Creates, in one bulk write, the players whose first valid registration is in this batch.
    // Each becomes visible at its registration's position: earlier events of that player are
    // still "unknown player", exactly as if the batch ran one event at a time.
    void create_new_players(const std::vector<InputItem>& items) {
        std::vector<players::NewPlayer> planned;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (!items[i].parsed.ok()) continue;
            const Event& e = items[i].parsed.event();
            const auto* r = std::get_if<Registration>(&e.payload);
            if (r == nullptr || logged_ids_.count(e.event_id) > 0) continue;
            if (records_[i] != nullptr || created_at_.count(e.player_id) > 0) continue;
            try {
                planned.push_back(profiles_.validate(new_player_from(e, *r)));
                created_at_.emplace(e.player_id, i);
            } catch (const ValidationError&) {
                // quarantined at its turn, with this reason
            }
        }
        if (planned.empty()) return;
        for (const auto& created : profiles_.create_many(planned)) {
            context_.store.add_player(
                created.id.value(),
                PlayerIdentity{created.id, created.external_id, Currency::of(created.currency),
                               context_.base_currency});
            created_ids_.push_back(created.id.value());
        }
    }

    void take(const InputItem& item) {
        if (!item.parsed.ok()) {
            const Rejection& r = item.parsed.rejection();
            reject(item.raw, event_id_of_rejected(item.raw), r.field, r.reason);
            return;
        }
        const Event& event = item.parsed.event();
        const bool logged = !logged_ids_.empty() && logged_ids_.count(event.event_id) > 0;
        if (logged || !seen_ids_.insert(event.event_id).second) {
            ++result_.counts.duplicate;
            return;
        }
        try {
            accept(event, item.raw);
        } catch (const ValidationError& e) {
            seen_ids_.erase(event.event_id);
            const std::string field = e.field() == "registered_at" ? "occurred_at" : e.field();
            std::string reason = e.what();
            if (field != e.field()) reason = field + reason.substr(e.field().size());
            reject(item.raw, event.event_id, field, reason);
        }
    }

    void accept(const Event& event, std::string_view raw) {
        PlayerRecord& player = player_for(event);
        LogRow row;
        LoggedEvent& e = row.event;
        e.player_key = player.who.player_id.value();
        e.type = event.type();
        e.occurred_at = event.occurred_at;
        e.event_id = event.event_id;
        if (const auto amount = describe(event, row)) convert(*amount, player.who, row);
        if (e.type == EventType::kRegistration) row.detail = storable(raw);
        if (has_lifecycle(e.type)) check_lifecycle_owner(e);
        e.seq = next_seq_++;
        LoggedEvent previous;
        const LoggedEvent* prior = lifecycles_.previous_then_record(e, previous);
        apply(player, e, prior);
        context_.store.mark_dirty(player);
        result_.players.push_back(player.who.player_id);
        ++result_.counts.accepted;
        rows_.push_back(std::move(row));
    }

    // Past validation nothing may refuse the event any more: an aggregate overflowing 64-bit
    // minor units stops the batch instead of quarantining a valid event.
    static void apply(PlayerRecord& player, const LoggedEvent& e, const LoggedEvent* prior) {
        try {
            player.state.apply(e, prior);
        } catch (const ValidationError& overflow) {
            throw IntegrityError("aggregates of player " + player.who.player_id.to_string() +
                                 " cannot take event '" + e.event_id.substr(0, 64) +
                                 "': " + overflow.what());
        }
    }

    // The working record of the event's player (a registration updates a known profile; the
    // one that created a profile in this batch is accepted as it is).
    PlayerRecord& player_for(const Event& event) {
        PlayerRecord* known = records_[position_];
        const auto* r = std::get_if<Registration>(&event.payload);
        if (r != nullptr && known != nullptr) {
            auto created = created_at_.find(event.player_id);
            if (created != created_at_.end() && created->second == position_) return *known;
        }
        if (known == nullptr && r != nullptr) {
            // Not created in bulk: its profile is invalid, and this says why.
            (void)profiles_.validate(new_player_from(event, *r));
            throw ValidationError("player_id",
                                  "cannot create player '" + event.player_id.substr(0, 64) + "'");
        }
        if (known == nullptr) {
            throw ValidationError("player_id", "unknown player '" + event.player_id.substr(0, 64) +
                                                   "' (no registration event yet)");
        }
        if (r != nullptr && profiles_.update(known->who.player_id, new_player_from(event, *r))) {
            ++players_updated_;
        }
        return *known;
    }

    void convert(const Money& amount, const PlayerIdentity& who, LogRow& row) {
        LoggedEvent& e = row.event;
        row.amount_minor = amount.minor_units();
        row.currency = std::string(amount.currency().code());
        auto in = [&](Currency to) {
            const auto converted = fx_.convert(amount, to, e.occurred_at);
            if (!converted) {
                const Currency missing =
                    fx_.rate_at(amount.currency(), e.occurred_at) ? to : amount.currency();
                throw ValidationError("currency",
                                      "no exchange rate for " + std::string(missing.code()) +
                                          " valid at " + format_timestamp(e.occurred_at) +
                                          " (base currency " +
                                          std::string(context_.base_currency.code()) + ")");
            }
            return *converted;
        };
        e.player_minor = in(who.player_currency);
        e.base_minor = in(context_.base_currency);
    }

    void check_lifecycle_owner(const LoggedEvent& e) {
        const LoggedEvent* current = lifecycles_.current(TransactionKey{e.type, e.ref});
        if (current && current->player_key != e.player_key) {
            throw ValidationError("transaction_id",
                                  "'" + e.ref.substr(0, 64) + "' belongs to another player");
        }
    }

    void reject(std::string_view raw, std::optional<std::string> event_id, std::string field,
                std::string reason) {
        ++result_.counts.quarantined;
        quarantine_.push_back({std::move(event_id), std::move(field), std::move(reason),
                               storable_raw_.emplace_back(storable(raw))});
    }

    // The batch's audit entry and outbox event (a batch of duplicates only changes nothing).
    void record(std::int64_t first_seq) {
        const IngestCounts& counts = result_.counts;
        if (counts.accepted == 0 && counts.quarantined == 0) return;
        Json summary = to_json(counts);
        if (counts.accepted > 0) {
            summary["first_seq"] = first_seq;
            summary["last_seq"] = result_.last_seq;
        }
        summary["players_created"] = created_ids_.size();
        if (!created_ids_.empty()) summary["created_player_ids"] = created_ids_;
        summary["players_updated"] = players_updated_;
        const std::string target = counts.accepted > 0 ? "event_log:" + std::to_string(first_seq) +
                                                             "-" + std::to_string(result_.last_seq)
                                                       : std::string("event_quarantine");
        context_.audit.append(tx_, context_.actor, {"events.ingested", target, nullptr, summary});
        context_.outbox.add(tx_, "events.ingested", target, summary);
    }

    storage::Transaction& tx_;
    const BatchContext& context_;
    EventLog log_;
    players::PlatformProfiles profiles_;
    FxTable fx_;
    LifecycleTracker lifecycles_;
    std::unordered_set<std::string> logged_ids_;
    std::unordered_set<std::string_view> seen_ids_;
    std::vector<LogRow> rows_;
    std::vector<QuarantineRow> quarantine_;
    std::deque<std::string> storable_raw_;
    std::unordered_map<std::string, std::size_t> created_at_;  // player -> creating item
    std::vector<PlayerRecord*> records_;  // each item's player at its position, or nullptr
    std::size_t position_ = 0;
    std::int64_t next_seq_ = 1;
    std::vector<std::int64_t> created_ids_;
    std::int64_t players_updated_ = 0;
    BatchResult result_;
};

}  // namespace

BatchResult ingest_batch(storage::Transaction& tx, const BatchContext& context,
                         const std::vector<InputItem>& items) {
    return BatchRun(tx, context).run(items);
}

}  // namespace pitboss::events::detail
