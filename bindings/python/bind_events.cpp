// events: platform event ingestion, per-player aggregates (dicts, or numpy columns for pandas),
// the quarantine and exchange rates.

#include <pybind11/numpy.h>

#include <cstdint>
#include <exception>
#include <istream>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bind.hpp"
#include "convert.hpp"
#include "events_service.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/events/aggregates.hpp"
#include "pitboss/events/ingestor.hpp"

namespace pitboss::python {

namespace {

using events::Aggregates;
using events::FxRate;
using events::IngestCounts;
using events::QuarantinedEvent;

// --- inputs ---------------------------------------------------------------------------------

// One event dict as JSON text. Besides JSON values, a datetime becomes RFC 3339 text, a date
// "YYYY-MM-DD" and a decimal.Decimal its exact text, so Python values need no formatting.
std::string event_text(py::handle event, std::size_t index, const py::handle& decimal_type) {
    const std::string where = "events[" + std::to_string(index) + "]";
    if (py::isinstance<py::str>(event)) return event.cast<std::string>();
    if (!py::isinstance<py::dict>(event)) {
        throw py::type_error(where + ": expected a dict or a JSON str");
    }
    Json json = Json::object();
    for (auto [key, value] : py::reinterpret_borrow<py::dict>(event)) {
        const std::string name = to_string(key, where + " key");
        if (is_datetime(value)) {
            json[name] = format_timestamp(to_timestamp(value, where + "." + name));
        } else if (is_date(value)) {
            json[name] = format_date(to_date(value, where + "." + name));
        } else if (py::isinstance(value, decimal_type)) {
            json[name] = py::str(value).cast<std::string>();
        } else {
            try {
                json[name] = to_json(value);
            } catch (const py::type_error& e) {
                throw py::type_error(where + "." + name + ": " + e.what());
            }
        }
    }
    return json.dump();
}

std::vector<std::string> event_texts(const py::object& events) {
    const py::object decimal_type = py::module_::import("decimal").attr("Decimal");
    std::vector<std::string> texts;
    if (py::isinstance<py::dict>(events)) {
        texts.push_back(event_text(events, 0, decimal_type));
        return texts;
    }
    if (!py::isinstance<py::iterable>(events) || py::isinstance<py::bytes>(events)) {
        throw py::type_error(
            "events: expected a path, an open file, a dict or an iterable of dicts or JSON str");
    }
    for (py::handle event : events) texts.push_back(event_text(event, texts.size(), decimal_type));
    return texts;
}

std::string rate_text(py::handle rate) {
    if (py::isinstance<py::str>(rate)) return rate.cast<std::string>();
    if (PyLong_Check(rate.ptr()) && !PyBool_Check(rate.ptr())) return py::str(rate);
    if (py::isinstance(rate, py::module_::import("decimal").attr("Decimal"))) return py::str(rate);
    throw py::type_error("rate: expected a str, an int or a decimal.Decimal (floats are inexact)");
}

std::vector<PlayerId> to_player_ids(py::handle ids) {
    std::vector<PlayerId> out;
    for (py::handle id : ids) out.emplace_back(to_int(id, "player_ids"));
    return out;
}

// --- ingestion ------------------------------------------------------------------------------

IngestCounts ingest_file(const EventsService& s, const Actor& actor, const py::object& path) {
    // Opening it in Python first raises the usual OSError subclasses (FileNotFoundError, ...).
    open_file(path, "rb").attr("close")();
    const std::string name = py::module_::import("os").attr("fspath")(path).cast<std::string>();
    py::gil_scoped_release release;
    return s.ingestor().ingest_file(actor, name);
}

IngestCounts ingest_open_file(const EventsService& s, const Actor& actor, const py::object& file) {
    PyFileReader reader(file);
    std::istream in(&reader);
    IngestCounts counts;
    std::exception_ptr failure;
    {
        py::gil_scoped_release release;
        try {
            counts = s.ingestor().ingest_stream(actor, in);
        } catch (...) {
            failure = std::current_exception();
        }
    }
    reader.check();  // a Python error raised by read() is the cause of any failure: it wins
    if (failure) std::rethrow_exception(failure);
    return counts;
}

IngestCounts ingest(const EventsService& s, const Actor& actor, const py::object& events) {
    if (is_path(events)) return ingest_file(s, actor, events);
    if (py::hasattr(events, "read")) return ingest_open_file(s, actor, events);
    const std::vector<std::string> texts = event_texts(events);
    py::gil_scoped_release release;
    return s.ingestor().ingest_batch(actor, texts);
}

IngestCounts ingest_jsonl(const EventsService& s, const Actor& actor, const std::string& text) {
    py::gil_scoped_release release;
    return s.ingestor().ingest_jsonl(actor, text);
}

// --- aggregates -----------------------------------------------------------------------------

py::object aggregates(const EventsService& s, const Actor& actor, std::int64_t player,
                      py::handle as_of) {
    const std::optional<Timestamp> at = to_optional_timestamp(as_of, "as_of");
    Json figures;
    {
        py::gil_scoped_release release;
        figures = events::to_json(at ? s.ingestor().aggregates_at(actor, PlayerId(player), *at)
                                     : s.ingestor().aggregates(actor, PlayerId(player)));
    }
    return from_json(figures);
}

using IntOf = std::int64_t (*)(const Aggregates&);
using TimeOf = std::optional<Timestamp> (*)(const Aggregates&);
using CountOf = std::optional<std::int64_t> (*)(const Aggregates&);

// The numeric columns of Ingestor.frame(): counts, and money in minor units of the player's
// currency ("_minor") and of the base currency ("_base_minor").
const std::vector<std::pair<const char*, IntOf>>& integer_columns() {
    // clang-format off
    static const std::vector<std::pair<const char*, IntOf>> columns = {
        {"player_id", [](const Aggregates& a) { return a.player_id.value(); }},
        {"deposit_count", [](const Aggregates& a) { return a.deposit_count; }},
        {"deposit_sum_minor", [](const Aggregates& a) { return a.deposit_sum.player.minor_units(); }},
        {"deposit_sum_base_minor", [](const Aggregates& a) { return a.deposit_sum.base.minor_units(); }},
        {"deposits_7d_count", [](const Aggregates& a) { return a.deposits_7d.count; }},
        {"deposits_7d_sum_minor", [](const Aggregates& a) { return a.deposits_7d.sum.player.minor_units(); }},
        {"deposits_7d_sum_base_minor", [](const Aggregates& a) { return a.deposits_7d.sum.base.minor_units(); }},
        {"deposits_30d_count", [](const Aggregates& a) { return a.deposits_30d.count; }},
        {"deposits_30d_sum_minor", [](const Aggregates& a) { return a.deposits_30d.sum.player.minor_units(); }},
        {"deposits_30d_sum_base_minor", [](const Aggregates& a) { return a.deposits_30d.sum.base.minor_units(); }},
        {"deposits_90d_count", [](const Aggregates& a) { return a.deposits_90d.count; }},
        {"deposits_90d_sum_minor", [](const Aggregates& a) { return a.deposits_90d.sum.player.minor_units(); }},
        {"deposits_90d_sum_base_minor", [](const Aggregates& a) { return a.deposits_90d.sum.base.minor_units(); }},
        {"withdrawal_count", [](const Aggregates& a) { return a.withdrawal_count; }},
        {"withdrawal_sum_minor", [](const Aggregates& a) { return a.withdrawal_sum.player.minor_units(); }},
        {"withdrawal_sum_base_minor", [](const Aggregates& a) { return a.withdrawal_sum.base.minor_units(); }},
        {"bet_count", [](const Aggregates& a) { return a.bet_count; }},
        {"bet_sum_minor", [](const Aggregates& a) { return a.bet_sum.player.minor_units(); }},
        {"bet_sum_base_minor", [](const Aggregates& a) { return a.bet_sum.base.minor_units(); }},
        {"win_sum_minor", [](const Aggregates& a) { return a.win_sum.player.minor_units(); }},
        {"win_sum_base_minor", [](const Aggregates& a) { return a.win_sum.base.minor_units(); }},
        {"ggr_minor", [](const Aggregates& a) { return a.ggr.player.minor_units(); }},
        {"ggr_base_minor", [](const Aggregates& a) { return a.ggr.base.minor_units(); }},
        {"bonus_sum_minor", [](const Aggregates& a) { return a.bonus_sum.player.minor_units(); }},
        {"bonus_sum_base_minor", [](const Aggregates& a) { return a.bonus_sum.base.minor_units(); }},
        {"bonus_cost_minor", [](const Aggregates& a) { return a.bonus_cost.player.minor_units(); }},
        {"bonus_cost_base_minor", [](const Aggregates& a) { return a.bonus_cost.base.minor_units(); }},
        {"ngr_minor", [](const Aggregates& a) { return a.ngr.player.minor_units(); }},
        {"ngr_base_minor", [](const Aggregates& a) { return a.ngr.base.minor_units(); }},
        {"login_count", [](const Aggregates& a) { return a.login_count; }},
        {"session_count", [](const Aggregates& a) { return a.session_count; }},
        {"session_duration_s", [](const Aggregates& a) { return std::int64_t{a.session_duration.count()}; }},
        {"active_days_30d", [](const Aggregates& a) { return std::int64_t{a.active_days_30d}; }},
    };
    // clang-format on
    return columns;
}

// Times as milliseconds since the epoch; INT64_MIN (NaT in numpy) when absent.
const std::vector<std::pair<const char*, TimeOf>>& time_columns() {
    static const std::vector<std::pair<const char*, TimeOf>> columns = {
        {"as_of", [](const Aggregates& a) { return std::optional<Timestamp>(a.as_of); }},
        {"first_deposit_at", [](const Aggregates& a) { return a.first_deposit_at; }},
        {"last_deposit_at", [](const Aggregates& a) { return a.last_deposit_at; }},
        {"last_login_at", [](const Aggregates& a) { return a.last_login_at; }},
        {"last_seen_at", [](const Aggregates& a) { return a.last_seen_at; }},
    };
    return columns;
}

// Whole numbers that may be absent: (values, mask) pairs for pandas' nullable Int64.
const std::vector<std::pair<const char*, CountOf>>& nullable_columns() {
    static const std::vector<std::pair<const char*, CountOf>> columns = {
        {"days_since_last_deposit", [](const Aggregates& a) { return a.days_since_last_deposit; }},
        {"days_since_last_login", [](const Aggregates& a) { return a.days_since_last_login; }},
    };
    return columns;
}

template <class Value, class Fill>
py::array_t<Value> numpy_column(std::size_t rows, Fill fill) {
    py::array_t<Value> column(static_cast<py::ssize_t>(rows));
    Value* data = column.mutable_data();
    for (std::size_t i = 0; i < rows; ++i) data[i] = fill(i);
    return column;
}

py::dict aggregates_to_columns(const std::vector<Aggregates>& all) {
    const std::size_t rows = all.size();
    py::dict columns;
    for (const auto& column : integer_columns()) {
        const IntOf get = column.second;
        columns[column.first] =
            numpy_column<std::int64_t>(rows, [&](std::size_t i) { return get(all[i]); });
    }
    for (const auto& column : time_columns()) {
        const TimeOf get = column.second;
        columns[column.first] = numpy_column<std::int64_t>(rows, [&](std::size_t i) {
            const auto t = get(all[i]);
            return t ? to_unix_millis(*t) : std::numeric_limits<std::int64_t>::min();
        });
    }
    for (const auto& column : nullable_columns()) {
        const CountOf get = column.second;
        columns[column.first] = py::make_tuple(
            numpy_column<std::int64_t>(rows,
                                       [&](std::size_t i) { return get(all[i]).value_or(0); }),
            numpy_column<bool>(rows, [&](std::size_t i) { return !get(all[i]).has_value(); }));
    }
    py::list external_ids, currencies, favourites;
    for (const Aggregates& a : all) {
        external_ids.append(a.external_id);
        currencies.append(std::string(a.deposit_sum.player.currency().code()));
        favourites.append(a.favourite_game_type ? py::object(py::str(*a.favourite_game_type))
                                                : py::object(py::none()));
    }
    columns["external_id"] = external_ids;
    columns["currency"] = currencies;
    columns["favourite_game_type"] = favourites;
    return columns;
}

py::dict aggregate_columns(const EventsService& s, const Actor& actor, py::handle player_ids,
                           py::handle as_of) {
    std::vector<PlayerId> ids;
    if (!player_ids.is_none()) {
        ids = to_player_ids(player_ids);
        if (ids.empty()) return aggregates_to_columns({});  // none asked for (empty means all)
    }
    const std::optional<Timestamp> at = to_optional_timestamp(as_of, "as_of");
    std::vector<Aggregates> all;
    {
        py::gil_scoped_release release;
        all = s.ingestor().aggregates_of(actor, ids, at.value_or(s.now()));
    }
    return aggregates_to_columns(all);
}

py::object frame(const py::object& self, const py::object& actor, const py::object& player_ids,
                 const py::object& as_of) {
    return py::module_::import("pitboss._pandas")
        .attr("aggregates_frame")(self, actor, player_ids, as_of);
}

// --- quarantine and exchange rates ------------------------------------------------------------

std::vector<QuarantinedEvent> quarantine(const EventsService& s, const Actor& actor,
                                         std::int64_t after, std::int64_t limit) {
    const std::size_t page = limit < 0 ? 0 : static_cast<std::size_t>(limit);  // 0 is refused
    py::gil_scoped_release release;
    return s.ingestor().quarantine(actor, after, page);
}

void set_fx_rate(const EventsService& s, const Actor& actor, const std::string& currency,
                 py::handle rate, py::handle valid_from) {
    const std::string text = rate_text(rate);
    const std::optional<Timestamp> from = to_optional_timestamp(valid_from, "valid_from");
    py::gil_scoped_release release;
    s.ingestor().set_fx_rate(actor, currency, text, from.value_or(s.now()));
}

py::dict counts_to_dict(const IngestCounts& c) {
    py::dict d;
    d["accepted"] = c.accepted;
    d["duplicate"] = c.duplicate;
    d["quarantined"] = c.quarantined;
    return d;
}

std::string counts_repr(const IngestCounts& c) {
    return "IngestCounts(accepted=" + std::to_string(c.accepted) +
           ", duplicate=" + std::to_string(c.duplicate) +
           ", quarantined=" + std::to_string(c.quarantined) + ")";
}

py::dict quarantined_to_dict(const QuarantinedEvent& q) {
    py::dict d;
    d["id"] = q.id;
    d["received_at"] = from_timestamp(q.received_at);
    d["event_id"] = q.event_id ? py::object(py::str(*q.event_id)) : py::object(py::none());
    d["field"] = q.field;
    d["reason"] = q.reason;
    d["raw"] = q.raw;
    return d;
}

py::dict rate_to_dict(const FxRate& r) {
    py::dict d;
    d["currency"] = r.currency;
    d["rate"] = r.rate;
    d["valid_from"] = from_timestamp(r.valid_from);
    return d;
}

void bind_values(py::module_& m) {
    py::class_<IngestCounts>(m, "IngestCounts",
                             "What one ingest call did with its events; every input line lands "
                             "in exactly one count.")
        .def(py::init([](std::int64_t accepted, std::int64_t duplicate, std::int64_t quarantined) {
                 return IngestCounts{accepted, duplicate, quarantined};
             }),
             py::kw_only(), py::arg("accepted") = 0, py::arg("duplicate") = 0,
             py::arg("quarantined") = 0)
        .def_readonly("accepted", &IngestCounts::accepted, "New events, now in the aggregates.")
        .def_readonly("duplicate", &IngestCounts::duplicate, "Event ids seen before (no-ops).")
        .def_readonly("quarantined", &IngestCounts::quarantined,
                      "Refused events, kept with their reason.")
        .def("to_dict", &counts_to_dict)
        .def(
            "__eq__",
            [](const IngestCounts& a, const py::object& b) {
                return py::isinstance<IngestCounts>(b) && a == b.cast<IngestCounts>();
            },
            py::is_operator())
        .def("__repr__", &counts_repr);

    py::class_<QuarantinedEvent>(m, "QuarantinedEvent",
                                 "A refused event, kept verbatim with the reason.")
        .def_readonly("id", &QuarantinedEvent::id)
        .def_readonly("received_at", &QuarantinedEvent::received_at)
        .def_readonly("event_id", &QuarantinedEvent::event_id)
        .def_readonly("field", &QuarantinedEvent::field)
        .def_readonly("reason", &QuarantinedEvent::reason)
        .def_readonly("raw", &QuarantinedEvent::raw)
        .def("to_dict", &quarantined_to_dict)
        .def("__repr__", [](const QuarantinedEvent& q) {
            return "QuarantinedEvent(id=" + std::to_string(q.id) + ", reason='" + q.reason + "')";
        });

    py::class_<FxRate>(m, "FxRate",
                       "Units of the base currency one unit of `currency` is worth, from "
                       "`valid_from` on.")
        .def_readonly("currency", &FxRate::currency)
        .def_readonly("rate", &FxRate::rate, "Exact decimal text, e.g. '1.0842'.")
        .def_readonly("valid_from", &FxRate::valid_from)
        .def("to_dict", &rate_to_dict)
        .def("__repr__", [](const FxRate& r) {
            return "FxRate('" + r.currency + "', '" + r.rate + "', " +
                   format_timestamp(r.valid_from) + ")";
        });
}

void bind_service(py::module_& m) {
    using Release = py::call_guard<py::gil_scoped_release>;
    py::class_<EventsService>(m, "Ingestor",
                              "Platform event ingestion and per-player aggregates (bo.events).")
        .def("ingest", &ingest, py::arg("actor"), py::arg("events"),
             "Ingests events from a path (str or os.PathLike) to a JSON Lines file, an open "
             "file, one event dict, or an iterable of event dicts or JSON str; returns the "
             "counts. Needs events.ingest.")
        .def("ingest_jsonl", &ingest_jsonl, py::arg("actor"), py::arg("text"),
             "Ingests JSON Lines text; returns the counts.")
        .def("aggregates", &aggregates, py::arg("actor"), py::arg("player_id"),
             py::arg("as_of") = py::none(),
             "One player's aggregates as a dict (the JSON form), as of `as_of` (default: the "
             "clock's now).")
        .def("aggregate_columns", &aggregate_columns, py::arg("actor"),
             py::arg("player_ids") = py::none(), py::arg("as_of") = py::none(),
             "Aggregates of many players (default: all) as numpy columns, for frame().")
        .def("frame", &frame, py::arg("actor"), py::arg("player_ids") = py::none(),
             py::arg("as_of") = py::none(),
             "Aggregates of many players (default: all) as a pandas.DataFrame, one row per "
             "player, money in integer minor units.")
        .def("quarantine", &quarantine, py::arg("actor"), py::arg("after") = 0,
             py::arg("limit") = 100, "Quarantined events numbered above `after`, oldest first.")
        .def(
            "quarantine_size",
            [](const EventsService& s, const Actor& actor) {
                return s.ingestor().quarantine_size(actor);
            },
            py::arg("actor"), Release())
        .def("set_fx_rate", &set_fx_rate, py::arg("actor"), py::arg("currency"), py::arg("rate"),
             py::arg("valid_from") = py::none(),
             "Sets the rate of `currency` (str or decimal.Decimal, never a float) from "
             "`valid_from` (default: now) on.")
        .def(
            "fx_rates",
            [](const EventsService& s, const Actor& actor) { return s.ingestor().fx_rates(actor); },
            py::arg("actor"), Release(), "Every stored rate, by currency then time.")
        .def(
            "checkpoint", [](const EventsService& s) { s.ingestor().checkpoint(); }, Release(),
            "Writes changed aggregates to the database now.")
        .def_property_readonly("base_currency",
                               [](const EventsService& s) { return s.ingestor().base_currency(); });
}

}  // namespace

void bind_events(py::module_& m) {
    bind_values(m);
    bind_service(m);
}

}  // namespace pitboss::python
