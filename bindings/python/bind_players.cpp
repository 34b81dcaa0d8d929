// players: the master profile service. Inputs come as dicts / keyword arguments, profiles go out
// as Player objects, dicts, or columns (for pandas).

#include <pybind11/operators.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/players/player.hpp"
#include "pitboss/players/player_service.hpp"

namespace pitboss::python {

namespace {

using players::Consents;
using players::NewPlayer;
using players::Player;
using players::PlayerFilter;
using players::PlayerService;
using players::PlayerStatus;
using players::PlayerUpdate;
using Release = py::call_guard<py::gil_scoped_release>;

// --- inputs ---------------------------------------------------------------------------------

std::optional<std::string> to_optional_string(py::handle value, std::string_view field) {
    if (value.is_none()) return std::nullopt;
    return to_string(value, field);
}

// For the nullable fields of an update: None (or "") clears the value.
std::string to_clearable_string(py::handle value, std::string_view field) {
    return value.is_none() ? std::string() : to_string(value, field);
}

Consents to_consents(py::handle value) {
    if (py::isinstance<Consents>(value)) return value.cast<Consents>();
    if (!py::isinstance<py::dict>(value)) {
        throw py::type_error("consents: expected Consents or a dict of channel to bool");
    }
    const std::map<std::string, bool Consents::*> channels = {{"email", &Consents::email},
                                                              {"sms", &Consents::sms},
                                                              {"push", &Consents::push},
                                                              {"messenger", &Consents::messenger}};
    Consents consents;
    for (auto [key, flag] : py::reinterpret_borrow<py::dict>(value)) {
        const std::string channel = to_string(key, "consents key");
        const auto it = channels.find(channel);
        if (it == channels.end()) {
            throw ValidationError("consents." + channel, "unknown channel");
        }
        consents.*(it->second) = to_bool(flag, "consents." + channel);
    }
    return consents;
}

PlayerStatus to_status(py::handle value) {
    if (py::isinstance<PlayerStatus>(value)) return value.cast<PlayerStatus>();
    return players::parse_player_status(to_string(value, "status"));
}

// Applies dict items to a record through a table of named setters; an unknown name is a
// TypeError, like an unexpected keyword argument.
template <class Record>
using Setters = std::map<std::string_view, std::function<void(Record&, py::handle)>>;

template <class Record>
void apply(Record& record, const Setters<Record>& setters, py::handle items, const char* call) {
    for (auto [key, value] : py::reinterpret_borrow<py::dict>(items)) {
        const std::string name = to_string(key, "field name");
        const auto it = setters.find(name);
        if (it == setters.end()) {
            throw py::type_error(std::string(call) + "() got an unexpected field '" + name + "'");
        }
        it->second(record, value);
    }
}

const Setters<NewPlayer>& new_player_setters() {
    static const Setters<NewPlayer> setters = {
        {"external_id",
         [](NewPlayer& p, py::handle v) { p.external_id = to_string(v, "external_id"); }},
        {"brand", [](NewPlayer& p, py::handle v) { p.brand = to_string(v, "brand"); }},
        {"email", [](NewPlayer& p, py::handle v) { p.email = to_optional_string(v, "email"); }},
        {"phone", [](NewPlayer& p, py::handle v) { p.phone = to_optional_string(v, "phone"); }},
        {"country", [](NewPlayer& p, py::handle v) { p.country = to_string(v, "country"); }},
        {"birth_date", [](NewPlayer& p, py::handle v) { p.birth_date = to_date(v, "birth_date"); }},
        {"currency", [](NewPlayer& p, py::handle v) { p.currency = to_string(v, "currency"); }},
        {"language", [](NewPlayer& p, py::handle v) { p.language = to_string(v, "language"); }},
        {"traffic_source",
         [](NewPlayer& p, py::handle v) {
             p.traffic_source = to_optional_string(v, "traffic_source");
         }},
        {"affiliate_id",
         [](NewPlayer& p, py::handle v) {
             p.affiliate_id = to_optional_string(v, "affiliate_id");
         }},
        {"registered_at",
         [](NewPlayer& p, py::handle v) {
             p.registered_at = to_optional_timestamp(v, "registered_at");
         }},
        {"consents", [](NewPlayer& p, py::handle v) { p.consents = to_consents(v); }},
        {"tags", [](NewPlayer& p, py::handle v) { p.tags = to_strings(v, "tags"); }},
    };
    return setters;
}

const Setters<PlayerUpdate>& update_setters() {
    static const Setters<PlayerUpdate> setters = {
        {"email", [](PlayerUpdate& u, py::handle v) { u.email = to_clearable_string(v, "email"); }},
        {"phone", [](PlayerUpdate& u, py::handle v) { u.phone = to_clearable_string(v, "phone"); }},
        {"country", [](PlayerUpdate& u, py::handle v) { u.country = to_string(v, "country"); }},
        {"birth_date",
         [](PlayerUpdate& u, py::handle v) { u.birth_date = to_date(v, "birth_date"); }},
        {"language", [](PlayerUpdate& u, py::handle v) { u.language = to_string(v, "language"); }},
        {"traffic_source",
         [](PlayerUpdate& u, py::handle v) {
             u.traffic_source = to_clearable_string(v, "traffic_source");
         }},
        {"affiliate_id",
         [](PlayerUpdate& u, py::handle v) {
             u.affiliate_id = to_clearable_string(v, "affiliate_id");
         }},
        {"consents", [](PlayerUpdate& u, py::handle v) { u.consents = to_consents(v); }},
        {"tags", [](PlayerUpdate& u, py::handle v) { u.tags = to_strings(v, "tags"); }},
        {"expected_version",
         [](PlayerUpdate& u, py::handle v) { u.expected_version = to_int(v, "expected_version"); }},
    };
    return setters;
}

NewPlayer to_new_player(py::handle data, const py::kwargs& fields) {
    NewPlayer input;
    if (!data.is_none()) {
        if (!py::isinstance<py::dict>(data)) {
            throw py::type_error("register_player: data must be a dict of profile fields");
        }
        apply(input, new_player_setters(), data, "register_player");
    }
    apply(input, new_player_setters(), fields, "register_player");
    return input;
}

PlayerFilter to_filter(py::handle country, py::handle brand, py::handle status, py::handle tag,
                       std::int64_t after, std::int64_t limit) {
    PlayerFilter filter;
    filter.country = to_optional_string(country, "country");
    filter.brand = to_optional_string(brand, "brand");
    if (!status.is_none()) filter.status = to_status(status);
    filter.tag = to_optional_string(tag, "tag");
    filter.after = PlayerId(after);
    filter.limit = limit < 0 ? 0 : static_cast<std::size_t>(limit);  // 0 fails validation
    return filter;
}

// --- outputs --------------------------------------------------------------------------------

py::object optional_text(const std::optional<std::string>& text) {
    return text ? py::object(py::str(*text)) : py::object(py::none());
}

py::list to_list(const std::vector<std::string>& items) {
    py::list list;
    for (const std::string& item : items) list.append(item);
    return list;
}

using Column = std::pair<const char*, std::function<py::object(const Player&)>>;

// Every profile field except consents, in the order of Player.to_dict() and DataFrame columns.
const std::vector<Column>& profile_columns() {
    static const std::vector<Column> columns = {
        {"id", [](const Player& p) { return py::int_(p.id.value()); }},
        {"external_id", [](const Player& p) { return py::str(p.external_id); }},
        {"brand", [](const Player& p) { return py::str(p.brand); }},
        {"email", [](const Player& p) { return optional_text(p.email); }},
        {"phone", [](const Player& p) { return optional_text(p.phone); }},
        {"country", [](const Player& p) { return py::str(p.country); }},
        {"birth_date", [](const Player& p) { return from_date(p.birth_date); }},
        {"currency", [](const Player& p) { return py::str(p.currency); }},
        {"language", [](const Player& p) { return py::str(p.language); }},
        {"traffic_source", [](const Player& p) { return optional_text(p.traffic_source); }},
        {"affiliate_id", [](const Player& p) { return optional_text(p.affiliate_id); }},
        {"registered_at", [](const Player& p) { return from_timestamp(p.registered_at); }},
        {"status", [](const Player& p) { return py::str(std::string(to_string(p.status))); }},
        {"tags", [](const Player& p) { return py::object(to_list(p.tags)); }},
        {"updated_at", [](const Player& p) { return from_timestamp(p.updated_at); }},
        {"version", [](const Player& p) { return py::int_(p.version); }},
    };
    return columns;
}

using ConsentColumn = std::pair<const char*, bool Consents::*>;
constexpr std::array<ConsentColumn, 4> kConsentColumns = {{{"email", &Consents::email},
                                                           {"sms", &Consents::sms},
                                                           {"push", &Consents::push},
                                                           {"messenger", &Consents::messenger}}};

py::dict consents_to_dict(const Consents& c) {
    py::dict d;
    for (const auto& [name, flag] : kConsentColumns) d[name] = c.*flag;
    return d;
}

py::dict player_to_dict(const Player& p) {
    py::dict d;
    for (const auto& [name, get] : profile_columns()) d[name] = get(p);
    d["consents"] = consents_to_dict(p.consents);
    return d;
}

// Profiles as one list per column (consents flattened to consent_<channel>), for DataFrames.
py::dict players_to_columns(const std::vector<Player>& page) {
    py::dict columns;
    for (const auto& [name, get] : profile_columns()) {
        py::list values;
        for (const Player& p : page) values.append(get(p));
        columns[name] = values;
    }
    for (const auto& [name, flag] : kConsentColumns) {
        py::list values;
        for (const Player& p : page) values.append(py::bool_(p.consents.*flag));
        columns[py::str(std::string("consent_") + name)] = values;
    }
    return columns;
}

std::string player_repr(const Player& p) {
    return "Player(id=" + p.id.to_string() + ", external_id='" + p.external_id +
           "', status=" + std::string(to_string(p.status)) + ")";
}

// --- service --------------------------------------------------------------------------------

Player register_player(PlayerService& s, const Actor& actor, py::handle data,
                       const py::kwargs& fields) {
    const NewPlayer input = to_new_player(data, fields);
    py::gil_scoped_release release;
    return s.register_player(actor, input);
}

Player update_player(PlayerService& s, const Actor& actor, std::int64_t id,
                     const py::kwargs& changes) {
    PlayerUpdate update;
    apply(update, update_setters(), changes, "update_player");
    py::gil_scoped_release release;
    return s.update_player(actor, PlayerId(id), update);
}

Player set_status(PlayerService& s, const Actor& actor, std::int64_t id, py::handle status,
                  std::string_view reason) {
    const PlayerStatus parsed = to_status(status);
    py::gil_scoped_release release;
    return s.set_status(actor, PlayerId(id), parsed, reason);
}

std::vector<Player> list_page(const PlayerService& s, const Actor& actor, py::handle country,
                              py::handle brand, py::handle status, py::handle tag,
                              std::int64_t after, std::int64_t limit) {
    const PlayerFilter filter = to_filter(country, brand, status, tag, after, limit);
    py::gil_scoped_release release;
    return s.list_players(actor, filter);
}

py::dict list_columns(const PlayerService& s, const Actor& actor, py::handle country,
                      py::handle brand, py::handle status, py::handle tag, std::int64_t after,
                      std::int64_t limit) {
    return players_to_columns(list_page(s, actor, country, brand, status, tag, after, limit));
}

py::object frame(const py::object& self, const py::object& actor, const py::kwargs& filter) {
    return py::module_::import("pitboss._pandas").attr("players_frame")(self, actor, **filter);
}

void bind_values(py::module_& m) {
    py::enum_<PlayerStatus>(m, "PlayerStatus", "Lifecycle of an account.")
        .value("active", PlayerStatus::kActive)
        .value("blocked", PlayerStatus::kBlocked)
        .value("self_excluded", PlayerStatus::kSelfExcluded)
        .value("closed", PlayerStatus::kClosed);

    py::class_<Consents>(m, "Consents", "Marketing consent per channel; absent is no consent.")
        .def(py::init([](bool email, bool sms, bool push, bool messenger) {
                 return Consents{email, sms, push, messenger};
             }),
             py::kw_only(), py::arg("email") = false, py::arg("sms") = false,
             py::arg("push") = false, py::arg("messenger") = false)
        .def_readwrite("email", &Consents::email)
        .def_readwrite("sms", &Consents::sms)
        .def_readwrite("push", &Consents::push)
        .def_readwrite("messenger", &Consents::messenger)
        .def("to_dict", &consents_to_dict)
        .def(py::self == py::self)
        .def("__repr__", [](const Consents& c) {
            return "Consents(" + py::repr(consents_to_dict(c)).cast<std::string>() + ")";
        });

    py::class_<Player>(m, "Player", "A stored master profile (a snapshot; read-only).")
        .def_property_readonly("id", [](const Player& p) { return p.id.value(); })
        .def_readonly("external_id", &Player::external_id)
        .def_readonly("brand", &Player::brand)
        .def_readonly("email", &Player::email)
        .def_readonly("phone", &Player::phone)
        .def_readonly("country", &Player::country)
        .def_readonly("birth_date", &Player::birth_date)
        .def_readonly("currency", &Player::currency)
        .def_readonly("language", &Player::language)
        .def_readonly("traffic_source", &Player::traffic_source)
        .def_readonly("affiliate_id", &Player::affiliate_id)
        .def_readonly("registered_at", &Player::registered_at)
        .def_readonly("consents", &Player::consents)
        .def_readonly("status", &Player::status)
        .def_readonly("tags", &Player::tags)
        .def_readonly("updated_at", &Player::updated_at)
        .def_readonly("version", &Player::version)
        .def("to_dict", &player_to_dict, "The profile as a dict of plain Python values.")
        .def("__repr__", &player_repr);
}

void bind_service(py::module_& m) {
    py::class_<PlayerService>(m, "PlayerService", "The player master-profile service (bo.players).")
        .def("register_player", &register_player, py::arg("actor"), py::arg("data") = py::none(),
             "Creates a profile from a dict and/or keyword fields (external_id, country, "
             "birth_date, currency, email, phone, brand, language, traffic_source, "
             "affiliate_id, registered_at, consents, tags).")
        .def("update_player", &update_player, py::arg("actor"), py::arg("player_id"),
             "Changes the given fields; None clears email, phone, traffic_source and "
             "affiliate_id; consents replaces all four channels.")
        .def("set_status", &set_status, py::arg("actor"), py::arg("player_id"), py::arg("status"),
             py::arg("reason"))
        .def(
            "get_player",
            [](const PlayerService& s, const Actor& actor, std::int64_t id) {
                return s.get_player(actor, PlayerId(id));
            },
            py::arg("actor"), py::arg("player_id"), Release())
        .def("get_by_external_id", &PlayerService::get_by_external_id, py::arg("actor"),
             py::arg("external_id"), Release())
        .def("find_by_external_id", &PlayerService::find_by_external_id, py::arg("actor"),
             py::arg("external_id"), Release())
        .def("list_players", &list_page, py::arg("actor"), py::kw_only(),
             py::arg("country") = py::none(), py::arg("brand") = py::none(),
             py::arg("status") = py::none(), py::arg("tag") = py::none(), py::arg("after") = 0,
             py::arg("limit") = 100, "A page of profiles ordered by id, ids greater than `after`.")
        .def("list_columns", &list_columns, py::arg("actor"), py::kw_only(),
             py::arg("country") = py::none(), py::arg("brand") = py::none(),
             py::arg("status") = py::none(), py::arg("tag") = py::none(), py::arg("after") = 0,
             py::arg("limit") = 100,
             "Same page as list_players, as a dict of column name to list of values.")
        .def("count_players", &PlayerService::count_players, py::arg("actor"), Release())
        .def("frame", &frame, py::arg("actor"),
             "Every matching profile as a pandas.DataFrame (country, brand, status, tag, "
             "limit, page_size).");
}

}  // namespace

void bind_players(py::module_& m) {
    bind_values(m);
    bind_service(m);
}

}  // namespace pitboss::python
