// core: the error hierarchy, Money and Currency, clocks and actors.

#include <pybind11/operators.h>

#include <functional>
#include <memory>
#include <string>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/core/money.hpp"

namespace pitboss::python {

namespace {

// The Python classes of the error hierarchy; created once, alive as long as the interpreter.
struct ErrorTypes {
    py::handle error, validation, not_found, conflict, access_denied, precondition, integrity,
        storage, unavailable;
};

ErrorTypes& error_types() {
    static ErrorTypes types;
    return types;
}

// Creates `pitboss.<name>` deriving from `bases` with class-level defaults for the attributes
// every instance carries.
py::handle add_error_type(py::module_& m, const char* name, py::handle bases, const char* doc,
                          ErrorCode code) {
    const std::string qualified = std::string("pitboss.") + name;
    PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
    if (type == nullptr) throw py::error_already_set();
    py::handle handle(type);
    handle.attr("code") = std::string(to_string(code));
    handle.attr("retryable") = code == ErrorCode::kUnavailable;
    m.add_object(name, handle);
    return handle;
}

void add_error_types(py::module_& m) {
    ErrorTypes& t = error_types();
    const auto with = [](py::handle a, PyObject* b) { return py::make_tuple(a, py::handle(b)); };
    t.error = add_error_type(m, "Error", PyExc_Exception,
                             "Root of every pitboss error; `code` names the kind of failure.",
                             ErrorCode::kInternal);
    t.validation = add_error_type(m, "ValidationError", with(t.error, PyExc_ValueError),
                                  "Input that breaks a rule; `field` names the offending field.",
                                  ErrorCode::kInvalidArgument);
    t.validation.attr("field") = py::none();
    t.not_found = add_error_type(m, "NotFoundError", with(t.error, PyExc_LookupError),
                                 "The requested entity does not exist.", ErrorCode::kNotFound);
    t.conflict =
        add_error_type(m, "ConflictError", t.error,
                       "The change collides with existing state (duplicate, stale version).",
                       ErrorCode::kConflict);
    t.access_denied = add_error_type(m, "AccessDenied", with(t.error, PyExc_PermissionError),
                                     "The actor lacks the permission or a condition failed.",
                                     ErrorCode::kPermissionDenied);
    t.precondition = add_error_type(m, "PreconditionError", t.error,
                                    "The current state does not allow the operation.",
                                    ErrorCode::kFailedPrecondition);
    t.integrity = add_error_type(m, "IntegrityError", t.error,
                                 "Stored data fails an integrity check.", ErrorCode::kIntegrity);
    t.storage = add_error_type(m, "StorageError", t.error, "A database operation failed.",
                               ErrorCode::kStorage);
    t.unavailable = add_error_type(m, "UnavailableError", with(t.error, PyExc_ConnectionError),
                                   "A backend service cannot be reached; usually retryable.",
                                   ErrorCode::kUnavailable);
}

// Raises `type(message)` carrying the code and retryability of `e`; returns the instance so the
// caller can add attributes first.
py::object make_exception(py::handle type, const Error& e) {
    py::object exc = type(e.what());
    exc.attr("code") = std::string(to_string(e.code()));
    exc.attr("retryable") = e.retryable();
    return exc;
}

void raise(py::handle type, const py::object& exc) { PyErr_SetObject(type.ptr(), exc.ptr()); }

void raise(py::handle type, const Error& e) { raise(type, make_exception(type, e)); }

// pybind11 passes translators the exception_ptr by value.
void translate_errors(std::exception_ptr pending) {  // NOLINT(performance-unnecessary-value-param)
    if (!pending) return;
    const ErrorTypes& t = error_types();
    try {
        std::rethrow_exception(pending);
    } catch (const ValidationError& e) {
        py::object exc = make_exception(t.validation, e);
        exc.attr("field") = e.field();
        raise(t.validation, exc);
    } catch (const NotFoundError& e) {
        raise(t.not_found, e);
    } catch (const ConflictError& e) {
        raise(t.conflict, e);
    } catch (const AccessDenied& e) {
        raise(t.access_denied, e);
    } catch (const PreconditionError& e) {
        raise(t.precondition, e);
    } catch (const IntegrityError& e) {
        raise(t.integrity, e);
    } catch (const StorageError& e) {
        raise(t.storage, e);
    } catch (const UnavailableError& e) {
        raise(t.unavailable, e);
    } catch (const Error& e) {
        raise(t.error, e);
    }
}

void bind_currency(py::module_& m) {
    py::class_<Currency>(m, "Currency", "An ISO-4217 currency with its number of minor digits.")
        .def(py::init([](std::string_view code) { return Currency::of(code); }), py::arg("code"))
        .def_static("of", &Currency::of, py::arg("code"), py::arg("field") = "currency",
                    "Looks up a code; ValidationError naming `field` when unknown.")
        .def_static("is_known", &Currency::is_known, py::arg("code"))
        .def_property_readonly("code", [](const Currency& c) { return std::string(c.code()); })
        .def_property_readonly("minor_digits", &Currency::minor_digits)
        .def(py::self == py::self)
        .def("__hash__", [](const Currency& c) { return py::hash(py::str(std::string(c.code()))); })
        .def("__str__", [](const Currency& c) { return std::string(c.code()); })
        .def("__repr__",
             [](const Currency& c) { return "Currency('" + std::string(c.code()) + "')"; });
}

void bind_money(py::module_& m) {
    py::class_<Money>(m, "Money",
                      "An amount in integer minor units of one currency; never a float.")
        .def(py::init<std::int64_t, Currency>(), py::arg("minor_units"), py::arg("currency"))
        .def(py::init([](std::int64_t minor, std::string_view code) {
                 return Money(minor, Currency::of(code));
             }),
             py::arg("minor_units"), py::arg("currency"))
        .def_static("parse", &Money::parse, py::arg("text"), py::arg("currency"),
                    py::arg("field") = "amount", "Parses a decimal string exactly, e.g. \"12.34\".")
        .def_static(
            "parse",
            [](std::string_view text, std::string_view code, std::string_view field) {
                return Money::parse(text, Currency::of(code), field);
            },
            py::arg("text"), py::arg("currency"), py::arg("field") = "amount")
        .def_static("zero", &Money::zero, py::arg("currency"))
        .def_static(
            "zero", [](std::string_view code) { return Money::zero(Currency::of(code)); },
            py::arg("currency"))
        .def_property_readonly("minor_units", &Money::minor_units)
        .def_property_readonly("currency", &Money::currency)
        .def("to_decimal_string", &Money::to_decimal_string)
        .def("to_string", &Money::to_string)
        .def("is_negative", &Money::is_negative)
        .def("is_zero", &Money::is_zero)
        .def("times", &Money::times, py::arg("factor"))
        .def(-py::self)
        .def(py::self + py::self)
        .def(py::self - py::self)
        .def("__mul__", &Money::times, py::is_operator())
        .def("__rmul__", &Money::times, py::is_operator())
        .def(py::self == py::self)
        .def(py::self < py::self)
        .def(py::self <= py::self)
        .def(py::self > py::self)
        .def(py::self >= py::self)
        .def("__hash__",
             [](const Money& a) {
                 return py::hash(py::make_tuple(a.minor_units(), std::string(a.currency().code())));
             })
        .def("__str__", &Money::to_string)
        .def("__repr__", [](const Money& a) {
            return "Money('" + a.to_decimal_string() + "', '" + std::string(a.currency().code()) +
                   "')";
        });
}

void bind_clocks(py::module_& m) {
    py::class_<Clock, std::shared_ptr<Clock>>(m, "Clock", "Source of the current UTC time.")
        .def("now", &Clock::now, "The current time, a timezone-aware datetime in UTC.");
    py::class_<SystemClock, Clock, std::shared_ptr<SystemClock>>(m, "SystemClock",
                                                                 "The machine's real-time clock.")
        .def(py::init<>());
    py::class_<ManualClock, Clock, std::shared_ptr<ManualClock>>(
        m, "ManualClock", "A clock that moves only when told (tests, simulations, what-if).")
        .def(py::init([](py::handle start) {
                 return std::make_shared<ManualClock>(to_timestamp(start, "start"));
             }),
             py::arg("start"))
        .def(
            "set", [](ManualClock& c, py::handle t) { c.set(to_timestamp(t, "t")); }, py::arg("t"),
            "Jumps to `t` (may go backwards).")
        .def(
            "advance", [](ManualClock& c, py::handle d) { c.advance(to_duration(d, "delta")); },
            py::arg("delta"), "Moves forward by a timedelta.");
}

void bind_actors(py::module_& m) {
    py::enum_<ActorKind>(m, "ActorKind", "A person at the back office or an automated process.")
        .value("operator", ActorKind::kOperator)
        .value("system", ActorKind::kSystem);
    py::class_<Actor>(m, "Actor", "The identity a call runs as; obtained from bo.access.")
        .def_property_readonly("id", [](const Actor& a) { return a.id().value(); })
        .def_property_readonly("kind", &Actor::kind)
        .def_property_readonly("name", &Actor::name)
        .def("label", &Actor::label, "How the audit log names the actor, e.g. 'system:bootstrap'.")
        .def("__repr__", [](const Actor& a) { return "Actor('" + a.label() + "')"; });
}

}  // namespace

void bind_core(py::module_& m) {
    add_error_types(m);
    py::register_exception_translator(&translate_errors);
    bind_currency(m);
    bind_money(m);
    bind_clocks(m);
    bind_actors(m);
}

}  // namespace pitboss::python
