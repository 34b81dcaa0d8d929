#include "cli/commands.hpp"

#include <algorithm>
#include <charconv>
#include <iomanip>
#include <memory>
#include <utility>

#include "cli/format.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/events/ingestor.hpp"
#include "pitboss/players/player_service.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::cli {
namespace {

using players::Player;

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text.empty() ? "-" : text;
}

std::string consents_text(const players::Consents& c) {
    std::vector<std::string> given;
    if (c.email) given.emplace_back("email");
    if (c.sms) given.emplace_back("sms");
    if (c.push) given.emplace_back("push");
    if (c.messenger) given.emplace_back("messenger");
    return given.empty() ? "none" : joined(given);
}

Fields player_fields(const Player& p) {
    return {
        {"id", p.id.to_string()},
        {"external_id", p.external_id},
        {"brand", p.brand},
        {"status", std::string(to_string(p.status))},
        {"email", or_dash(p.email)},
        {"phone", or_dash(p.phone)},
        {"country", p.country},
        {"birth_date", format_date(p.birth_date)},
        {"currency", p.currency},
        {"language", p.language},
        {"traffic_source", or_dash(p.traffic_source)},
        {"affiliate_id", or_dash(p.affiliate_id)},
        {"registered_at", format_timestamp(p.registered_at)},
        {"consents", consents_text(p.consents)},
        {"tags", joined(p.tags)},
        {"updated_at", format_timestamp(p.updated_at)},
        {"version", std::to_string(p.version)},
    };
}

// "#42" names the internal id; anything else is the platform's external id.
Player find_player(Backoffice& bo, const Actor& actor, const std::string& id) {
    if (id.size() > 1 && id[0] == '#') {
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(id.data() + 1, id.data() + id.size(), value);
        if (error != std::errc{} || end != id.data() + id.size() || value < 1) {
            throw UsageError("player show: '" + id + "' is not an internal id (#<n>)");
        }
        return bo.players().get_player(actor, PlayerId(value));
    }
    return bo.players().get_by_external_id(actor, id);
}

}  // namespace

Options Invocation::open_options() const {
    Options options;
    if (now) options.clock = std::make_shared<ManualClock>(*now);
    return options;
}

Backoffice Invocation::open_backoffice() const { return open(db_url, open_options()); }

int run_init(const Invocation& call) {
    auto db = storage::Database::open(call.db_url);
    const auto migrations = all_migrations();
    const int applied = storage::apply_migrations(*db, migrations);
    const auto versions = storage::schema_versions(*db);
    if (call.json) {
        Json schema = Json::object();
        for (const auto& [module, version] : versions) schema[module] = version;
        call.out << Json{{"database", db->redacted_url()}, {"applied", applied}, {"schema", schema}}
                        .dump()
                 << '\n';
        return kExitOk;
    }
    call.out << "database: " << db->redacted_url() << '\n'
             << "applied " << applied << (applied == 1 ? " migration" : " migrations") << '\n'
             << "schema versions:\n";
    for (const auto& [module, version] : versions) {
        call.out << "  " << std::left << std::setw(12) << module << version << '\n';
    }
    return kExitOk;
}

int run_player_show(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const Player player = find_player(bo, actor, call.arguments.at(0));
    const events::Aggregates figures = bo.events().aggregates(actor, player.id);
    if (call.json) {
        Json shown = to_json(player);
        shown["aggregates"] = events::to_json(figures);
        call.out << shown.dump(2) << '\n';
        return kExitOk;
    }
    Fields rows = player_fields(player);
    const Fields key_figures = aggregate_fields(figures);
    rows.insert(rows.end(), key_figures.begin(), key_figures.end());
    print_fields(call.out, rows);
    return kExitOk;
}

int run_audit_verify(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const audit::VerifyReport report = bo.audit().verify();
    if (call.json) {
        Json j{{"ok", report.ok}, {"entries_checked", report.entries_checked}};
        j["first_broken_seq"] = report.first_broken_seq ? Json(*report.first_broken_seq) : Json();
        j["problem"] = report.problem;
        call.out << j.dump() << '\n';
    } else if (report.ok) {
        call.out << "ok: " << report.entries_checked << " entries\n";
    } else {
        call.out << "broken at seq " << report.first_broken_seq.value_or(0) << ": "
                 << report.problem << '\n';
    }
    return report.ok ? kExitOk : kExitIntegrity;
}

int run_audit_export(const Invocation& call) {
    audit::TimeRange range;
    if (auto from = call.args.value("from")) range.from = timestamp_option("from", *from);
    if (auto to = call.args.value("to")) range.to = timestamp_option("to", *to);
    if (range.from && range.to && *range.from > *range.to) {
        throw UsageError("--from: must not be after --to");
    }
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    bo.audit().export_jsonl(actor, call.out, range);
    return kExitOk;
}

}  // namespace pitboss::cli
