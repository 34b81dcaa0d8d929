// identity: passwords, lockout, TOTP enrolment and recovery codes, sessions, on the backend named
// by PITBOSS_TEST_BACKEND.

#include "pitboss/access/identity.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "pitboss/access/access_control.hpp"
#include "pitboss/access/session.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "support/jwt_keys.hpp"
#include "support/test_backoffice.hpp"

namespace pitboss::access {
namespace {

using namespace std::chrono_literals;
using pitboss::testing::fresh_backoffice;
using pitboss::testing::TestBackoffice;
using storage::Params;
using storage::TxMode;

constexpr std::string_view kPassword = "correct horse battery staple";

// Cheap Argon2 parameters keep the many sign-ins of these tests fast; one case below runs the
// back office's own Identity with the production parameters.
IdentityOptions cheap_options() {
    IdentityOptions options;
    options.argon2 = {1, 256, 1};
    options.account_lockout = {3, 30s, 3600s, 3600s};
    options.source_lockout = {10, 60s, 3600s, 3600s};
    options.sessions = {10min, 1h, 5s, 60s};
    return options;
}

struct Fixture {
    explicit Fixture(IdentityOptions options = cheap_options())
        : t(fresh_backoffice()),
          identity(t.bo.database(), *t.clock, t.bo.access(), t.bo.audit(), std::move(options)) {}

    /// A new operator holding `role`.
    Operator person(const std::string& name, const std::string& role) {
        const Operator op = t.bo.access().create_operator(t.admin, {name, name});
        t.bo.access().assign_role(t.admin, op.id, role);
        return op;
    }

    LoginRequest request(const std::string& name, std::string_view password = kPassword,
                         const std::string& source = "10.0.0.1") const {
        return LoginRequest{name, std::string(password), source, std::nullopt, std::nullopt};
    }

    /// The actions of every audit entry, oldest first.
    std::vector<std::string> actions() {
        std::vector<std::string> out;
        for (const auto& e : t.bo.audit().list(t.admin, {})) out.push_back(e.action);
        return out;
    }

    std::size_t count(std::string_view action) {
        const auto all = actions();
        return static_cast<std::size_t>(std::count(all.begin(), all.end(), action));
    }

    std::string code_now(const std::string& secret, TotpParams params = {}) {
        return totp(TotpSecret::from_base32(secret).bytes(), t.clock->now(), params);
    }

    TestBackoffice t;
    Identity identity;
};

SignInFailure failure_of(Identity& identity, const LoginRequest& request) {
    try {
        (void)identity.login(request);
    } catch (const SignInRefused& refused) {
        return refused.failure();
    }
    FAIL("login succeeded");
    return SignInFailure::kInvalidCredentials;
}

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

TEST_CASE("identity: a password checked by the policy signs in and its token names the actor",
          "[identity]") {
    Fixture f;
    const Operator alice = f.person("alice", "support_agent");
    CHECK_THROWS_AS(f.identity.set_password(f.t.admin, alice.id, "short"), ValidationError);
    CHECK_THROWS_AS(f.identity.set_password(f.t.admin, alice.id, "password1234"), ValidationError);
    CHECK_THROWS_AS(f.identity.set_password(f.t.admin, alice.id, "alice-is-my-password"),
                    ValidationError);
    f.identity.set_password(f.t.admin, alice.id, kPassword);

    {
        auto tx = f.t.bo.database().begin(TxMode::kRead);
        const auto row =
            tx.query_single("SELECT password_hash FROM operator_credentials WHERE operator_id = ?",
                            Params(alice.id.value()));
        CHECK(row.text(0).rfind("$argon2id$v=19$m=256,t=1,p=1$", 0) == 0);
        CHECK(row.text(0).find(kPassword) == std::string::npos);
    }

    CHECK(failure_of(f.identity, f.request("alice", "not the right password")) ==
          SignInFailure::kInvalidCredentials);
    const SignIn in = f.identity.login(f.request("alice"));
    CHECK(in.token.size() == 64);
    CHECK(is_hex(in.token));
    CHECK(in.session.id.size() == 16);
    CHECK(in.session.second_factor == "none");
    CHECK(in.session.expires_at == f.t.clock->now() + 1h);
    CHECK(in.actor.name() == "alice");
    CHECK_FALSE(in.password_rehashed);

    const Actor actor = f.identity.actor_from_token(in.token);
    CHECK(actor.id() == alice.id);
    CHECK(actor.label() == "operator:alice");
    std::string wrong = in.token;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    CHECK_THROWS_AS(f.identity.actor_from_token(wrong), AccessDenied);
    CHECK_THROWS_AS(f.identity.actor_from_token("short"), AccessDenied);

    {
        // Only the hash of the token is stored.
        auto tx = f.t.bo.database().begin(TxMode::kRead);
        const auto row = tx.query_single("SELECT id, token_hash FROM operator_sessions");
        CHECK(row.text(0) == in.session.id);
        CHECK(row.text(1) != in.token);
        CHECK(row.text(1).substr(0, 16) == in.session.id);
    }
    CHECK(f.count("access.password_set") == 1);
    CHECK(f.count("access.sign_in_failed") == 1);
    CHECK(f.count("access.signed_in") == 1);
    CHECK(f.t.bo.audit().verify().ok);
}

TEST_CASE("identity: unknown names, disabled operators and system actors are refused alike",
          "[identity]") {
    Fixture f;
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);

