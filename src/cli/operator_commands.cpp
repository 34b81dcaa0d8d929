// Commands of operator identity: create operators, set passwords, enrol TOTP, sign in, list and
// revoke sessions. Passwords come from --password or the first line of standard input and are
// never printed; on a terminal, typing is not echoed.

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/identity.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::cli {
namespace {

// Turns terminal echo off while a password is typed, and back on afterwards.
class NoEcho {
public:
    explicit NoEcho(bool active) {
        if (!active || tcgetattr(STDIN_FILENO, &saved_) != 0) return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        active_ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
    }
    ~NoEcho() {
        if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;
    [[nodiscard]] bool active() const noexcept { return active_; }

private:
    termios saved_{};
    bool active_ = false;
};

std::string read_password(const Invocation& call) {
    if (auto given = call.args.value("password")) return *given;
    const bool terminal = &call.in == &std::cin && isatty(STDIN_FILENO) == 1;
    if (terminal) call.err << "password: " << std::flush;
    std::string line;
    {
        const NoEcho quiet(terminal);
        if (!std::getline(call.in, line)) {
            throw ValidationError("password", "give --password or a line on standard input");
        }
        if (quiet.active()) call.err << '\n';
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

access::Operator named_operator(Backoffice& bo, const Actor& actor, const std::string& name) {
    for (const auto& op : bo.access().list_operators(actor)) {
        if (op.name == name && op.kind == ActorKind::kOperator) return op;
    }
    throw NotFoundError("no operator named '" + name + "'");
}

Json session_json(const access::Session& s) {
    return {{"id", s.id},
            {"operator_id", s.operator_id.value()},
            {"created_at", format_timestamp(s.created_at)},
            {"last_seen_at", format_timestamp(s.last_seen_at)},
            {"expires_at", format_timestamp(s.expires_at)},
            {"source_address", s.source_address},
            {"second_factor", s.second_factor}};
}

}  // namespace

int run_operator_create(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto op = bo.access().create_operator(
        actor, {call.arguments.at(0), call.args.value("display-name").value_or("")});
    if (auto role = call.args.value("role")) bo.access().assign_role(actor, op.id, *role);
    if (call.json) {
        call.out << Json{{"id", op.id.value()}, {"name", op.name}}.dump() << '\n';
    } else {
        call.out << "created operator " << op.name << " (id " << op.id.value() << ")\n";
    }
    return kExitOk;
}

int run_operator_passwd(const Invocation& call) {
    const std::string password = read_password(call);
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto op = named_operator(bo, actor, call.arguments.at(0));
    bo.identity().set_password(actor, op.id, password);
    call.out << "password set for " << op.name << "; their sessions ended\n";
    return kExitOk;
}

int run_operator_2fa_enrol(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto op = named_operator(bo, actor, call.arguments.at(0));
    if (auto code = call.args.value("confirm")) {
        const auto codes = bo.identity().confirm_totp_enrolment(actor, op.id, *code);
        if (call.json) {
            call.out << Json{{"recovery_codes", codes}}.dump() << '\n';
            return kExitOk;
        }
        call.out << "TOTP enrolled for " << op.name
                 << ". Recovery codes (each works once; store them offline):\n";
        for (const auto& c : codes) call.out << "  " << c << '\n';
        return kExitOk;
    }
    const auto enrolment = bo.identity().begin_totp_enrolment(actor, op.id);
    if (call.json) {
        call.out << Json{{"secret", enrolment.secret_base32},
                         {"uri", enrolment.otpauth_uri},
                         {"qr_svg", enrolment.qr_svg}}
                        .dump()
                 << '\n';
        return kExitOk;
    }
    print_fields(call.out, {{"secret", enrolment.secret_base32}, {"uri", enrolment.otpauth_uri}});
    call.out << "Add it to an authenticator app, then confirm with:\n  pitboss operator 2fa-enrol "
             << op.name << " --confirm CODE\n";
    return kExitOk;
}

int run_operator_login(const Invocation& call) {
    const auto source = call.args.value("source");
    if (!source) throw UsageError("operator login needs --source ADDRESS");
    const std::string password = read_password(call);
    Backoffice bo = call.open_backoffice();
    const access::LoginRequest request{call.arguments.at(0), password, *source,
                                       call.args.value("code"), call.args.value("recovery-code")};
    const access::SignIn in = bo.identity().login(request);
    if (call.json) {
        Json shown = session_json(in.session);
        shown["token"] = in.token;
        call.out << shown.dump() << '\n';
        return kExitOk;
    }
    print_fields(call.out, {{"token", in.token},
                            {"session", in.session.id},
                            {"expires_at", format_timestamp(in.session.expires_at)},
                            {"second_factor", in.session.second_factor}});
    return kExitOk;
}

int run_operator_sessions(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto op = named_operator(bo, actor, call.arguments.at(0));
    const auto sessions = bo.identity().sessions(actor, op.id);
    if (call.json) {
        Json list = Json::array();
        for (const auto& s : sessions) list.push_back(session_json(s));
        call.out << list.dump() << '\n';
        return kExitOk;
    }
    if (sessions.empty()) {
        call.out << "no sessions\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : sessions) {
        rows.push_back({s.id, format_timestamp(s.created_at), format_timestamp(s.last_seen_at),
                        format_timestamp(s.expires_at), s.source_address, s.second_factor});
    }
    print_table(call.out, {"ID", "CREATED_AT", "LAST_SEEN_AT", "EXPIRES_AT", "SOURCE", "2FA"},
                rows);
    return kExitOk;
}

int run_operator_revoke(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto op = named_operator(bo, actor, call.arguments.at(0));
    if (auto session = call.args.value("session")) {
        const auto own = bo.identity().sessions(actor, op.id);
        const bool theirs = std::any_of(own.begin(), own.end(),
                                        [&](const access::Session& s) { return s.id == *session; });
        if (!theirs) throw NotFoundError("operator " + op.name + " has no session " + *session);
        bo.identity().revoke_session(actor, *session);
        call.out << "revoked session " << *session << '\n';
        return kExitOk;
    }
    const std::size_t count = bo.identity().revoke_sessions(actor, op.id);
    call.out << "revoked " << count << (count == 1 ? " session" : " sessions") << " of " << op.name
             << '\n';
    return kExitOk;
}

}  // namespace pitboss::cli
