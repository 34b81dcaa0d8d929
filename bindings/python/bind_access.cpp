// access: actors, the deny-by-default check, and administration of operators and roles.

#include <string>
#include <string_view>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/permissions.hpp"

namespace pitboss::python {

namespace {

using access::AccessControl;
using access::Decision;
using access::Operator;
using access::OperatorStatus;
using access::Role;
using access::RoleAssignment;
using access::RolePermission;
using Release = py::call_guard<py::gil_scoped_release>;

void bind_records(py::module_& m) {
    py::enum_<OperatorStatus>(m, "OperatorStatus", "Whether an operator may act.")
        .value("active", OperatorStatus::kActive)
        .value("disabled", OperatorStatus::kDisabled);

    py::class_<Operator>(m, "Operator", "A back-office person or a system actor.")
        .def_property_readonly("id", [](const Operator& o) { return o.id.value(); })
        .def_readonly("name", &Operator::name)
        .def_readonly("display_name", &Operator::display_name)
        .def_readonly("kind", &Operator::kind)
        .def_readonly("status", &Operator::status)
        .def_readonly("created_at", &Operator::created_at)
        .def("__repr__", [](const Operator& o) {
            return "Operator(id=" + o.id.to_string() + ", name='" + o.name + "')";
        });

    py::class_<RolePermission>(m, "RolePermission", "A permission granted to a role.")
        .def_readonly("permission", &RolePermission::permission)
        .def_property_readonly(
            "condition", [](const RolePermission& p) { return from_json(p.condition.to_json()); },
            "The grant's ABAC condition in its dict form ({} when unconditional).");

    py::class_<Role>(m, "Role", "A named set of permissions.")
        .def_readonly("name", &Role::name)
        .def_readonly("description", &Role::description)
        .def_readonly("permissions", &Role::permissions)
        .def("__repr__", [](const Role& r) { return "Role('" + r.name + "')"; });

    py::class_<RoleAssignment>(m, "RoleAssignment", "A role held by an operator.")
        .def_property_readonly("operator_id",
                               [](const RoleAssignment& a) { return a.operator_id.value(); })
        .def_readonly("role", &RoleAssignment::role)
        .def_property_readonly(
            "scope", [](const RoleAssignment& a) { return from_json(a.scope.to_json()); },
            "The assignment's ABAC scope in its dict form ({} when unscoped).");

    py::class_<Decision>(m, "Decision", "The result of a check; true when allowed.")
        .def_readonly("allowed", &Decision::allowed)
        .def_readonly("reason", &Decision::reason)
        .def("__bool__", [](const Decision& d) { return d.allowed; })
        .def("__repr__", [](const Decision& d) {
            return std::string("Decision(allowed=") + (d.allowed ? "True" : "False") +
                   ", reason='" + d.reason + "')";
        });
}

Decision check(const AccessControl& ac, const Actor& actor, std::string_view permission,
               py::handle attrs) {
    return ac.check(actor, permission, to_attributes(attrs));
}

void require(const AccessControl& ac, const Actor& actor, std::string_view permission,
             py::handle attrs) {
    ac.require(actor, permission, to_attributes(attrs));
}

Operator create_operator(AccessControl& ac, const Actor& actor, std::string name,
                         std::string display_name, ActorKind kind) {
    const access::NewOperator input{std::move(name), std::move(display_name), kind};
    py::gil_scoped_release release;
    return ac.create_operator(actor, input);
}

void grant(AccessControl& ac, const Actor& actor, std::string_view role,
           std::string_view permission, py::handle condition) {
    const access::Condition parsed = to_condition(condition);
    py::gil_scoped_release release;
    ac.grant(actor, role, permission, parsed);
}

void assign_role(AccessControl& ac, const Actor& actor, std::int64_t operator_id,
                 std::string_view role, py::handle scope) {
    const access::Condition parsed = to_condition(scope);
    py::gil_scoped_release release;
    ac.assign_role(actor, OperatorId(operator_id), role, parsed);
}

void bind_actors(py::class_<AccessControl>& c) {
    c.def("system_actor", &AccessControl::system_actor, py::arg("name"), Release(),
          "The actor of a named system process, e.g. 'bootstrap'.")
        .def(
            "operator_actor",
            [](const AccessControl& ac, std::int64_t id) {
                return ac.operator_actor(OperatorId(id));
            },
            py::arg("operator_id"), Release(), "The actor of an operator, by id.")
        .def(
            "operator_actor",
            [](const AccessControl& ac, std::string_view name) { return ac.operator_actor(name); },
            py::arg("name"), Release(), "The actor of an operator, by login name.")
        .def("check", &check, py::arg("actor"), py::arg("permission"),
             py::arg("attrs") = py::none(),
             "Deny-by-default decision for `permission` on a resource with `attrs`.")
        .def("require", &require, py::arg("actor"), py::arg("permission"),
             py::arg("attrs") = py::none(), "Raises AccessDenied unless check() allows.");
}

void bind_administration(py::class_<AccessControl>& c) {
    c.def("create_operator", &create_operator, py::arg("actor"), py::arg("name"),
          py::arg("display_name") = "", py::arg("kind") = ActorKind::kOperator)
        .def(
            "set_operator_status",
            [](AccessControl& ac, const Actor& actor, std::int64_t id, OperatorStatus status) {
                ac.set_operator_status(actor, OperatorId(id), status);
            },
            py::arg("actor"), py::arg("operator_id"), py::arg("status"), Release())
        .def("create_role", &AccessControl::create_role, py::arg("actor"), py::arg("name"),
             py::arg("description") = "", Release())
        .def("grant", &grant, py::arg("actor"), py::arg("role"), py::arg("permission"),
             py::arg("condition") = py::none(),
             "Grants `permission` to `role`, optionally under an ABAC condition dict such as "
             "{'country': {'in': ['DE', 'AT']}}.")
        .def("revoke", &AccessControl::revoke, py::arg("actor"), py::arg("role"),
             py::arg("permission"), Release())
        .def("assign_role", &assign_role, py::arg("actor"), py::arg("operator_id"), py::arg("role"),
             py::arg("scope") = py::none(),
             "Gives an operator a role, optionally scoped by an ABAC condition dict.")
        .def(
            "unassign_role",
            [](AccessControl& ac, const Actor& actor, std::int64_t id, std::string_view role) {
                ac.unassign_role(actor, OperatorId(id), role);
            },
            py::arg("actor"), py::arg("operator_id"), py::arg("role"), Release())
        .def("list_operators", &AccessControl::list_operators, py::arg("actor"), Release())
        .def("list_roles", &AccessControl::list_roles, py::arg("actor"), Release())
        .def(
            "assignments",
            [](const AccessControl& ac, const Actor& actor, std::int64_t id) {
                return ac.assignments(actor, OperatorId(id));
            },
            py::arg("actor"), py::arg("operator_id"), Release())
        .def("reload", &AccessControl::reload, Release(),
             "Re-reads the policy from the database (after another process changed it).");
}

}  // namespace

void bind_access(py::module_& m) {
    bind_records(m);
    py::class_<AccessControl> c(m, "AccessControl",
                                "Operators, roles, permissions and ABAC conditions (bo.access).");
    bind_actors(c);
    bind_administration(c);

    py::tuple all(access::permission::kAll.size());
    for (std::size_t i = 0; i < access::permission::kAll.size(); ++i) {
        all[i] = std::string(access::permission::kAll[i]);
    }
    m.attr("ALL_PERMISSIONS") = all;
}

}  // namespace pitboss::python
