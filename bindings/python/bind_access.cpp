// access: actors, the deny-by-default check, and administration of operators and roles.

#include <chrono>
#include <string>
#include <string_view>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/identity.hpp"
#include "pitboss/access/jwt.hpp"
#include "pitboss/access/oidc.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/access/totp.hpp"

namespace pitboss::python {

namespace {

using access::AccessControl;
using access::Decision;
using access::Identity;
using access::Operator;
using access::OperatorStatus;
using access::Role;
using access::RoleAssignment;
using access::RolePermission;
using access::Session;
using access::SignIn;
using access::TotpAlgorithm;
using access::TotpEnrolment;
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

TotpAlgorithm algorithm_named(std::string_view name) {
    std::string lower;
    for (char c : name) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower == "sha1") return TotpAlgorithm::kSha1;
    if (lower == "sha256") return TotpAlgorithm::kSha256;
    if (lower == "sha512") return TotpAlgorithm::kSha512;
    throw ValidationError("algorithm", "must be 'sha1', 'sha256' or 'sha512'");
}

std::string totp_code(std::string_view secret_base32, std::int64_t unix_time, int digits,
                      std::string_view algorithm) {
    access::TotpParams params;
    params.algorithm = algorithm_named(algorithm);
    params.digits = digits;
    const auto secret = access::TotpSecret::from_base32(secret_base32);
    return access::totp(secret.bytes(), from_unix_millis(unix_time * 1000), params);
}

SignIn login(Identity& identity, std::string name, std::string password, std::string source_address,
             std::optional<std::string> totp_code, std::optional<std::string> recovery_code) {
    const access::LoginRequest request{std::move(name), std::move(password),
                                       std::move(source_address), std::move(totp_code),
                                       std::move(recovery_code)};
    py::gil_scoped_release release;
    return identity.login(request);
}

// The provider dict of login_oidc: its keys are OidcProvider's fields (durations in seconds,
// group_roles a dict group -> role); any other key is a ValidationError naming it.
access::OidcProvider to_oidc_provider(const py::dict& dict) {
    access::OidcProvider p;
    for (const auto& [key_obj, value] : dict) {
        const std::string key = to_string(key_obj, "provider");
        const std::string arg = "provider." + key;
        if (key == "issuer") {
            p.issuer = to_string(value, arg);
        } else if (key == "client_id") {
            p.client_id = to_string(value, arg);
        } else if (key == "allowed_algorithms") {
            p.allowed_algorithms = to_strings(value, arg);
        } else if (key == "leeway_s") {
            p.leeway = std::chrono::seconds(to_int(value, arg));
        } else if (key == "max_age_s") {
            p.max_age = std::chrono::seconds(to_int(value, arg));
        } else if (key == "username_claim") {
            p.username_claim = to_string(value, arg);
        } else if (key == "groups_claim") {
            p.groups_claim = to_string(value, arg);
        } else if (key == "group_roles") {
            if (!py::isinstance<py::dict>(value)) {
                throw py::type_error(arg + ": expected a dict of group -> role");
            }
            p.group_roles.clear();
            for (const auto& [group, role] : value.cast<py::dict>()) {
                p.group_roles.emplace_back(to_string(group, arg), to_string(role, arg));
            }
        } else if (key == "create_operators") {
            p.create_operators = to_bool(value, arg);
        } else if (key == "mfa_methods") {
            p.mfa_methods = to_strings(value, arg);
        } else {
            throw ValidationError(arg, "unknown key");
        }
    }
    return p;
}

SignIn login_oidc(Identity& identity, const py::dict& provider, std::string_view jwks,
                  std::string_view id_token, std::string_view source_address,
                  std::optional<std::string_view> nonce) {
    const access::OidcProvider parsed = to_oidc_provider(provider);
    const access::JsonWebKeySet keys = access::JsonWebKeySet::parse(jwks);
    py::gil_scoped_release release;
    return identity.login_oidc(parsed, keys, id_token, nonce, source_address);
}

void bind_identity(py::module_& m) {
    py::class_<Session>(m, "Session", "A signed-in operator session (without its token).")
        .def_readonly("id", &Session::id)
        .def_property_readonly("operator_id",
                               [](const Session& s) { return s.operator_id.value(); })
        .def_readonly("created_at", &Session::created_at)
        .def_readonly("last_seen_at", &Session::last_seen_at)
        .def_readonly("expires_at", &Session::expires_at)
        .def_readonly("source_address", &Session::source_address)
        .def_readonly("second_factor", &Session::second_factor)
        .def("__repr__", [](const Session& s) { return "Session('" + s.id + "')"; });

    py::class_<SignIn>(m, "SignIn", "A successful sign-in: the token is shown only here.")
        .def_readonly("token", &SignIn::token)
        .def_readonly("session", &SignIn::session)
        .def_readonly("actor", &SignIn::actor)
        .def_readonly("password_rehashed", &SignIn::password_rehashed)
        .def("__repr__", [](const SignIn& s) { return "SignIn(session='" + s.session.id + "')"; });

    py::class_<TotpEnrolment>(m, "TotpEnrolment", "A started TOTP enrolment.")
        .def_readonly("secret_base32", &TotpEnrolment::secret_base32)
        .def_readonly("otpauth_uri", &TotpEnrolment::otpauth_uri)
        .def_readonly("qr_svg", &TotpEnrolment::qr_svg);

    py::class_<Identity>(m, "Identity",
                         "Operator passwords, two-factor enrolment, sign-in and sessions "
                         "(bo.identity).")
        .def(
            "set_password",
            [](Identity& i, const Actor& actor, std::int64_t id, std::string_view password) {
                i.set_password(actor, OperatorId(id), password);
            },
            py::arg("actor"), py::arg("operator_id"), py::arg("password"), Release())
        .def("change_password", &Identity::change_password, py::arg("actor"),
             py::arg("current_password"), py::arg("new_password"), Release())
        .def("login", &login, py::arg("name"), py::arg("password"), py::arg("source_address"),
             py::arg("totp_code") = py::none(), py::arg("recovery_code") = py::none(),
             "Signs in; raises AccessDenied naming the reason when refused.")
        .def("login_oidc", &login_oidc, py::arg("provider"), py::arg("jwks"), py::arg("id_token"),
             py::arg("source_address"), py::arg("nonce") = py::none(),
             "Signs in with an OpenID Connect ID token checked against the provider's JWKS (a "
             "JSON string). `provider` is a dict: issuer, client_id and optionally "
             "allowed_algorithms, leeway_s, max_age_s, username_claim, groups_claim, group_roles "
             "(dict group -> role), create_operators, mfa_methods. Raises AccessDenied when "
             "refused, ValidationError for a bad provider or JWKS.")
        .def(
            "begin_totp_enrolment",
            [](Identity& i, const Actor& actor, std::int64_t id) {
                return i.begin_totp_enrolment(actor, OperatorId(id));
            },
            py::arg("actor"), py::arg("operator_id"), Release())
        .def(
            "confirm_totp_enrolment",
            [](Identity& i, const Actor& actor, std::int64_t id, std::string_view code) {
                return i.confirm_totp_enrolment(actor, OperatorId(id), code);
            },
            py::arg("actor"), py::arg("operator_id"), py::arg("code"), Release(),
            "Confirms the enrolment with a first code; returns the recovery codes.")
        .def(
            "totp_enrolled",
            [](const Identity& i, std::int64_t id) { return i.totp_enrolled(OperatorId(id)); },
            py::arg("operator_id"), Release())
        .def(
            "second_factor_required",
            [](const Identity& i, std::int64_t id) {
                return i.second_factor_required(OperatorId(id));
            },
            py::arg("operator_id"), Release())
        .def("actor_from_token", &Identity::actor_from_token, py::arg("token"), Release())
        .def(
            "sessions",
            [](const Identity& i, const Actor& actor, std::int64_t id) {
                return i.sessions(actor, OperatorId(id));
            },
            py::arg("actor"), py::arg("operator_id"), Release())
        .def("revoke_session", &Identity::revoke_session, py::arg("actor"), py::arg("session_id"),
             Release())
        .def(
            "revoke_sessions",
            [](Identity& i, const Actor& actor, std::int64_t id) {
                return i.revoke_sessions(actor, OperatorId(id));
            },
            py::arg("actor"), py::arg("operator_id"), Release())
        .def("logout", &Identity::logout, py::arg("token"), Release());

    m.def("totp", &totp_code, py::arg("secret_base32"), py::arg("unix_time"), py::arg("digits") = 6,
          py::arg("algorithm") = "sha1",
          "The RFC 6238 TOTP code of a Base32 secret at a Unix time (seconds), 30 s steps.");
}

}  // namespace

void bind_access(py::module_& m) {
    bind_records(m);
    py::class_<AccessControl> c(m, "AccessControl",
                                "Operators, roles, permissions and ABAC conditions (bo.access).");
    bind_actors(c);
    bind_administration(c);
    bind_identity(m);

    py::tuple all(access::permission::kAll.size());
    for (std::size_t i = 0; i < access::permission::kAll.size(); ++i) {
        all[i] = std::string(access::permission::kAll[i]);
    }
    m.attr("ALL_PERMISSIONS") = all;
}

}  // namespace pitboss::python
