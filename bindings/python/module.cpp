// `pitboss._native`: the compiled half of the `pitboss` package. Everything public is re-exported
// by pitboss/__init__.py and described in pitboss/_native.pyi.

#include <pybind11/pybind11.h>

#include "bind.hpp"

PYBIND11_MODULE(_native, m) {
    m.doc() = "Native core of pitboss: casino back office and CRM (see the pitboss package).";
    m.attr("__version__") = PITBOSS_VERSION;
    pitboss::python::bind_core(m);
    pitboss::python::bind_audit(m);
    pitboss::python::bind_access(m);
    pitboss::python::bind_players(m);
    pitboss::python::bind_events(m);
    pitboss::python::bind_helpdesk(m);
    pitboss::python::bind_knowledge_base(m);
    pitboss::python::bind_segments(m);
    pitboss::python::bind_backoffice(m);
}
