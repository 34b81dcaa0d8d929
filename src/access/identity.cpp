#include "pitboss/access/identity.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <tuple>
#include <utility>

#include "access/access_store.hpp"
#include "access/base32.hpp"
#include "access/guarded.hpp"
#include "access/identity_store.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/access/qr_code.hpp"
#include "pitboss/audit/audit_log.hpp"

namespace pitboss::access {
namespace {

using detail::AccessStore;
using detail::IdentityStore;
using detail::StoredCredentials;
using detail::ThrottleState;
using storage::Transaction;
using storage::TxMode;

constexpr std::size_t kMaxNameBytes = 128;
constexpr std::size_t kMaxSourceBytes = 64;
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kSessionIdDigits = 16;
constexpr std::size_t kRecoveryCodeBytes = 10;  // 80 bits, 16 Base32 characters
constexpr std::size_t kMaxCacheEntries = 100'000;
constexpr int kMaxRecoveryCodes = 100;
constexpr std::string_view kRefusedMessage = "sign-in refused";

// Sign-in attempts by someone not yet authenticated are recorded under this system label.
Actor identity_actor() { return ActorFactory::make(OperatorId(0), ActorKind::kSystem, "identity"); }

Actor actor_of(const Operator& op) { return ActorFactory::make(op.id, op.kind, op.name); }

std::string operator_target(OperatorId id) { return "operator:" + id.to_string(); }

bool printable_ascii(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

void validate_source(std::string_view source) {
    if (source.empty() || source.size() > kMaxSourceBytes || !printable_ascii(source)) {
        throw ValidationError("source_address", "must be 1-64 printable ASCII characters");
    }
}

std::vector<std::uint8_t> random_bytes(std::size_t count) {
    std::vector<std::uint8_t> bytes(count);
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw Error(ErrorCode::kInternal, "openssl: RAND_bytes failed");
    }
    return bytes;
}

std::string hex(std::span<const std::uint8_t> bytes) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// The cache key of a session: its id (the first 16 hex digits of the token hash) as a number.
std::optional<std::uint64_t> session_key(std::string_view session_id) noexcept {
    if (session_id.size() != kSessionIdDigits) return std::nullopt;
    std::uint64_t key = 0;
    for (char c : session_id) {
        const int v = hex_value(c);
        if (v < 0) return std::nullopt;
        key = (key << 4) | static_cast<std::uint64_t>(v);
    }
    return key;
}

void validate_session_id(std::string_view session_id) {
    if (!session_key(session_id)) {
        throw ValidationError("session_id", "must be 16 lower-case hex digits");
    }
}

// Recovery codes are shown as "abcd-efgh-ijkl-mnop"; any case, with or without hyphens or
// spaces, is accepted.
std::string new_recovery_code() {
    std::string plain = base32_encode(random_bytes(kRecoveryCodeBytes), /*pad=*/false);
    std::string out;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += '-';
        const char c = plain[i];
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string normalized_recovery_code(std::string_view code) {
    std::string out;
    for (char c : code.substr(0, 64)) {
        if (c == '-' || c == ' ') continue;
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

void validate_options(const IdentityOptions& o) {
    validate(o.argon2);
    detail::validate(o.account_lockout, "account_lockout");
    detail::validate(o.source_lockout, "source_lockout");
    if (o.sessions.idle_timeout.count() <= 0) {
        throw ValidationError("sessions.idle_timeout", "must be positive");
    }
    if (o.sessions.absolute_timeout.count() <= 0) {
        throw ValidationError("sessions.absolute_timeout", "must be positive");
    }
    if (o.sessions.cache_ttl.count() < 0) {
        throw ValidationError("sessions.cache_ttl", "must not be negative");
    }
    if (o.sessions.touch_interval.count() < 0) {
        throw ValidationError("sessions.touch_interval", "must not be negative");
    }
    validate(o.totp);
    if (o.totp.t0.count() != 0) throw ValidationError("totp.t0", "must be 0");
    if (o.totp_issuer.empty() || o.totp_issuer.find(':') != std::string::npos) {
        throw ValidationError("totp_issuer", "must be non-empty and contain no ':'");
    }
    if (o.recovery_code_count < 1 || o.recovery_code_count > kMaxRecoveryCodes) {
        throw ValidationError("recovery_code_count", "must be 1-100");
    }
}

Operator existing_person(AccessStore& store, OperatorId id) {
    auto op = store.find_operator(id);
    if (!op) throw NotFoundError("operator " + id.to_string() + " does not exist");
    if (op->kind != ActorKind::kOperator) {
        throw PreconditionError("operator " + id.to_string() + " is a system actor");
    }
    return *op;
}

bool is_live(const Session& s, Timestamp now, const SessionPolicy& policy) noexcept {
    return now < s.expires_at &&
           now < s.last_seen_at + std::chrono::duration_cast<Duration>(policy.idle_timeout);
}

std::string_view digest_hex_prefix(const std::string& token_hash) {
    return std::string_view(token_hash).substr(0, kSessionIdDigits);
}

}  // namespace

std::string_view to_string(SignInFailure failure) noexcept {
    switch (failure) {
        case SignInFailure::kLockedOut:
            return "locked_out";
        case SignInFailure::kSecondFactorRequired:
            return "second_factor_required";
        case SignInFailure::kSecondFactorInvalid:
            return "second_factor_invalid";
        case SignInFailure::kSecondFactorNotEnrolled:
            return "second_factor_not_enrolled";
        case SignInFailure::kInvalidCredentials:
            break;
    }
    return "invalid_credentials";
}

SignInRefused::SignInRefused(SignInFailure failure, std::optional<Timestamp> retry_after)
    : AccessDenied(std::string(kRefusedMessage) + ": " + std::string(to_string(failure)) +
                   (retry_after ? ", retry after " + format_timestamp(*retry_after) : "")),
      failure_(failure),
      retry_after_(retry_after) {}

struct Identity::CacheEntry {
    std::string token_hash;
    std::string session_id;
    Actor actor;
    Timestamp expires_at;
    Timestamp validated_until;
    std::atomic<std::int64_t> last_seen_ms;
    std::atomic<std::int64_t> written_ms;
};

struct Identity::Outcome {
    std::optional<SignInFailure> failure;
    std::optional<Timestamp> retry_after;
    std::string token;
    Session session;
    bool rehashed = false;
};

Identity::Identity(storage::Database& db, const Clock& clock, AccessControl& access,
                   audit::AuditLog& audit, IdentityOptions options)
    : db_(db), clock_(clock), access_(access), audit_(audit), options_(std::move(options)) {
    validate_options(options_);
    store_ = options_.session_store ? options_.session_store
                                    : std::shared_ptr<SessionStore>(make_database_session_store());
}

Identity::~Identity() = default;

const std::string& Identity::dummy_hash() const {
    std::call_once(dummy_once_, [this] {
        dummy_hash_ = hash_password("pitboss dummy password for unknown names", options_.argon2);
    });
    return dummy_hash_;
}

// --- passwords -------------------------------------------------------------------------------

void Identity::set_password(const Actor& actor, OperatorId id, std::string_view password) {
    // Checked and hashed before the write transaction: hashing takes ~50 ms.
    const Operator target = guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kAccessManage);
        AccessStore store(tx);
        return existing_person(store, id);
    });
    options_.password_policy.check(password, target.name);
    const std::string hash = hash_password(password, options_.argon2);
    const auto revoked = guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kAccessManage);
        AccessStore store(tx);
        (void)existing_person(store, id);
        IdentityStore(tx).set_password_hash(id, hash, clock_.now());
        auto ids = store_->remove_all(tx, id);
        audit_.append(tx, actor,
                      {"access.password_set",
                       operator_target(id),
                       nullptr,
                       {{"by", "administrator"}, {"sessions_revoked", ids.size()}}});
        return ids;
    });
    forget(revoked);
}