    std::string unknown_message;
    std::string wrong_message;
    try {
        (void)f.identity.login(f.request("nobody"));
    } catch (const SignInRefused& e) {
        unknown_message = e.what();
        CHECK(e.failure() == SignInFailure::kInvalidCredentials);
    }
    try {
        (void)f.identity.login(f.request("alice", "wrong password here"));
    } catch (const SignInRefused& e) {
        wrong_message = e.what();
    }
    CHECK(!unknown_message.empty());
    CHECK(unknown_message == wrong_message);
    CHECK(failure_of(f.identity, f.request("bootstrap")) == SignInFailure::kInvalidCredentials);

    const auto entries = f.t.bo.audit().list(f.t.admin, {});
    const auto first_failure =
        std::find_if(entries.begin(), entries.end(),
                     [](const audit::Entry& e) { return e.action == "access.sign_in_failed"; });
    REQUIRE(first_failure != entries.end());
    CHECK(first_failure->actor == "system:identity");
    CHECK(first_failure->target == "source:10.0.0.1");
    CHECK(first_failure->after["reason"] == "invalid_credentials");

    f.t.bo.access().set_operator_status(f.t.admin, alice.id, OperatorStatus::kDisabled);
    CHECK(failure_of(f.identity, f.request("alice")) == SignInFailure::kInvalidCredentials);
    CHECK_THROWS_AS(f.identity.login(f.request("alice", kPassword, "bad address")),
                    ValidationError);
}

TEST_CASE("identity: failures lock an account out with exponential back-off", "[identity]") {
    Fixture f;
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);
    const auto wrong = f.request("alice", "wrong password 1");

    CHECK(failure_of(f.identity, wrong) == SignInFailure::kInvalidCredentials);
    CHECK(failure_of(f.identity, wrong) == SignInFailure::kInvalidCredentials);
    try {
        (void)f.identity.login(wrong);  // the third failure locks for 30 s
        FAIL("login succeeded");
    } catch (const SignInRefused& e) {
        CHECK(e.failure() == SignInFailure::kInvalidCredentials);
        REQUIRE(e.retry_after());
        CHECK(*e.retry_after() == f.t.clock->now() + 30s);
    }
    CHECK(f.count("access.locked_out") == 1);

    // Locked: even the right password is refused, and the refusal does not extend the lock.
    f.t.clock->advance(29s);
    try {
        (void)f.identity.login(f.request("alice"));
        FAIL("login succeeded");
    } catch (const SignInRefused& e) {
        CHECK(e.failure() == SignInFailure::kLockedOut);
        REQUIRE(e.retry_after());
        CHECK(*e.retry_after() == f.t.clock->now() + 1s);
    }
    // Another account from the same source is unaffected.
    const Operator bob = f.person("bob", "support_agent");
    f.identity.set_password(f.t.admin, bob.id, kPassword);
    CHECK_NOTHROW(f.identity.login(f.request("bob")));

    // The fourth failure doubles the lockout, the fifth doubles it again.
    f.t.clock->advance(2s);
    CHECK(failure_of(f.identity, wrong) == SignInFailure::kInvalidCredentials);
    f.t.clock->advance(59s);
    CHECK(failure_of(f.identity, f.request("alice")) == SignInFailure::kLockedOut);
    f.t.clock->advance(1s);
    try {
        (void)f.identity.login(wrong);
        FAIL("login succeeded");
    } catch (const SignInRefused& e) {
        REQUIRE(e.retry_after());
        CHECK(*e.retry_after() == f.t.clock->now() + 120s);
    }
    CHECK(f.count("access.locked_out") == 3);

    // Once the lock ends, the right password signs in and clears the account's count.
    f.t.clock->advance(120s);
    CHECK_NOTHROW(f.identity.login(f.request("alice")));
    CHECK(failure_of(f.identity, wrong) == SignInFailure::kInvalidCredentials);
    CHECK(failure_of(f.identity, wrong) == SignInFailure::kInvalidCredentials);
    CHECK_NOTHROW(f.identity.login(f.request("alice")));
}

