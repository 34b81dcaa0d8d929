// Backoffice: pitboss.open() and the facade's services as properties.

#include <memory>
#include <string>

#include "bind.hpp"
#include "convert.hpp"
#include "events_service.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/identity.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/backoffice.hpp"
#include "pitboss/helpdesk/helpdesk.hpp"
#include "pitboss/helpdesk/knowledge_base.hpp"
#include "pitboss/players/player_service.hpp"
#include "pitboss/segments/segments.hpp"

namespace pitboss::python {

namespace {

// The Python clock object the back office reads. It is kept alive as long as the back office,
// so `bo.clock` always returns this very object, which can be shared with another open().
py::object clock_object(py::handle now, const py::object& clock) {
    if (!now.is_none()) {
        if (!clock.is_none()) throw py::value_error("open(): pass either now= or clock=, not both");
        return py::cast(std::make_shared<ManualClock>(to_timestamp(now, "now")));
    }
    if (clock.is_none()) return py::cast(std::make_shared<SystemClock>());
    if (!py::isinstance<Clock>(clock)) throw py::type_error("clock: expected a pitboss.Clock");
    return clock;
}

py::object open_backoffice(const std::string& url, py::handle now, const py::object& clock,
                           std::string base_currency, bool apply_migrations) {
    py::object clock_owner = clock_object(now, clock);
    Options options;
    options.clock = clock_owner.cast<std::shared_ptr<Clock>>();
    options.base_currency = std::move(base_currency);
    options.apply_migrations = apply_migrations;
    std::unique_ptr<Backoffice> bo;
    {
        py::gil_scoped_release release;
        bo = std::make_unique<Backoffice>(pitboss::open(url, std::move(options)));
    }
    py::object result = py::cast(std::move(bo));
    py::detail::keep_alive_impl(result, clock_owner);
    return result;
}

std::string backend_name(Backoffice& bo) {
    return bo.database().backend() == storage::Backend::kSqlite ? "sqlite" : "postgresql";
}

}  // namespace

void bind_backoffice(py::module_& m) {
    const auto internal = py::return_value_policy::reference_internal;
    py::class_<Backoffice>(m, "Backoffice",
                           "One back office over one database; hands out the services.")
        .def_property_readonly("players", &Backoffice::players, internal)
        .def_property_readonly("audit", &Backoffice::audit, internal)
        .def_property_readonly("helpdesk", &Backoffice::helpdesk, internal)
        .def_property_readonly("knowledge_base", &Backoffice::knowledge_base, internal,
                               "Help-desk knowledge base: articles, versions, search, FAQ.")
        .def_property_readonly("access", &Backoffice::access, internal)
        .def_property_readonly("segments", &Backoffice::segments, internal,
                               "Segment rules, named segments and membership.")
        .def_property_readonly("identity", &Backoffice::identity, internal)
        .def_property_readonly(
            "events", [](Backoffice& bo) { return EventsService(bo); }, py::keep_alive<0, 1>(),
            "Platform event ingestion and per-player aggregates.")
        .def_property_readonly("clock", &Backoffice::clock, internal,
                               "The clock every rule reads (a ManualClock when opened with now=).")
        .def_property_readonly("base_currency", &Backoffice::base_currency)
        .def_property_readonly(
            "url", [](Backoffice& bo) { return bo.database().redacted_url(); },
            "The database URL without its password.")
        .def_property_readonly("backend", &backend_name, "'sqlite' or 'postgresql'.")
        .def("migrate", &Backoffice::migrate, py::call_guard<py::gil_scoped_release>(),
             "Applies pending schema migrations; returns how many ran.")
        .def("__repr__",
             [](Backoffice& bo) { return "Backoffice('" + bo.database().redacted_url() + "')"; });

    m.def("open", &open_backoffice, py::arg("url"), py::kw_only(), py::arg("now") = py::none(),
          py::arg("clock") = py::none(), py::arg("base_currency") = "EUR",
          py::arg("apply_migrations") = true,
          "Opens the database at `url` ('sqlite:///path.db', 'sqlite::memory:', "
          "'postgresql://...') and returns its back office. `now` (datetime or RFC 3339 text) "
          "starts a ManualClock there; `clock` injects any Clock.");
}

}  // namespace pitboss::python