void Identity::change_password(const Actor& actor, std::string_view current_password,
                               std::string_view new_password) {
    if (actor.kind() != ActorKind::kOperator) {
        throw PreconditionError("only operators have passwords");
    }
    const OperatorId id = actor.id();
    const auto stored =
        db_.run(TxMode::kRead, [&](Transaction& tx) { return IdentityStore(tx).credentials(id); });
    const bool has_hash = stored && stored->password_hash;
    const bool ok =
        verify_password(current_password, has_hash ? *stored->password_hash : dummy_hash()) &&
        has_hash;
    if (!ok) {
        db_.run(TxMode::kWrite, [&](Transaction& tx) {
            audit_.append(tx, actor,
                          {"access.password_change_failed",
                           operator_target(id),
                           nullptr,
                           {{"reason", "invalid_credentials"}}});
        });
        throw SignInRefused(SignInFailure::kInvalidCredentials, std::nullopt);
    }
    options_.password_policy.check(new_password, actor.name());
    const std::string hash = hash_password(new_password, options_.argon2);
    const auto revoked = db_.run(TxMode::kWrite, [&](Transaction& tx) {
        IdentityStore(tx).set_password_hash(id, hash, clock_.now());
        auto ids = store_->remove_all(tx, id);
        audit_.append(tx, actor,
                      {"access.password_set",
                       operator_target(id),
                       nullptr,
                       {{"by", "self"}, {"sessions_revoked", ids.size()}}});
        return ids;
    });
    forget(revoked);
}

