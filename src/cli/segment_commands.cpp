// Commands of the segments module: evaluate a rule, and create, list, show, refresh, delete
// named segments and list their members.

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

#include "cli/commands.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/segments/segments.hpp"

namespace pitboss::cli {
namespace {

constexpr std::int64_t kDefaultMembersPage = 1000;
constexpr std::int64_t kMaxMembersPage = 10'000;

// Player ids (internal, decimal), one per line; blank lines and '#' comments skipped.
std::vector<PlayerId> read_player_ids(std::istream& in, const std::string& source) {
    std::vector<PlayerId> ids;
    std::string line;
    std::int64_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        const auto start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#') continue;
        const auto end = line.find_last_not_of(" \t\r") + 1;
        std::int64_t value = 0;
        const char* first = line.data() + start;
        const char* last = line.data() + end;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        if (ec != std::errc() || ptr != last || value < 1) {
            throw ValidationError(source, "line " + std::to_string(number) +
                                              " is not a player id (a positive integer)");
        }
        ids.emplace_back(value);
    }
    return ids;
}

std::vector<PlayerId> player_ids_from(const Invocation& call, const std::string& source) {
    if (source == "-") return read_player_ids(call.in, source);
    std::ifstream file(source);
    if (!file) throw ValidationError(source, "cannot read the file");
    return read_player_ids(file, source);
}

Fields segment_fields(const segments::Segment& s) {
    Fields fields{{"name", s.name},
                  {"id", s.id.to_string()},
                  {"kind", std::string(segments::to_string(s.kind))}};
    if (s.rule) fields.emplace_back("rule", *s.rule);
    if (s.kind == segments::SegmentKind::kAbSplit) {
        fields.emplace_back("buckets", std::to_string(s.buckets));
        fields.emplace_back("parent", or_dash(s.parent));
    }
    if (!s.description.empty()) fields.emplace_back("description", s.description);
    fields.emplace_back("size", std::to_string(s.size));
    fields.emplace_back("created", format_timestamp(s.created_at) + " by " + s.created_by);
    fields.emplace_back("refreshed_at",
                        s.refreshed_at ? format_timestamp(*s.refreshed_at) : std::string("-"));
    return fields;
}

}  // namespace

int run_segment_eval(const Invocation& call) {
    const std::string& rule = call.arguments.at(0);
    const bool with_ids = call.args.has("ids");
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const std::vector<PlayerId> ids = bo.segments().evaluate(actor, rule);
    if (call.json) {
        Json shown{{"count", ids.size()}};
        if (with_ids) {
            Json list = Json::array();
            for (const PlayerId id : ids) list.push_back(id.value());
            shown["player_ids"] = std::move(list);
        }
        call.out << shown.dump() << '\n';
        return kExitOk;
    }
    call.out << ids.size() << '\n';
    if (with_ids) {
        for (const PlayerId id : ids) call.out << id.value() << '\n';
    }
    return kExitOk;
}

int run_segment_create(const Invocation& call) {
    const std::string& name = call.arguments.at(0);
    const auto rule = call.args.value("rule");
    const auto members = call.args.value("members");
    const auto buckets = call.args.value("buckets");
    const int kinds = (rule ? 1 : 0) + (members ? 1 : 0) + (buckets ? 1 : 0);
    if (kinds != 1) {
        throw UsageError("give exactly one of --rule, --members or --buckets");
    }
    if (call.args.has("parent") && !buckets) throw UsageError("--parent needs --buckets");
    const std::string description = call.args.value("description").value_or("");
    segments::NewSegment input;
    if (rule) {
        input = segments::NewSegment::dynamic(name, *rule, description);
    } else if (members) {
        input =
            segments::NewSegment::static_list(name, player_ids_from(call, *members), description);
    } else {
        const auto n = static_cast<int>(integer_option("buckets", *buckets, 2, 100));
        input = segments::NewSegment::ab_split(name, n, call.args.value("parent"), description);
    }
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const segments::Segment created = bo.segments().create(actor, input);
    if (call.json) {
        call.out << segments::to_json(created).dump() << '\n';
    } else {
        print_fields(call.out, segment_fields(created));
    }
    return kExitOk;
}