TEST_CASE("identity: failures lock a source address out across names", "[identity]") {
    IdentityOptions options = cheap_options();
    options.source_lockout = {4, 60s, 600s, 3600s};
    Fixture f(options);
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);

    for (const char* name : {"root", "admin", "guest", "test"}) {
        CHECK(failure_of(f.identity, f.request(name, "guess 123456", "192.0.2.7")) ==
              SignInFailure::kInvalidCredentials);
    }
    CHECK(failure_of(f.identity, f.request("alice", kPassword, "192.0.2.7")) ==
          SignInFailure::kLockedOut);
    CHECK_NOTHROW(f.identity.login(f.request("alice", kPassword, "192.0.2.8")));
    f.t.clock->advance(60s);
    CHECK_NOTHROW(f.identity.login(f.request("alice", kPassword, "192.0.2.7")));
}

TEST_CASE("identity: a hash made with old parameters is redone at sign-in", "[identity]") {
    Fixture f;
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);

    IdentityOptions raised = cheap_options();
    raised.argon2 = {2, 512, 1};
    Identity stronger(f.t.bo.database(), *f.t.clock, f.t.bo.access(), f.t.bo.audit(), raised);
    const SignIn first = stronger.login(f.request("alice"));
    CHECK(first.password_rehashed);
    {
        auto tx = f.t.bo.database().begin(TxMode::kRead);
        const auto row =
            tx.query_single("SELECT password_hash FROM operator_credentials WHERE operator_id = ?",
                            Params(alice.id.value()));
        CHECK(parse_argon2_params(row.text(0)) == raised.argon2);
    }
    CHECK_FALSE(stronger.login(f.request("alice")).password_rehashed);
    const auto entries = f.t.bo.audit().list(f.t.admin, {});
    const auto signed_in = std::find_if(entries.begin(), entries.end(), [](const audit::Entry& e) {
        return e.action == "access.signed_in";
    });
    REQUIRE(signed_in != entries.end());
    CHECK(signed_in->after["password_rehashed"] == true);
}

TEST_CASE("identity: a role requiring 2FA gets no session without the second factor",
          "[identity]") {
    Fixture f;
    const Operator bob = f.person("bob", "admin");
    f.identity.set_password(f.t.admin, bob.id, kPassword);
    CHECK(f.identity.second_factor_required(bob.id));
    CHECK_FALSE(f.identity.totp_enrolled(bob.id));
    CHECK(failure_of(f.identity, f.request("bob")) == SignInFailure::kSecondFactorNotEnrolled);

    const TotpEnrolment enrolment = f.identity.begin_totp_enrolment(f.t.admin, bob.id);
    CHECK(enrolment.secret_base32.size() == 32);  // 20 bytes for SHA-1
    CHECK(enrolment.otpauth_uri.rfind(
              "otpauth://totp/pitboss:bob?secret=" + enrolment.secret_base32, 0) == 0);
    CHECK(enrolment.qr_svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    // Not yet confirmed: still no second factor.
    CHECK(failure_of(f.identity, f.request("bob")) == SignInFailure::kSecondFactorNotEnrolled);
    CHECK_THROWS_AS(f.identity.confirm_totp_enrolment(f.t.admin, bob.id, "000000"),
                    ValidationError);
    const std::string first_code = f.code_now(enrolment.secret_base32);
    const auto recovery = f.identity.confirm_totp_enrolment(f.t.admin, bob.id, first_code);
    CHECK(recovery.size() == 10);
    CHECK(f.identity.totp_enrolled(bob.id));
    for (const auto& code : recovery) CHECK(code.size() == 19);  // xxxx-xxxx-xxxx-xxxx

    CHECK(failure_of(f.identity, f.request("bob")) == SignInFailure::kSecondFactorRequired);

    // The code used to confirm cannot sign in: its step is spent.
    LoginRequest with_code = f.request("bob");
    with_code.totp_code = first_code;
    CHECK(failure_of(f.identity, with_code) == SignInFailure::kSecondFactorInvalid);
    CHECK(f.count("access.totp_replayed") == 1);

    f.t.clock->advance(30s);
    with_code.totp_code = f.code_now(enrolment.secret_base32);
    const SignIn in = f.identity.login(with_code);
    CHECK(in.session.second_factor == "totp");
    CHECK(failure_of(f.identity, with_code) == SignInFailure::kSecondFactorInvalid);
    CHECK(f.count("access.totp_replayed") == 2);

    // A wrong code is refused (and counts towards the lockout, like the replays above).
    f.t.clock->advance(3600s);
    with_code.totp_code = "123456";
    if (with_code.totp_code == f.code_now(enrolment.secret_base32)) with_code.totp_code = "654321";
    CHECK(failure_of(f.identity, with_code) == SignInFailure::kSecondFactorInvalid);

    LoginRequest with_recovery = f.request("bob");
    with_recovery.recovery_code = recovery[3];
    const SignIn by_recovery = f.identity.login(with_recovery);
    CHECK(by_recovery.session.second_factor == "recovery_code");
    CHECK(failure_of(f.identity, with_recovery) == SignInFailure::kSecondFactorInvalid);
    // Case and hyphens do not matter.
    std::string loose = recovery[4];
    loose.erase(std::remove(loose.begin(), loose.end(), '-'), loose.end());
    std::transform(loose.begin(), loose.end(), loose.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; });
    with_recovery.recovery_code = loose;
    CHECK_NOTHROW(f.identity.login(with_recovery));
    {
        auto tx = f.t.bo.database().begin(TxMode::kRead);
        const auto rows =
            tx.query("SELECT code_hash, used_at FROM operator_recovery_codes WHERE operator_id = ?",
                     Params(bob.id.value()));
        CHECK(rows.size() == 10);
        std::size_t used = 0;
        for (const auto& row : rows) {
            CHECK(row.text(0).size() == 64);
            for (const auto& code : recovery) CHECK(row.text(0).find(code) == std::string::npos);
            if (!row.is_null(1)) ++used;
        }
        CHECK(used == 2);
    }
    CHECK(f.count("access.totp_enrolment_started") == 1);
    CHECK(f.count("access.totp_enrolled") == 1);
    CHECK(f.count("access.recovery_code_used") == 2);
    CHECK(f.t.bo.audit().verify().ok);
}