// --- sign-in ---------------------------------------------------------------------------------

SignIn Identity::login(const LoginRequest& request) {
    validate_source(request.source_address);
    // Made (once, ~50 ms) before anything is looked up, so that the first sign-in of the
    // process costs the same whether or not its name exists.
    (void)dummy_hash();
    const Timestamp now = clock_.now();
    const std::string name = request.name.substr(0, kMaxNameBytes);
    const std::string account_key = "account:" + name;
    const std::string source_key = "source:" + request.source_address;

    struct Snapshot {
        std::optional<Operator> op;
        std::optional<StoredCredentials> credentials;
        bool locked = false;
    };
    const Snapshot snap = db_.run(TxMode::kRead, [&](Transaction& tx) {
        Snapshot s;
        IdentityStore ids(tx);
        s.locked = detail::is_locked(ids.throttle(account_key), now) ||
                   detail::is_locked(ids.throttle(source_key), now);
        s.op = AccessStore(tx).find_operator(name);
        if (s.op) s.credentials = ids.credentials(s.op->id);
        return s;
    });

    // The same Argon2 work whether or not the name exists, so timing does not tell.
    const bool usable = snap.op && snap.op->kind == ActorKind::kOperator &&
                        snap.op->status == OperatorStatus::kActive && snap.credentials &&
                        snap.credentials->password_hash;
    const std::string& stored_hash = usable ? *snap.credentials->password_hash : dummy_hash();
    bool password_ok = false;
    std::string new_hash;
    if (!snap.locked) {
        password_ok = verify_password(request.password, stored_hash) && usable;
        if (password_ok && needs_rehash(stored_hash, options_.argon2)) {
            new_hash = hash_password(request.password, options_.argon2);
        }
    }

    const std::string target = snap.op && snap.op->kind == ActorKind::kOperator
                                   ? operator_target(snap.op->id)
                                   : "source:" + request.source_address;
    const Actor anonymous = identity_actor();

    const Outcome outcome = db_.run(TxMode::kWrite, [&](Transaction& tx) {
        IdentityStore ids(tx);
        Outcome out;
        const Json source = request.source_address;

        auto refuse = [&](SignInFailure failure, bool counts) {
            out.failure = failure;
            if (counts) {
                const std::array<std::tuple<const std::string*, const LockoutPolicy*, const char*>,
                                 2>
                    keys{{{&account_key, &options_.account_lockout, "account"},
                          {&source_key, &options_.source_lockout, "source"}}};
                for (const auto& [key, policy, scope] : keys) {
                    const auto before = ids.throttle(*key);
                    const ThrottleState after = detail::after_failure(before, now, *policy);
                    ids.save_throttle(*key, after);
                    const bool newly_locked =
                        after.locked_until &&
                        (!before || before->locked_until != after.locked_until);
                    if (newly_locked) {
                        out.retry_after = std::max(out.retry_after.value_or(*after.locked_until),
                                                   *after.locked_until);
                        audit_.append(tx, anonymous,
                                      {"access.locked_out",
                                       target,
                                       nullptr,
                                       {{"scope", scope},
                                        {"source", source},
                                        {"failures", after.failures},
                                        {"until", format_timestamp(*after.locked_until)}}});
                    }
                }
                const auto longest = std::max(options_.account_lockout.forget_after,
                                              options_.source_lockout.forget_after);
                ids.purge_throttle(now - std::chrono::duration_cast<Duration>(longest), now);
            }
            audit_.append(tx, anonymous,
                          {"access.sign_in_failed",
                           target,
                           nullptr,
                           {{"reason", to_string(failure)}, {"source", source}}});
            return out;
        };

        const auto account = ids.throttle(account_key);
        const auto from_source = ids.throttle(source_key);
        // Locked when read (the password was then not checked) or locked since.
        if (snap.locked || detail::is_locked(account, now) || detail::is_locked(from_source, now)) {
            Timestamp until = now;
            if (detail::is_locked(account, now)) until = std::max(until, *account->locked_until);
            if (detail::is_locked(from_source, now)) {
                until = std::max(until, *from_source->locked_until);
            }
            refuse(SignInFailure::kLockedOut, false);
            out.retry_after = until;
            return out;
        }
        if (!password_ok) return refuse(SignInFailure::kInvalidCredentials, true);

        const Operator& op = *snap.op;
        const auto credentials = ids.credentials(op.id);
        if (!credentials || credentials->password_hash != snap.credentials->password_hash) {
            // The password changed since it was read: ask again.
            return refuse(SignInFailure::kInvalidCredentials, false);
        }
        std::string factor = "none";
        if (credentials->totp_secret || ids.requires_second_factor(op.id)) {
            if (!credentials->totp_secret) {
                return refuse(SignInFailure::kSecondFactorNotEnrolled, false);
            }
            if (request.totp_code) {
                const TotpSecret secret = TotpSecret::from_base32(*credentials->totp_secret);
                const auto step =
                    verify_totp(secret.bytes(), *request.totp_code, now, credentials->totp, 1);
                if (!step) return refuse(SignInFailure::kSecondFactorInvalid, true);
                if (!ids.advance_totp_step(op.id, *step)) {
                    audit_.append(tx, anonymous,
                                  {"access.totp_replayed",
                                   target,
                                   nullptr,
                                   {{"step", *step}, {"source", source}}});
                    return refuse(SignInFailure::kSecondFactorInvalid, true);
                }
                factor = "totp";
            } else if (request.recovery_code) {
                const std::string hash =
                    detail::sha256_hex(normalized_recovery_code(*request.recovery_code));
                if (!ids.use_recovery_code(op.id, hash, now)) {
                    return refuse(SignInFailure::kSecondFactorInvalid, true);
                }
                factor = "recovery_code";
                audit_.append(tx, actor_of(op),
                              {"access.recovery_code_used",
                               target,
                               nullptr,
                               {{"remaining", ids.unused_recovery_codes(op.id)}}});
            } else {
                return refuse(SignInFailure::kSecondFactorRequired, false);
            }
        }

        if (!new_hash.empty()) {
            ids.set_password_hash(op.id, new_hash, now);
            out.rehashed = true;
        }
        ids.clear_throttle(account_key);
        std::vector<std::uint8_t> token = random_bytes(kTokenBytes);
        out.token = hex(token);
        OPENSSL_cleanse(token.data(), token.size());
        const std::string token_hash = detail::sha256_hex(out.token);
        out.session = {
            std::string(digest_hex_prefix(token_hash)),
            op.id,
            now,
            now,
            now + std::chrono::duration_cast<Duration>(options_.sessions.absolute_timeout),
            request.source_address,
            factor};
        store_->insert(tx, token_hash, out.session);
        audit_.append(tx, actor_of(op),
                      {"access.signed_in",
                       target,
                       nullptr,
                       {{"source", source},
                        {"second_factor", factor},
                        {"session", out.session.id},
                        {"password_rehashed", out.rehashed}}});
        return out;
    });

    if (outcome.failure) throw SignInRefused(*outcome.failure, outcome.retry_after);
    return SignIn{outcome.token, outcome.session, actor_of(*snap.op), outcome.rehashed};
}