int run_segment_list(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto all = bo.segments().list(actor);
    if (call.json) {
        Json list = Json::array();
        for (const auto& s : all) list.push_back(segments::to_json(s));
        call.out << list.dump() << '\n';
        return kExitOk;
    }
    if (all.empty()) {
        call.out << "no segments\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : all) {
        std::string definition;
        if (s.rule) {
            definition = *s.rule;
        } else if (s.kind == segments::SegmentKind::kAbSplit) {
            definition = std::to_string(s.buckets) + " buckets of " + s.parent.value_or("all");
        } else {
            definition = "list";
        }
        rows.push_back(
            {s.name, std::string(segments::to_string(s.kind)), std::to_string(s.size), definition});
    }
    print_table(call.out, {"NAME", "KIND", "SIZE", "DEFINITION"}, rows);
    return kExitOk;
}

int run_segment_show(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto segment = bo.segments().get(actor, call.arguments.at(0));
    if (call.json) {
        call.out << segments::to_json(segment).dump() << '\n';
    } else {
        print_fields(call.out, segment_fields(segment));
    }
    return kExitOk;
}

int run_segment_members(const Invocation& call) {
    const std::string& name = call.arguments.at(0);
    std::int64_t after = 0;
    std::int64_t limit = kDefaultMembersPage;
    if (auto text = call.args.value("after")) {
        after = integer_option("after", *text, 0, std::numeric_limits<std::int64_t>::max());
    }
    if (auto text = call.args.value("limit")) {
        limit = integer_option("limit", *text, 1, kMaxMembersPage);
    }
    std::optional<Timestamp> on;
    if (auto text = call.args.value("at")) on = timestamp_option("at", *text);
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    if (on) {
        const auto ids = bo.segments().members_on(actor, name, *on);
        if (call.json) {
            Json list = Json::array();
            for (const PlayerId id : ids) list.push_back(id.value());
            call.out << Json{{"at", format_timestamp(*on)}, {"player_ids", list}}.dump() << '\n';
        } else {
            for (const PlayerId id : ids) call.out << id.value() << '\n';
        }
        return kExitOk;
    }
    const auto page =
        bo.segments().members(actor, name, PlayerId(after), static_cast<std::size_t>(limit));
    if (call.json) {
        Json list = Json::array();
        for (const auto& m : page) {
            list.push_back(Json{{"player_id", m.player_id.value()},
                                {"bucket", m.bucket},
                                {"entered_at", format_timestamp(m.entered_at)}});
        }
        call.out << list.dump() << '\n';
        return kExitOk;
    }
    if (page.empty()) {
        call.out << "no members\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : page) {
        rows.push_back(
            {m.player_id.to_string(), std::to_string(m.bucket), format_timestamp(m.entered_at)});
    }
    print_table(call.out, {"PLAYER_ID", "BUCKET", "ENTERED_AT"}, rows);
    if (static_cast<std::int64_t>(page.size()) == limit) {
        call.out << "more: pitboss segment members " << name << " --after "
                 << page.back().player_id.value() << '\n';
    }
    return kExitOk;
}

int run_segment_refresh(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto result = bo.segments().refresh(actor, call.arguments.at(0));
    if (call.json) {
        call.out << segments::to_json(result).dump() << '\n';
    } else {
        print_fields(call.out, {{"entered", std::to_string(result.entered)},
                                {"exited", std::to_string(result.exited)},
                                {"size", std::to_string(result.size)}});
    }
    return kExitOk;
}

int run_segment_delete(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    bo.segments().remove(actor, call.arguments.at(0));
    if (call.json) {
        call.out << Json{{"deleted", call.arguments.at(0)}}.dump() << '\n';
    } else {
        call.out << "deleted segment " << call.arguments.at(0) << '\n';
    }
    return kExitOk;
}

}  // namespace pitboss::cli