TEST_CASE("identity: an operator may enrol themselves, but not others without access.manage",
          "[identity]") {
    Fixture f;
    const Operator carol = f.person("carol", "support_agent");
    const Operator dave = f.person("dave", "support_agent");
    f.identity.set_password(f.t.admin, carol.id, kPassword);
    const Actor carol_actor = f.identity.login(f.request("carol")).actor;

    CHECK_THROWS_AS(f.identity.begin_totp_enrolment(carol_actor, dave.id), AccessDenied);
    CHECK(f.count("access.denied") == 1);
    CHECK_THROWS_AS(f.identity.set_password(carol_actor, dave.id, kPassword), AccessDenied);
    CHECK_THROWS_AS(f.identity.sessions(carol_actor, dave.id), AccessDenied);

    TotpParams sha256;
    sha256.algorithm = TotpAlgorithm::kSha256;
    sha256.digits = 8;
    IdentityOptions options = cheap_options();
    options.totp = sha256;
    Identity eight(f.t.bo.database(), *f.t.clock, f.t.bo.access(), f.t.bo.audit(), options);
    const TotpEnrolment enrolment = eight.begin_totp_enrolment(carol_actor, carol.id);
    CHECK(enrolment.otpauth_uri.find("algorithm=SHA256") != std::string::npos);
    CHECK(enrolment.otpauth_uri.find("digits=8") != std::string::npos);
    (void)eight.confirm_totp_enrolment(carol_actor, carol.id,
                                       f.code_now(enrolment.secret_base32, sha256));
    // Enrolled: the second factor is now demanded although the role does not require it, and
    // the stored parameters apply even through an Identity configured for SHA-1.
    CHECK(failure_of(f.identity, f.request("carol")) == SignInFailure::kSecondFactorRequired);
    f.t.clock->advance(30s);
    LoginRequest with_code = f.request("carol");
    with_code.totp_code = f.code_now(enrolment.secret_base32, sha256);
    CHECK(f.identity.login(with_code).session.second_factor == "totp");
}