// --- single sign-on --------------------------------------------------------------------------

SignIn Identity::login_oidc(const OidcProvider& provider, const JsonWebKeySet& keys,
                            std::string_view id_token, std::optional<std::string_view> nonce,
                            std::string_view source_address) {
    validate(provider);
    validate_source(source_address);
    const Timestamp now = clock_.now();
    const std::string source(source_address);
    const std::string source_key = "source:" + source;
    const std::string source_target = "source:" + source;
    const Actor anonymous = identity_actor();

    const bool locked = db_.run(TxMode::kRead, [&](Transaction& tx) {
        return detail::is_locked(IdentityStore(tx).throttle(source_key), now);
    });
    std::optional<IdTokenClaims> claims;
    std::string rejection;
    if (!locked) {
        try {
            claims = verify_id_token(id_token, keys, provider, nonce, now);
        } catch (const IdTokenRejected& e) {
            rejection = e.reason();
        }
    }

    struct SsoOutcome {
        Outcome outcome;
        std::optional<Operator> op;
        bool policy_changed = false;
    };
    const SsoOutcome result = db_.run(TxMode::kWrite, [&](Transaction& tx) {
        SsoOutcome out;
        IdentityStore ids(tx);
        AccessStore store(tx);
        auto refuse = [&](SignInFailure failure, const std::string& reason, bool counts,
                          const std::string& target) {
            out.outcome.failure = failure;
            if (counts) {
                const auto before = ids.throttle(source_key);
                const ThrottleState after =
                    detail::after_failure(before, now, options_.source_lockout);
                ids.save_throttle(source_key, after);
                if (after.locked_until && (!before || before->locked_until != after.locked_until)) {
                    out.outcome.retry_after = after.locked_until;
                    audit_.append(tx, anonymous,
                                  {"access.locked_out",
                                   target,
                                   nullptr,
                                   {{"scope", "source"},
                                    {"source", source},
                                    {"failures", after.failures},
                                    {"until", format_timestamp(*after.locked_until)}}});
                }
            }
            audit_.append(tx, anonymous,
                          {"access.sign_in_failed",
                           target,
                           nullptr,
                           {{"reason", to_string(failure)},
                            {"sso", reason},
                            {"issuer", provider.issuer},
                            {"source", source}}});
            return out;
        };

        const auto throttle = ids.throttle(source_key);
        if (locked || detail::is_locked(throttle, now)) {
            refuse(SignInFailure::kLockedOut, "locked_out", false, source_target);
            out.outcome.retry_after =
                detail::is_locked(throttle, now) ? throttle->locked_until : now;
            return out;
        }
        if (!claims)
            return refuse(SignInFailure::kInvalidCredentials, rejection, true, source_target);

        // Roles the provider's groups grant now; the mapping's roles are the managed ones.
        std::vector<std::string> granted;
        std::vector<std::string> managed;
        for (const auto& [group, role] : provider.group_roles) {
            if (std::find(managed.begin(), managed.end(), role) == managed.end()) {
                managed.push_back(role);
            }
            const bool member = std::find(claims->groups.begin(), claims->groups.end(), group) !=
                                claims->groups.end();
            if (member && std::find(granted.begin(), granted.end(), role) == granted.end()) {
                granted.push_back(role);
            }
        }
        for (const std::string& role : managed) {
            if (!store.role_exists(role)) {
                return refuse(SignInFailure::kInvalidCredentials, "unknown_role", false,
                              source_target);
            }
        }

        std::optional<Operator> op;
        if (const auto linked = ids.sso_operator(claims->issuer, claims->subject)) {
            op = store.find_operator(*linked);
        } else {
            if (!provider.create_operators) {
                return refuse(SignInFailure::kInvalidCredentials, "unknown_operator", false,
                              source_target);
            }
            if (granted.empty()) {
                return refuse(SignInFailure::kInvalidCredentials, "no_role", false, source_target);
            }
            const bool name_ok =
                claims->username.size() >= 3 && claims->username.size() <= 64 &&
                std::all_of(claims->username.begin(), claims->username.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == '-';
                });
            if (!name_ok) {
                return refuse(SignInFailure::kInvalidCredentials, "username", false, source_target);
            }
            // An existing local operator is never taken over by a provider's user.
            op = store.insert_operator({claims->username, claims->username, ActorKind::kOperator},
                                       now);
            if (!op) {
                return refuse(SignInFailure::kInvalidCredentials, "username_taken", false,
                              source_target);
            }
            ids.link_sso(claims->issuer, claims->subject, op->id, now);
            audit_.append(tx, anonymous,
                          {"access.operator_created",
                           operator_target(op->id),
                           nullptr,
                           {{"name", op->name},
                            {"display_name", op->display_name},
                            {"kind", "operator"},
                            {"status", "active"},
                            {"issuer", claims->issuer},
                            {"subject", claims->subject}}});
            out.policy_changed = true;
        }
        if (!op || op->kind != ActorKind::kOperator || op->status != OperatorStatus::kActive) {
            return refuse(SignInFailure::kInvalidCredentials, "operator_inactive", false,
                          source_target);
        }
        const std::string target = operator_target(op->id);

        // Synchronise the managed roles with the token's groups.
        std::vector<std::string> held;
        for (const auto& a : store.assignments(op->id)) held.push_back(a.role);
        for (const std::string& role : managed) {
            const bool has = std::find(held.begin(), held.end(), role) != held.end();
            const bool should = std::find(granted.begin(), granted.end(), role) != granted.end();
            if (should && !has) {
                (void)store.insert_assignment(op->id, role, Condition());
                audit_.append(tx, anonymous,
                              {"access.role_assigned",
                               target,
                               nullptr,
                               {{"role", role}, {"scope", nullptr}, {"via", "sso"}}});
                out.policy_changed = true;
            } else if (!should && has) {
                (void)store.delete_assignment(op->id, role);
                audit_.append(
                    tx, anonymous,
                    {"access.role_unassigned", target, {{"role", role}, {"via", "sso"}}, nullptr});
                out.policy_changed = true;
            }
        }

        const bool mfa = std::any_of(claims->amr.begin(), claims->amr.end(), [&](const auto& m) {
            return std::find(provider.mfa_methods.begin(), provider.mfa_methods.end(), m) !=
                   provider.mfa_methods.end();
        });
        if (!mfa && ids.requires_second_factor(op->id)) {
            refuse(SignInFailure::kSecondFactorRequired, "no_mfa", false, target);
            return out;
        }

        std::vector<std::uint8_t> token = random_bytes(kTokenBytes);
        out.outcome.token = hex(token);
        OPENSSL_cleanse(token.data(), token.size());
        const std::string token_hash = detail::sha256_hex(out.outcome.token);
        out.outcome.session = {
            std::string(digest_hex_prefix(token_hash)),
            op->id,
            now,
            now,
            now + std::chrono::duration_cast<Duration>(options_.sessions.absolute_timeout),
            source,
            mfa ? "sso_mfa" : "sso"};
        store_->insert(tx, token_hash, out.outcome.session);
        audit_.append(tx, actor_of(*op),
                      {"access.signed_in",
                       target,
                       nullptr,
                       {{"source", source},
                        {"second_factor", out.outcome.session.second_factor},
                        {"session", out.outcome.session.id},
                        {"issuer", claims->issuer},
                        {"subject", claims->subject}}});
        out.op = op;
        return out;
    });
    if (result.policy_changed) access_.reload();
    if (result.outcome.failure) {
        throw SignInRefused(*result.outcome.failure, result.outcome.retry_after);
    }
    return SignIn{result.outcome.token, result.outcome.session, actor_of(*result.op), false};
}

