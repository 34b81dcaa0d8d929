// segments: rule evaluation (player ids as numpy arrays, fields as numpy columns for pandas),
// named segments and their membership (bo.segments).

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/segments/segments.hpp"

namespace pitboss::python {

namespace {

using segments::FieldType;
using segments::FieldValue;
using segments::Segment;
using segments::SegmentService;

template <class Value, class Fill>
py::array_t<Value> numpy_column(std::size_t rows, Fill fill) {
    py::array_t<Value> column(static_cast<py::ssize_t>(rows));
    Value* data = column.mutable_data();
    for (std::size_t i = 0; i < rows; ++i) data[i] = fill(i);
    return column;
}

py::array_t<std::int64_t> id_array(const std::vector<PlayerId>& ids) {
    return numpy_column<std::int64_t>(ids.size(), [&](std::size_t i) { return ids[i].value(); });
}

std::vector<std::string> to_fields(const py::handle& fields) {
    if (py::isinstance<py::str>(fields)) throw py::type_error("fields: expected a list of str");
    std::vector<std::string> out;
    for (py::handle f : fields) out.push_back(to_string(f, "fields"));
    return out;
}

// One field's values as numpy (or a list for text): integers and money as int64 (money in base
// minor units), nullable integers as (values, missing), scores as float64, booleans as bool,
// times as int64 milliseconds with INT64_MIN for null (NaT).
py::object column_of(const std::vector<FieldValue>& values, const segments::FieldInfo& info) {
    const std::size_t n = values.size();
    auto integer = [&](std::size_t i) {
        const auto* v = std::get_if<std::int64_t>(&values[i]);
        return v ? *v : std::int64_t{0};
    };
    switch (info.type) {
        case FieldType::kInteger:
        case FieldType::kMoney:
            if (info.nullable) {
                return py::make_tuple(numpy_column<std::int64_t>(n, integer),
                                      numpy_column<bool>(n, [&](std::size_t i) {
                                          return std::holds_alternative<std::monostate>(values[i]);
                                      }));
            }
            return numpy_column<std::int64_t>(n, integer);
        case FieldType::kScore:
            return numpy_column<double>(n, [&](std::size_t i) {
                const auto* v = std::get_if<double>(&values[i]);
                return v ? *v : std::numeric_limits<double>::quiet_NaN();
            });
        case FieldType::kBoolean:
            return numpy_column<bool>(n, [&](std::size_t i) {
                const auto* v = std::get_if<bool>(&values[i]);
                return v != nullptr && *v;
            });
        case FieldType::kTimestamp:
            return numpy_column<std::int64_t>(n, [&](std::size_t i) {
                const auto* v = std::get_if<Timestamp>(&values[i]);
                return v ? to_unix_millis(*v) : std::numeric_limits<std::int64_t>::min();
            });
        case FieldType::kString:
            break;
    }
    py::list texts;
    for (const FieldValue& v : values) {
        const auto* text = std::get_if<std::string>(&v);
        texts.append(text ? py::object(py::str(*text)) : py::object(py::none()));
    }
    return texts;
}

py::dict frame_columns(SegmentService& s, const Actor& actor, const std::string& rule,
                       const py::handle& fields, const py::object& limit) {
    const std::vector<std::string> names = to_fields(fields);
    segments::SegmentFrame frame;
    {
        std::optional<std::size_t> n;
        if (!limit.is_none()) {
            const std::int64_t value = to_int(limit, "limit");
            n = value < 0 ? 0 : static_cast<std::size_t>(value);  // 0 is refused
        }
        py::gil_scoped_release release;
        frame = n ? s.preview(actor, rule, names, *n) : s.frame(actor, rule, names);
    }
    py::dict columns;
    columns["player_id"] = id_array(frame.player_ids);
    py::dict types;
    for (std::size_t f = 0; f < names.size(); ++f) {
        const segments::FieldInfo* info = segments::find_field(names[f]);
        types[py::str(names[f])] = std::string(segments::to_string(info->type));
        columns[py::str(names[f])] = column_of(frame.columns[f], *info);
    }
    columns["__types__"] = types;
    return columns;
}

py::object frame(const py::object& self, const py::object& actor, const py::object& rule,
                 const py::object& fields, const py::object& limit) {
    return py::module_::import("pitboss._pandas")
        .attr("segment_frame")(self, actor, rule, fields, limit);
}

Segment create(SegmentService& s, const Actor& actor, const std::string& name,
               const py::object& rule, const py::object& player_ids, const py::object& buckets,
               const py::object& parent, const std::string& description) {
    const int given =
        (rule.is_none() ? 0 : 1) + (player_ids.is_none() ? 0 : 1) + (buckets.is_none() ? 0 : 1);
    if (given != 1) {
        throw ValidationError("kind", "give exactly one of rule, player_ids or buckets");
    }
    segments::NewSegment input;
    if (!rule.is_none()) {
        input = segments::NewSegment::dynamic(name, to_string(rule, "rule"), description);
    } else if (!player_ids.is_none()) {
        std::vector<PlayerId> ids;
        for (py::handle id : player_ids) ids.emplace_back(to_int(id, "player_ids"));
        input = segments::NewSegment::static_list(name, std::move(ids), description);
    } else {
        const std::int64_t n = to_int(buckets, "buckets");
        if (n < 2 || n > 100) throw ValidationError("buckets", "must be 2-100");
        std::optional<std::string> parent_name;
        if (!parent.is_none()) parent_name = to_string(parent, "parent");
        input = segments::NewSegment::ab_split(name, static_cast<int>(n), parent_name, description);
    }
    if (!parent.is_none() && buckets.is_none()) {
        throw ValidationError("parent", "only an A/B split (buckets) has a parent");
    }
    py::gil_scoped_release release;
    return s.create(actor, input);
}

py::list members(SegmentService& s, const Actor& actor, const std::string& name, std::int64_t after,
                 std::int64_t limit) {
    std::vector<segments::SegmentMember> page;
    {
        const std::size_t n = limit < 0 ? 0 : static_cast<std::size_t>(limit);
        py::gil_scoped_release release;
        page = s.members(actor, name, PlayerId(after), n);
    }
    py::list out;
    for (const auto& m : page) {
        py::dict d;
        d["player_id"] = m.player_id.value();
        d["bucket"] = m.bucket;
        d["entered_at"] = from_timestamp(m.entered_at);
        out.append(d);
    }
    return out;
}

py::dict segment_to_dict(const Segment& s) {
    py::dict d;
    d["id"] = s.id.value();
    d["name"] = s.name;
    d["kind"] = std::string(segments::to_string(s.kind));
    d["description"] = s.description;
    d["rule"] = s.rule ? py::object(py::str(*s.rule)) : py::object(py::none());
    d["buckets"] = s.buckets;
    d["parent"] = s.parent ? py::object(py::str(*s.parent)) : py::object(py::none());
    d["created_by"] = s.created_by;
    d["created_at"] = from_timestamp(s.created_at);
    d["refreshed_at"] = s.refreshed_at ? from_timestamp(*s.refreshed_at) : py::object(py::none());
    d["size"] = s.size;
    return d;
}

py::dict refresh_to_dict(const segments::RefreshResult& r) {
    py::dict d;
    d["entered"] = r.entered;
    d["exited"] = r.exited;
    d["size"] = r.size;
    return d;
}

}  // namespace

void bind_segments(py::module_& m) {
    using Release = py::call_guard<py::gil_scoped_release>;
    py::class_<Segment>(m, "Segment", "A stored named segment (dynamic, static or ab_split).")
        .def_property_readonly("id", [](const Segment& s) { return s.id.value(); })
        .def_readonly("name", &Segment::name)
        .def_property_readonly(
            "kind", [](const Segment& s) { return std::string(segments::to_string(s.kind)); })
        .def_readonly("description", &Segment::description)
        .def_readonly("rule", &Segment::rule, "The rule text of a dynamic segment, else None.")
        .def_readonly("buckets", &Segment::buckets, "Buckets of an A/B split, else 0.")
        .def_readonly("parent", &Segment::parent, "The split's parent segment, or None.")
        .def_readonly("created_by", &Segment::created_by)
        .def_readonly("created_at", &Segment::created_at)
        .def_readonly("refreshed_at", &Segment::refreshed_at)
        .def_readonly("size", &Segment::size, "Current number of members.")
        .def("to_dict", &segment_to_dict)
        .def("__repr__", [](const Segment& s) {
            return "Segment('" + s.name + "', kind='" + std::string(segments::to_string(s.kind)) +
                   "', size=" + std::to_string(s.size) + ")";
        });

    py::class_<SegmentService>(m, "SegmentService",
                               "Rules over every player, named segments and membership "
                               "(bo.segments).")
        .def(
            "evaluate",
            [](SegmentService& s, const Actor& actor, const std::string& rule) {
                std::vector<PlayerId> ids;
                {
                    py::gil_scoped_release release;
                    ids = s.evaluate(actor, rule);
                }
                return id_array(ids);
            },
            py::arg("actor"), py::arg("rule"),
            "The internal ids of the players `rule` matches now, ascending, as a numpy int64 "
            "array. Needs segments.read.")
        .def("count", &SegmentService::count, py::arg("actor"), py::arg("rule"), Release(),
             "How many players `rule` matches now.")
        .def("columns", &frame_columns, py::arg("actor"), py::arg("rule"), py::arg("fields"),
             py::arg("limit") = py::none(),
             "The matching players' fields as numpy columns, for frame().")
        .def("frame", &frame, py::arg("actor"), py::arg("rule"), py::arg("fields"),
             py::arg("limit") = py::none(),
             "The matching players (at most `limit`, by id) with `fields` as a "
             "pandas.DataFrame. Needs segments.read and players.read.")
        .def("create", &create, py::arg("actor"), py::arg("name"), py::kw_only(),
             py::arg("rule") = py::none(), py::arg("player_ids") = py::none(),
             py::arg("buckets") = py::none(), py::arg("parent") = py::none(),
             py::arg("description") = "",
             "Creates a dynamic (rule=), static (player_ids=) or A/B split (buckets=, "
             "parent=) segment and its first membership. Needs segments.write.")
        .def("list", &SegmentService::list, py::arg("actor"), Release(),
             "Every named segment with its size, by id.")
        .def("get", &SegmentService::get, py::arg("actor"), py::arg("name"), Release(),
             "One named segment; NotFoundError when absent.")
        .def("remove", &SegmentService::remove, py::arg("actor"), py::arg("name"), Release(),
             "Deletes a segment with its membership and history.")
        .def("members", &members, py::arg("actor"), py::arg("name"), py::arg("after") = 0,
             py::arg("limit") = 1000,
             "Current members with ids above `after` as dicts {player_id, bucket, entered_at}.")
        .def(
            "members_on",
            [](SegmentService& s, const Actor& actor, const std::string& name, py::handle at) {
                const Timestamp when = to_timestamp(at, "at");
                std::vector<PlayerId> ids;
                {
                    py::gil_scoped_release release;
                    ids = s.members_on(actor, name, when);
                }
                return id_array(ids);
            },
            py::arg("actor"), py::arg("name"), py::arg("at"),
            "The member ids at instant `at` (from the entered/exited history), as numpy.")
        .def(
            "refresh",
            [](SegmentService& s, const Actor& actor, const std::string& name) {
                segments::RefreshResult r;
                {
                    py::gil_scoped_release release;
                    r = s.refresh(actor, name);
                }
                return refresh_to_dict(r);
            },
            py::arg("actor"), py::arg("name"),
            "Re-evaluates a segment now; returns {entered, exited, size}.");
}

}  // namespace pitboss::python