TEST_CASE("identity: sessions end when idle, at their absolute limit, and when revoked",
          "[identity]") {
    Fixture f;
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);

    SECTION("idle timeout, refreshed by use") {
        const SignIn in = f.identity.login(f.request("alice"));
        for (int i = 0; i < 5; ++i) {
            f.t.clock->advance(9min);
            CHECK(f.identity.actor_from_token(in.token).id() == alice.id);
        }
        f.t.clock->advance(10min);
        CHECK_THROWS_AS(f.identity.actor_from_token(in.token), AccessDenied);
        CHECK(f.identity.sessions(f.t.admin, alice.id).empty());
    }
    SECTION("absolute timeout, whatever the activity") {
        const SignIn in = f.identity.login(f.request("alice"));
        for (int i = 0; i < 6; ++i) {
            f.t.clock->advance(9min);
            CHECK_NOTHROW(f.identity.actor_from_token(in.token));
        }
        f.t.clock->advance(6min);  // 60 minutes after sign-in
        CHECK_THROWS_AS(f.identity.actor_from_token(in.token), AccessDenied);
    }
    SECTION("revoke one, revoke all, list, logout") {
        const SignIn one = f.identity.login(f.request("alice"));
        f.t.clock->advance(1s);
        const SignIn two = f.identity.login(f.request("alice", kPassword, "10.0.0.2"));
        CHECK_NOTHROW(f.identity.actor_from_token(one.token));  // cached from here on
        const auto listed = f.identity.sessions(one.actor, alice.id);
        REQUIRE(listed.size() == 2);
        CHECK(listed[0].id == two.session.id);  // newest first
        CHECK(listed[1].source_address == "10.0.0.1");

        f.identity.revoke_session(two.actor, one.session.id);  // own session: no permission
        CHECK_THROWS_AS(f.identity.actor_from_token(one.token), AccessDenied);
        CHECK_NOTHROW(f.identity.actor_from_token(two.token));
        CHECK_THROWS_AS(f.identity.revoke_session(two.actor, one.session.id), NotFoundError);
        CHECK_THROWS_AS(f.identity.revoke_session(two.actor, "not-an-id"), ValidationError);

        const SignIn three = f.identity.login(f.request("alice"));
        CHECK(f.identity.revoke_sessions(f.t.admin, alice.id) == 2);
        CHECK_THROWS_AS(f.identity.actor_from_token(two.token), AccessDenied);
        CHECK_THROWS_AS(f.identity.actor_from_token(three.token), AccessDenied);

        const SignIn four = f.identity.login(f.request("alice"));
        CHECK(f.identity.logout(four.token));
        CHECK_FALSE(f.identity.logout(four.token));
        CHECK_THROWS_AS(f.identity.actor_from_token(four.token), AccessDenied);
        CHECK(f.count("access.session_revoked") == 1);
        CHECK(f.count("access.sessions_revoked") == 1);
        CHECK(f.count("access.signed_out") == 1);
    }
    SECTION("another operator's session needs access.manage") {
        const Operator bob = f.person("bob", "support_agent");
        f.identity.set_password(f.t.admin, bob.id, kPassword);
        const SignIn a = f.identity.login(f.request("alice"));
        const SignIn b = f.identity.login(f.request("bob"));
        CHECK_THROWS_AS(f.identity.revoke_session(b.actor, a.session.id), AccessDenied);
        CHECK_THROWS_AS(f.identity.revoke_sessions(b.actor, alice.id), AccessDenied);
        CHECK_NOTHROW(f.identity.actor_from_token(a.token));
        f.identity.revoke_session(f.t.admin, a.session.id);
        CHECK_THROWS_AS(f.identity.actor_from_token(a.token), AccessDenied);
    }
    SECTION("a revocation elsewhere is seen once the cache entry is stale") {
        Identity other(f.t.bo.database(), *f.t.clock, f.t.bo.access(), f.t.bo.audit(),
                       cheap_options());
        const SignIn in = f.identity.login(f.request("alice"));
        CHECK_NOTHROW(f.identity.actor_from_token(in.token));
        CHECK(other.revoke_sessions(f.t.admin, alice.id) == 1);
        CHECK_NOTHROW(f.identity.actor_from_token(in.token));  // within cache_ttl (5 s)
        f.t.clock->advance(5s);
        CHECK_THROWS_AS(f.identity.actor_from_token(in.token), AccessDenied);
    }
    SECTION("a disabled operator's sessions end") {
        const SignIn in = f.identity.login(f.request("alice"));
        f.t.bo.access().set_operator_status(f.t.admin, alice.id, OperatorStatus::kDisabled);
        f.t.clock->advance(5s);
        CHECK_THROWS_AS(f.identity.actor_from_token(in.token), AccessDenied);
    }
}

TEST_CASE("identity: without the cache every validation reads the store", "[identity]") {
    IdentityOptions options = cheap_options();
    options.sessions.cache_ttl = 0s;
    Fixture f(options);
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);
    const SignIn in = f.identity.login(f.request("alice"));
    CHECK_NOTHROW(f.identity.actor_from_token(in.token));
    {
        auto tx = f.t.bo.database().begin(TxMode::kWrite);
        tx.execute("DELETE FROM operator_sessions");
        tx.commit();
    }
    CHECK_THROWS_AS(f.identity.actor_from_token(in.token), AccessDenied);
}

TEST_CASE("identity: changing one's password needs the current one and ends sessions",
          "[identity]") {
    Fixture f;
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);
    const SignIn in = f.identity.login(f.request("alice"));
    CHECK_THROWS_AS(f.identity.change_password(in.actor, "wrong current one", "a new long phrase!"),
                    SignInRefused);
    CHECK(f.count("access.password_change_failed") == 1);
    CHECK_THROWS_AS(f.identity.change_password(in.actor, kPassword, "short"), ValidationError);
    f.identity.change_password(in.actor, kPassword, "a new long phrase!");
    CHECK_THROWS_AS(f.identity.actor_from_token(in.token), AccessDenied);
    CHECK(failure_of(f.identity, f.request("alice")) == SignInFailure::kInvalidCredentials);
    CHECK_NOTHROW(f.identity.login(f.request("alice", "a new long phrase!")));
    CHECK_THROWS_AS(f.identity.change_password(f.t.admin, "x", "a new long phrase!"),
                    PreconditionError);
}