// --- two factors -----------------------------------------------------------------------------

TotpEnrolment Identity::begin_totp_enrolment(const Actor& actor, OperatorId id) {
    return guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        if (actor.id() != id) access_.require(actor, permission::kAccessManage);
        AccessStore store(tx);
        const Operator op = existing_person(store, id);
        const TotpSecret secret = generate_totp_secret(options_.totp.algorithm);
        TotpEnrolment out{secret.base32(), "", ""};
        out.otpauth_uri =
            otpauth_uri(options_.totp_issuer, op.name, out.secret_base32, options_.totp);
        out.qr_svg = qr_code_svg(out.otpauth_uri);
        IdentityStore(tx).set_pending_totp(id, out.secret_base32);
        audit_.append(tx, actor,
                      {"access.totp_enrolment_started",
                       operator_target(id),
                       nullptr,
                       {{"algorithm", to_string(options_.totp.algorithm)},
                        {"digits", options_.totp.digits}}});
        return out;
    });
}

std::vector<std::string> Identity::confirm_totp_enrolment(const Actor& actor, OperatorId id,
                                                          std::string_view code) {
    return guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        if (actor.id() != id) access_.require(actor, permission::kAccessManage);
        AccessStore store(tx);
        (void)existing_person(store, id);
        IdentityStore ids(tx);
        const auto credentials = ids.credentials(id);
        if (!credentials || !credentials->totp_pending) {
            throw PreconditionError("operator " + id.to_string() +
                                    " has no pending TOTP enrolment");
        }
        const Timestamp now = clock_.now();
        const TotpSecret secret = TotpSecret::from_base32(*credentials->totp_pending);
        const auto step = verify_totp(secret.bytes(), code, now, options_.totp, 1);
        if (!step) throw ValidationError("code", "does not match the pending secret");
        ids.confirm_totp(id, options_.totp, *step, now);
        std::vector<std::string> codes;
        std::vector<std::string> hashes;
        for (int i = 0; i < options_.recovery_code_count; ++i) {
            codes.push_back(new_recovery_code());
            hashes.push_back(detail::sha256_hex(normalized_recovery_code(codes.back())));
        }
        ids.replace_recovery_codes(id, hashes);
        audit_.append(tx, actor,
                      {"access.totp_enrolled",
                       operator_target(id),
                       nullptr,
                       {{"recovery_codes", codes.size()}}});
        return codes;
    });
}