TEST_CASE("identity: options are validated", "[identity]") {
    TestBackoffice t = fresh_backoffice();
    auto make = [&](IdentityOptions o) {
        return Identity(t.bo.database(), *t.clock, t.bo.access(), t.bo.audit(), std::move(o));
    };
    IdentityOptions bad_lockout = cheap_options();
    bad_lockout.account_lockout.max_failures = 0;
    CHECK_THROWS_AS(make(bad_lockout), ValidationError);
    IdentityOptions bad_idle = cheap_options();
    bad_idle.sessions.idle_timeout = 0s;
    CHECK_THROWS_AS(make(bad_idle), ValidationError);
    IdentityOptions bad_codes = cheap_options();
    bad_codes.recovery_code_count = 0;
    CHECK_THROWS_AS(make(bad_codes), ValidationError);
    IdentityOptions bad_issuer = cheap_options();
    bad_issuer.totp_issuer = "a:b";
    CHECK_THROWS_AS(make(bad_issuer), ValidationError);
}

TEST_CASE("identity: the back office's Identity uses the production Argon2 parameters",
          "[identity]") {
    TestBackoffice t = fresh_backoffice();
    const Operator alice = t.bo.access().create_operator(t.admin, {"alice", "Alice"});
    t.bo.access().assign_role(t.admin, alice.id, "analyst");
    t.bo.identity().set_password(t.admin, alice.id, kPassword);
    const SignIn in = t.bo.identity().login({"alice", std::string(kPassword), "::1", {}, {}});
    CHECK(t.bo.identity().actor_from_token(in.token).name() == "alice");
    auto tx = t.bo.database().begin(TxMode::kRead);
    const auto row =
        tx.query_single("SELECT password_hash FROM operator_credentials WHERE operator_id = ?",
                        Params(alice.id.value()));
    CHECK(parse_argon2_params(row.text(0)) == Argon2Params{});
}

// --- OpenID Connect -------------------------------------------------------------------------

struct Sso {
    OidcProvider provider = [] {
        OidcProvider p;
        p.issuer = "https://idp.example";
        p.client_id = "pitboss";
        p.group_roles = {{"casino-support", "support_agent"}, {"casino-admins", "admin"}};
        return p;
    }();
    pitboss::testing::TestKey key{"RSA", "rsa-1"};
    JsonWebKeySet keys = JsonWebKeySet::parse(pitboss::testing::jwks_of({key.jwk()}));

    Json claims(Timestamp now, const std::string& sub, const std::string& name, Json groups,
                Json amr = {"pwd"}) const {
        const std::int64_t t = to_unix_millis(now) / 1000;
        return {{"iss", provider.issuer},
                {"aud", provider.client_id},
                {"sub", sub},
                {"exp", t + 300},
                {"iat", t},
                {"nonce", "n-1"},
                {"preferred_username", name},
                {"groups", std::move(groups)},
                {"amr", std::move(amr)}};
    }
};

SignInFailure sso_failure(Fixture& f, const Sso& sso, const std::string& token,
                          const OidcProvider* provider = nullptr) {
    try {
        (void)f.identity.login_oidc(provider ? *provider : sso.provider, sso.keys, token, "n-1",
                                    "10.0.0.9");
    } catch (const SignInRefused& refused) {
        return refused.failure();
    }
    FAIL("sso sign-in succeeded");
    return SignInFailure::kInvalidCredentials;
}

std::vector<std::string> roles_of(Fixture& f, OperatorId id) {
    std::vector<std::string> out;
    for (const auto& a : f.t.bo.access().assignments(f.t.admin, id)) out.push_back(a.role);
    return out;
}

std::vector<std::string> sso_reasons(Fixture& f) {
    std::vector<std::string> out;
    for (const auto& e : f.t.bo.audit().list(f.t.admin, {})) {
        if (e.action == "access.sign_in_failed" && e.after.contains("sso")) {
            out.push_back(e.after["sso"].get<std::string>());
        }
    }
    return out;
}