bool Identity::totp_enrolled(OperatorId id) const {
    return db_.run(TxMode::kRead, [&](Transaction& tx) {
        const auto credentials = IdentityStore(tx).credentials(id);
        return credentials && credentials->totp_secret.has_value();
    });
}

bool Identity::second_factor_required(OperatorId id) const {
    return db_.run(TxMode::kRead,
                   [&](Transaction& tx) { return IdentityStore(tx).requires_second_factor(id); });
}

// --- sessions --------------------------------------------------------------------------------

Actor Identity::actor_from_token(std::string_view token) {
    if (token.size() != 2 * kTokenBytes) throw AccessDenied("invalid or expired session");
    const std::string token_hash = detail::sha256_hex(token);
    const std::uint64_t key = *session_key(digest_hex_prefix(token_hash));
    const Timestamp now = clock_.now();
    if (options_.sessions.cache_ttl.count() > 0) {
        std::shared_ptr<CacheEntry> entry;
        {
            const std::shared_lock lock(cache_mutex_);
            const auto it = cache_.find(key);
            if (it != cache_.end()) entry = it->second;
        }
        if (entry && entry->token_hash == token_hash && now < entry->validated_until &&
            now < entry->expires_at) {
            const std::int64_t now_ms = to_unix_millis(now);
            const std::int64_t idle_ms =
                std::chrono::duration_cast<Duration>(options_.sessions.idle_timeout).count();
            std::int64_t seen = entry->last_seen_ms.load(std::memory_order_relaxed);
            if (now_ms < seen + idle_ms) {
                while (seen < now_ms && !entry->last_seen_ms.compare_exchange_weak(
                                            seen, now_ms, std::memory_order_relaxed)) {
                }
                std::int64_t written = entry->written_ms.load(std::memory_order_relaxed);
                const std::int64_t interval_ms =
                    std::chrono::duration_cast<Duration>(options_.sessions.touch_interval).count();
                if (now_ms - written >= interval_ms &&
                    entry->written_ms.compare_exchange_strong(written, now_ms)) {
                    touch(entry->session_id, now);
                }
                return entry->actor;
            }
        }
    }
    return validate_in_store(key, token_hash, now);
}

void Identity::touch(const std::string& session_id, Timestamp at) {
    db_.run(TxMode::kWrite, [&](Transaction& tx) { store_->touch(tx, session_id, at); });
}

Actor Identity::validate_in_store(std::uint64_t key, const std::string& token_hash, Timestamp now) {
    struct Found {
        std::optional<Session> session;
        std::optional<Operator> op;
    };
    const Found found = db_.run(TxMode::kRead, [&](Transaction& tx) {
        Found f;
        f.session = store_->find(tx, token_hash);
        if (f.session) f.op = AccessStore(tx).find_operator(f.session->operator_id);
        return f;
    });
    const bool live = found.session && is_live(*found.session, now, options_.sessions) &&
                      found.op && found.op->status == OperatorStatus::kActive;
    if (!live) {
        if (found.session) {
            // Expired, or its operator disabled: the session is over for good.
            db_.run(TxMode::kWrite,
                    [&](Transaction& tx) { (void)store_->remove(tx, found.session->id); });
            forget({found.session->id});
        } else {
            forget({std::string(digest_hex_prefix(token_hash))});
        }
        throw AccessDenied("invalid or expired session");
    }
    const Session& s = *found.session;
    const std::int64_t interval_ms =
        std::chrono::duration_cast<Duration>(options_.sessions.touch_interval).count();
    Timestamp written = s.last_seen_at;
    if (to_unix_millis(now) - to_unix_millis(s.last_seen_at) >= interval_ms) {
        touch(s.id, now);
        written = now;
    }
    Actor actor = actor_of(*found.op);
    if (options_.sessions.cache_ttl.count() > 0) {
        auto entry = std::shared_ptr<CacheEntry>(
            new CacheEntry{token_hash, s.id, actor, s.expires_at,
                           now + std::chrono::duration_cast<Duration>(options_.sessions.cache_ttl),
                           std::max(to_unix_millis(now), to_unix_millis(s.last_seen_at)),
                           to_unix_millis(written)});
        const std::unique_lock lock(cache_mutex_);
        if (cache_.size() >= kMaxCacheEntries) cache_.clear();
        cache_[key] = std::move(entry);
    }
    return actor;
}