TEST_CASE("identity: OpenID Connect creates operators just in time and maps groups to roles",
          "[identity]") {
    Fixture f;
    const Sso sso;
    const Timestamp now = f.t.clock->now();

    const SignIn first = f.identity.login_oidc(
        sso.provider, sso.keys, sso.key.token(sso.claims(now, "u-1", "alice", {"casino-support"})),
        "n-1", "10.0.0.9");
    CHECK(first.actor.name() == "alice");
    CHECK(first.session.second_factor == "sso");
    CHECK(f.identity.actor_from_token(first.token).id() == first.actor.id());
    CHECK(roles_of(f, first.actor.id()) == std::vector<std::string>{"support_agent"});
    CHECK(f.t.bo.access().check(first.actor, "players.read").allowed);  // policy reloaded
    CHECK(f.count("access.operator_created") == 1);

    // admin requires 2FA: granted by the token's group, but no session without an MFA "amr".
    f.t.clock->advance(1s);
    const auto both = Json{"casino-support", "casino-admins"};
    CHECK(sso_failure(f, sso, sso.key.token(sso.claims(now, "u-1", "alice", both))) ==
          SignInFailure::kSecondFactorRequired);
    const SignIn with_mfa = f.identity.login_oidc(
        sso.provider, sso.keys,
        sso.key.token(sso.claims(now, "u-1", "alice", both, {"pwd", "mfa"})), "n-1", "10.0.0.9");
    CHECK(with_mfa.actor.id() == first.actor.id());
    CHECK(with_mfa.session.second_factor == "sso_mfa");
    CHECK(roles_of(f, first.actor.id()) == std::vector<std::string>{"admin", "support_agent"});

    // A group dropped at the provider takes its role away; unmanaged roles stay.
    f.t.bo.access().assign_role(f.t.admin, first.actor.id(), "analyst");
    (void)f.identity.login_oidc(
        sso.provider, sso.keys,
        sso.key.token(sso.claims(now, "u-1", "renamed", {"casino-admins"}, {"mfa"})), "n-1",
        "10.0.0.9");
    CHECK(roles_of(f, first.actor.id()) == std::vector<std::string>{"admin", "analyst"});
    CHECK(f.count("access.operator_created") == 1);  // same subject, same operator

    // A local operator's name is never taken over; no group, no operator; JIT can be off.
    const Operator bob = f.person("bob", "support_agent");
    CHECK(sso_failure(f, sso, sso.key.token(sso.claims(now, "u-2", "bob", {"casino-support"}))) ==
          SignInFailure::kInvalidCredentials);
    CHECK(roles_of(f, bob.id) == std::vector<std::string>{"support_agent"});
    CHECK(sso_failure(f, sso, sso.key.token(sso.claims(now, "u-3", "carol", {"other"}))) ==
          SignInFailure::kInvalidCredentials);
    OidcProvider closed = sso.provider;
    closed.create_operators = false;
    CHECK(sso_failure(f, sso, sso.key.token(sso.claims(now, "u-4", "dave", {"casino-support"})),
                      &closed) == SignInFailure::kInvalidCredentials);
    CHECK(sso_reasons(f) ==
          std::vector<std::string>{"no_mfa", "username_taken", "no_role", "unknown_operator"});
    CHECK(f.t.bo.audit().verify().ok);
}

TEST_CASE("identity: OpenID Connect refuses forged, expired and replayed tokens, audited",
          "[identity]") {
    Fixture f;
    const Sso sso;
    const Timestamp now = f.t.clock->now();
    const Json good = sso.claims(now, "u-1", "alice", {"casino-support"});

    Json wrong_nonce = good;
    wrong_nonce["nonce"] = "n-2";
    Json expired = good;
    expired["exp"] = to_unix_millis(now) / 1000 - 61;
    Json other_audience = good;
    other_audience["aud"] = "another-app";
    const std::string n = *sso.key.jwk()["n"].get_ptr<const std::string*>();
    pitboss::testing::TestKey stranger{"RSA", "rsa-1"};  // same kid, different key

    for (const std::string& token :
         {sso.key.token(wrong_nonce), sso.key.token(expired), sso.key.token(other_audience),
          pitboss::testing::hs256_token(good, "rsa-1", n), stranger.token(good),
          sso.key.token(good, {{"kid", "rsa-2"}}), std::string("not.a.token")}) {
        CHECK(sso_failure(f, sso, token) == SignInFailure::kInvalidCredentials);
    }
    CHECK(sso_reasons(f) == std::vector<std::string>{"nonce", "expired", "audience",
                                                     "algorithm_not_allowed", "bad_signature",
                                                     "unknown_key", "malformed"});
    // Seven failures from one source stay below its lockout (10 here); nobody was created.
    CHECK(f.count("access.operator_created") == 0);
    CHECK_NOTHROW(
        f.identity.login_oidc(sso.provider, sso.keys, sso.key.token(good), "n-1", "10.0.0.9"));
}

// --- Redis: run through `scripts/redis.sh run conformance_tests "[redis]"` (ctest does) ------

std::shared_ptr<SessionStore> redis_store() {
    static std::atomic<int> counter{0};
    const char* url = std::getenv("PITBOSS_TEST_REDIS_URL");
    REQUIRE(url != nullptr);
    return make_redis_session_store(url, "pitboss-test-" + std::to_string(++counter) + ":");
}