void Identity::forget(const std::vector<std::string>& session_ids) {
    if (session_ids.empty()) return;
    const std::unique_lock lock(cache_mutex_);
    for (const std::string& id : session_ids) {
        if (const auto key = session_key(id)) cache_.erase(*key);
    }
}

std::vector<Session> Identity::sessions(const Actor& actor, OperatorId id) const {
    const Timestamp now = clock_.now();
    auto all = guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        if (actor.id() != id) access_.require(actor, permission::kAccessRead);
        AccessStore store(tx);
        (void)existing_person(store, id);
        return store_->list(tx, id);
    });
    std::erase_if(all, [&](const Session& s) { return !is_live(s, now, options_.sessions); });
    return all;
}

void Identity::revoke_session(const Actor& actor, std::string_view session_id) {
    validate_session_id(session_id);
    guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        const auto session = store_->find_by_id(tx, session_id);
        if (!session) throw NotFoundError("session " + std::string(session_id) + " does not exist");
        if (session->operator_id != actor.id()) access_.require(actor, permission::kAccessManage);
        (void)store_->remove(tx, session_id);
        audit_.append(tx, actor,
                      {"access.session_revoked",
                       operator_target(session->operator_id),
                       {{"session", session_id}},
                       nullptr});
    });
    forget({std::string(session_id)});
}

std::size_t Identity::revoke_sessions(const Actor& actor, OperatorId id) {
    const auto revoked = guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        if (actor.id() != id) access_.require(actor, permission::kAccessManage);
        AccessStore store(tx);
        (void)existing_person(store, id);
        auto ids = store_->remove_all(tx, id);
        audit_.append(
            tx, actor,
            {"access.sessions_revoked", operator_target(id), {{"sessions", ids}}, nullptr});
        return ids;
    });
    forget(revoked);
    return revoked.size();
}

bool Identity::logout(std::string_view token) {
    if (token.size() != 2 * kTokenBytes) return false;
    const std::string token_hash = detail::sha256_hex(token);
    const Timestamp now = clock_.now();
    const auto ended = db_.run(TxMode::kWrite, [&](Transaction& tx) -> std::optional<Session> {
        const auto session = store_->find(tx, token_hash);
        if (!session) return std::nullopt;
        (void)store_->remove(tx, session->id);
        if (!is_live(*session, now, options_.sessions)) return std::nullopt;
        const auto op = AccessStore(tx).find_operator(session->operator_id);
        if (!op) return std::nullopt;
        audit_.append(
            tx, actor_of(*op),
            {"access.signed_out", operator_target(op->id), {{"session", session->id}}, nullptr});
        return session;
    });
    forget({std::string(digest_hex_prefix(token_hash))});
    return ended.has_value();
}

}  // namespace pitboss::access