TEST_CASE("identity: sessions in Redis are shared by instances and end like database ones",
          "[.redis]") {
    IdentityOptions options = cheap_options();
    options.session_store = redis_store();
    Fixture f(options);
    IdentityOptions uncached = options;
    uncached.sessions.cache_ttl = 0s;
    Identity other(f.t.bo.database(), *f.t.clock, f.t.bo.access(), f.t.bo.audit(), uncached);
    const Operator alice = f.person("alice", "support_agent");
    f.identity.set_password(f.t.admin, alice.id, kPassword);

    const SignIn one = f.identity.login(f.request("alice"));
    f.t.clock->advance(1s);
    const SignIn two = f.identity.login(f.request("alice", kPassword, "10.0.0.2"));
    CHECK(other.actor_from_token(one.token).id() == alice.id);
    CHECK(f.identity.actor_from_token(two.token).id() == alice.id);
    std::string wrong = one.token;
    wrong[63] = wrong[63] == 'a' ? 'b' : 'a';  // same session id, different token
    CHECK_THROWS_AS(other.actor_from_token(wrong), AccessDenied);

    const auto listed = other.sessions(f.t.admin, alice.id);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == two.session.id);
    CHECK(listed[0].source_address == "10.0.0.2");
    CHECK(listed[1].created_at == one.session.created_at);
    CHECK(listed[1].expires_at == one.session.expires_at);
    {
        auto tx = f.t.bo.database().begin(TxMode::kRead);
        CHECK(tx.query_single("SELECT COUNT(*) FROM operator_sessions").int64(0) == 0);
    }

    // Idle timeout on the injected clock, refreshed through Redis by the other instance.
    f.t.clock->advance(9min);
    CHECK_NOTHROW(other.actor_from_token(one.token));
    f.t.clock->advance(9min);
    CHECK_NOTHROW(other.actor_from_token(one.token));
    CHECK_THROWS_AS(other.actor_from_token(two.token), AccessDenied);  // idle for 18 minutes
    CHECK(other.sessions(f.t.admin, alice.id).size() == 1);

    other.revoke_session(f.t.admin, one.session.id);
    CHECK_THROWS_AS(other.actor_from_token(one.token), AccessDenied);
    CHECK_THROWS_AS(other.revoke_session(f.t.admin, one.session.id), NotFoundError);

    const SignIn three = f.identity.login(f.request("alice"));
    const SignIn four = other.login(f.request("alice"));
    CHECK(f.identity.revoke_sessions(f.t.admin, alice.id) == 2);
    CHECK_THROWS_AS(other.actor_from_token(three.token), AccessDenied);
    CHECK_THROWS_AS(f.identity.actor_from_token(four.token), AccessDenied);

    const SignIn five = f.identity.login(f.request("alice"));
    CHECK(other.logout(five.token));
    CHECK_FALSE(f.identity.logout(five.token));
    CHECK(f.count("access.session_revoked") == 1);
    CHECK(f.count("access.sessions_revoked") == 1);
    CHECK(f.count("access.signed_out") == 1);
}

TEST_CASE("identity: a Redis session exists only once its transaction committed", "[.redis]") {
    Fixture f(cheap_options());
    const auto store = redis_store();
    const Operator alice = f.person("alice", "support_agent");
    Session session;
    session.id = std::string(16, 'a');
    session.operator_id = alice.id;
    session.created_at = session.last_seen_at = f.t.clock->now();
    session.expires_at = session.created_at + 1h;
    const std::string hash = std::string(16, 'a') + std::string(48, 'f');
    {
        auto tx = f.t.bo.database().begin(TxMode::kWrite);
        store->insert(tx, hash, session);
        CHECK_FALSE(store->find(tx, hash).has_value());  // not before the commit
        tx.rollback();
    }
    {
        auto tx = f.t.bo.database().begin(TxMode::kRead);
        CHECK_FALSE(store->find(tx, hash).has_value());  // never, after a rollback
    }
    {
        auto tx = f.t.bo.database().begin(TxMode::kWrite);
        store->insert(tx, hash, session);
        tx.commit();
    }
    auto tx = f.t.bo.database().begin(TxMode::kRead);
    const auto found = store->find(tx, hash);
    REQUIRE(found.has_value());
    CHECK(found->operator_id == alice.id);
}

TEST_CASE("identity: a Redis store refuses a bad URL and an absent server", "[.redis]") {
    CHECK_THROWS_AS(make_redis_session_store("http://localhost"), ValidationError);
    CHECK_THROWS_AS(make_redis_session_store("unix:///nonexistent/pitboss/redis.sock"),
                    UnavailableError);
}

}  // namespace
}  // namespace pitboss::access
