#include "access/identity_store.hpp"

#include <algorithm>
#include <limits>

#include "audit/sha256.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::access::detail {
namespace {

using storage::Params;
using storage::Row;

// Operator identity (issue 6). Roles may demand two factors: admin, compliance_officer and
// operator do. TOTP secrets are stored as Base32 next to their parameters, so new enrolments
// may use other parameters without breaking old ones; recovery codes only as SHA-256 (they
// carry 80 random bits, so a fast hash suffices).
constexpr std::string_view kSchema = R"sql(
ALTER TABLE roles ADD COLUMN requires_2fa {{bigint}} NOT NULL DEFAULT 0;
UPDATE roles SET requires_2fa = 1 WHERE name IN ('admin', 'compliance_officer', 'operator');
CREATE TABLE operator_credentials (
    operator_id {{bigint}} PRIMARY KEY REFERENCES operators (id),
    password_hash {{text}},
    password_set_at {{bigint}},
    totp_secret {{text}},
    totp_algorithm {{text}},
    totp_digits {{bigint}},
    totp_step_seconds {{bigint}},
    totp_confirmed_at {{bigint}},
    totp_last_step {{bigint}},
    totp_pending_secret {{text}}
);
CREATE TABLE operator_recovery_codes (
    operator_id {{bigint}} NOT NULL REFERENCES operators (id),
    code_hash {{text}} NOT NULL,
    used_at {{bigint}},
    PRIMARY KEY (operator_id, code_hash)
);
CREATE TABLE login_throttle (
    throttle_key {{text}} PRIMARY KEY,
    failures {{bigint}} NOT NULL,
    last_failure_at {{bigint}} NOT NULL,
    locked_until {{bigint}}
);
CREATE INDEX login_throttle_by_last_failure ON login_throttle (last_failure_at);
CREATE TABLE operator_sessions (
    id {{text}} PRIMARY KEY,
    token_hash {{text}} NOT NULL UNIQUE,
    operator_id {{bigint}} NOT NULL REFERENCES operators (id),
    created_at {{bigint}} NOT NULL,
    last_seen_at {{bigint}} NOT NULL,
    expires_at {{bigint}} NOT NULL,
    source_address {{text}} NOT NULL,
    second_factor {{text}} NOT NULL
);
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator_id);
CREATE TABLE operator_sso_identities (
    issuer {{text}} NOT NULL,
    subject {{text}} NOT NULL,
    operator_id {{bigint}} NOT NULL REFERENCES operators (id),
    created_at {{bigint}} NOT NULL,
    PRIMARY KEY (issuer, subject)
)
)sql";

TotpAlgorithm algorithm_from(std::string_view text) {
    if (text == "SHA1") return TotpAlgorithm::kSha1;
    if (text == "SHA256") return TotpAlgorithm::kSha256;
    if (text == "SHA512") return TotpAlgorithm::kSha512;
    throw IntegrityError("operator_credentials.totp_algorithm holds an unknown algorithm");
}

constexpr std::string_view kSessionColumns =
    "id, operator_id, created_at, last_seen_at, expires_at, source_address, second_factor";

Session session_from(const Row& row) {
    return {row.text(0),      OperatorId(row.int64(1)), row.timestamp(2),
            row.timestamp(3), row.timestamp(4),         row.text(5),
            row.text(6)};
}

class DatabaseSessionStore final : public SessionStore {
public:
    void insert(storage::Transaction& tx, std::string_view token_hash, const Session& s) override {
        tx.execute(
            "INSERT INTO operator_sessions (id, token_hash, operator_id, created_at,"
            " last_seen_at, expires_at, source_address, second_factor)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            Params(s.id, token_hash, s.operator_id.value(), s.created_at, s.last_seen_at,
                   s.expires_at, s.source_address, s.second_factor));
    }

    std::optional<Session> find(storage::Transaction& tx, std::string_view token_hash) override {
        const auto row = tx.query_optional("SELECT " + std::string(kSessionColumns) +
                                               " FROM operator_sessions WHERE token_hash = ?",
                                           Params(token_hash));
        if (!row) return std::nullopt;
        return session_from(*row);
    }

    void touch(storage::Transaction& tx, std::string_view session_id,
               Timestamp last_seen_at) override {
        tx.execute(
            "UPDATE operator_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
            Params(last_seen_at, session_id, last_seen_at));
    }

    std::vector<Session> list(storage::Transaction& tx, OperatorId operator_id) override {
        std::vector<Session> out;
        for (const Row& row : tx.query("SELECT " + std::string(kSessionColumns) +
                                           " FROM operator_sessions WHERE operator_id = ?"
                                           " ORDER BY created_at DESC, id",
                                       Params(operator_id.value()))) {
            out.push_back(session_from(row));
        }
        return out;
    }

    std::optional<Session> find_by_id(storage::Transaction& tx,
                                      std::string_view session_id) override {
        const auto row = tx.query_optional(
            "SELECT " + std::string(kSessionColumns) + " FROM operator_sessions WHERE id = ?",
            Params(session_id));
        if (!row) return std::nullopt;
        return session_from(*row);
    }

    bool remove(storage::Transaction& tx, std::string_view session_id) override {
        return tx.execute("DELETE FROM operator_sessions WHERE id = ?", Params(session_id)) == 1;
    }

    std::vector<std::string> remove_all(storage::Transaction& tx, OperatorId operator_id) override {
        std::vector<std::string> ids;
        for (const Row& row : tx.query("DELETE FROM operator_sessions WHERE operator_id = ?"
                                       " RETURNING id",
                                       Params(operator_id.value()))) {
            ids.push_back(row.text(0));
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    }
};

}  // namespace

void validate(const LockoutPolicy& policy, std::string_view field) {
    const std::string prefix(field);
    if (policy.max_failures < 1) {
        throw ValidationError(prefix + ".max_failures", "must be at least 1");
    }
    if (policy.base_lockout.count() <= 0) {
        throw ValidationError(prefix + ".base_lockout", "must be positive");
    }
    if (policy.max_lockout < policy.base_lockout) {
        throw ValidationError(prefix + ".max_lockout", "must be at least base_lockout");
    }
    if (policy.forget_after.count() <= 0) {
        throw ValidationError(prefix + ".forget_after", "must be positive");
    }
}

bool is_locked(const std::optional<ThrottleState>& state, Timestamp now) noexcept {
    return state && state->locked_until && now < *state->locked_until;
}

ThrottleState after_failure(const std::optional<ThrottleState>& state, Timestamp now,
                            const LockoutPolicy& policy) {
    ThrottleState next;
    const bool remembered = state && now - state->last_failure_at < policy.forget_after;
    next.failures = remembered ? state->failures + 1 : 1;
    next.last_failure_at = now;
    if (remembered) next.locked_until = state->locked_until;
    if (next.failures >= policy.max_failures) {
        // base * 2^(failures - max), computed without overflow: stop doubling at the cap.
        std::chrono::seconds lockout = policy.base_lockout;
        for (std::int64_t i = policy.max_failures; i < next.failures; ++i) {
            if (lockout >= policy.max_lockout / 2) {
                lockout = policy.max_lockout;
                break;
            }
            lockout *= 2;
        }
        lockout = std::min(lockout, policy.max_lockout);
        next.locked_until = now + std::chrono::duration_cast<Duration>(lockout);
    }
    return next;
}

std::string sha256_hex(std::string_view text) {
    thread_local audit::detail::Sha256 hasher;
    std::string out(64, '0');
    audit::detail::to_hex(hasher.digest(text), out.data());
    return out;
}

std::optional<StoredCredentials> IdentityStore::credentials(OperatorId id) {
    const auto row = tx_.query_optional(
        "SELECT password_hash, totp_secret, totp_pending_secret, totp_algorithm, totp_digits,"
        " totp_step_seconds, totp_last_step FROM operator_credentials WHERE operator_id = ?",
        Params(id.value()));
    if (!row) return std::nullopt;
    StoredCredentials out;
    out.password_hash = row->opt_text(0);
    out.totp_secret = row->opt_text(1);
    out.totp_pending = row->opt_text(2);
    if (out.totp_secret) {
        out.totp.algorithm = algorithm_from(row->text(3));
        const std::int64_t digits = row->int64(4);
        const std::int64_t step = row->int64(5);
        if (digits < 6 || digits > 8 || step <= 0 || step > 3600) {
            throw IntegrityError("operator_credentials holds invalid TOTP parameters");
        }
        out.totp.digits = static_cast<int>(digits);
        out.totp.step = std::chrono::seconds(step);
    }
    out.totp_last_step = row->opt_int64(6);
    return out;
}

void IdentityStore::set_password_hash(OperatorId id, std::string_view hash, Timestamp at) {
    tx_.execute(
        "INSERT INTO operator_credentials (operator_id, password_hash, password_set_at)"
        " VALUES (?, ?, ?) ON CONFLICT (operator_id) DO UPDATE SET"
        " password_hash = excluded.password_hash, password_set_at = excluded.password_set_at",
        Params(id.value(), hash, at));
}

void IdentityStore::set_pending_totp(OperatorId id, std::string_view secret_base32) {
    tx_.execute(
        "INSERT INTO operator_credentials (operator_id, totp_pending_secret) VALUES (?, ?)"
        " ON CONFLICT (operator_id) DO UPDATE SET"
        " totp_pending_secret = excluded.totp_pending_secret",
        Params(id.value(), secret_base32));
}

void IdentityStore::confirm_totp(OperatorId id, const TotpParams& params, std::int64_t step,
                                 Timestamp at) {
    tx_.execute(
        "UPDATE operator_credentials SET totp_secret = totp_pending_secret,"
        " totp_pending_secret = NULL, totp_algorithm = ?, totp_digits = ?,"
        " totp_step_seconds = ?, totp_confirmed_at = ?, totp_last_step = ?"
        " WHERE operator_id = ?",
        Params(to_string(params.algorithm), std::int64_t{params.digits},
               static_cast<std::int64_t>(params.step.count()), at, step, id.value()));
}

bool IdentityStore::advance_totp_step(OperatorId id, std::int64_t step) {
    return tx_.execute(
               "UPDATE operator_credentials SET totp_last_step = ? WHERE operator_id = ?"
               " AND (totp_last_step IS NULL OR totp_last_step < ?)",
               Params(step, id.value(), step)) == 1;
}

void IdentityStore::replace_recovery_codes(OperatorId id,
                                           const std::vector<std::string>& code_hashes) {
    tx_.execute("DELETE FROM operator_recovery_codes WHERE operator_id = ?", Params(id.value()));
    for (const std::string& hash : code_hashes) {
        tx_.execute("INSERT INTO operator_recovery_codes (operator_id, code_hash) VALUES (?, ?)",
                    Params(id.value(), hash));
    }
}

bool IdentityStore::use_recovery_code(OperatorId id, std::string_view code_hash, Timestamp at) {
    return tx_.execute(
               "UPDATE operator_recovery_codes SET used_at = ?"
               " WHERE operator_id = ? AND code_hash = ? AND used_at IS NULL",
               Params(at, id.value(), code_hash)) == 1;
}

std::int64_t IdentityStore::unused_recovery_codes(OperatorId id) {
    return tx_
        .query_single(
            "SELECT COUNT(*) FROM operator_recovery_codes WHERE operator_id = ? AND used_at IS "
            "NULL",
            Params(id.value()))
        .int64(0);
}

bool IdentityStore::requires_second_factor(OperatorId id) {
    return tx_
        .query_optional(
            "SELECT 1 FROM operator_roles a JOIN roles r ON r.name = a.role"
            " WHERE a.operator_id = ? AND r.requires_2fa = 1 LIMIT 1",
            Params(id.value()))
        .has_value();
}

std::optional<ThrottleState> IdentityStore::throttle(std::string_view key) {
    const auto row = tx_.query_optional(
        "SELECT failures, last_failure_at, locked_until FROM login_throttle"
        " WHERE throttle_key = ?",
        Params(key));
    if (!row) return std::nullopt;
    return ThrottleState{row->int64(0), row->timestamp(1), row->opt_timestamp(2)};
}

void IdentityStore::save_throttle(std::string_view key, const ThrottleState& state) {
    tx_.execute(
        "INSERT INTO login_throttle (throttle_key, failures, last_failure_at, locked_until)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (throttle_key) DO UPDATE SET"
        " failures = excluded.failures, last_failure_at = excluded.last_failure_at,"
        " locked_until = excluded.locked_until",
        Params(key, state.failures, state.last_failure_at, state.locked_until));
}

void IdentityStore::clear_throttle(std::string_view key) {
    tx_.execute("DELETE FROM login_throttle WHERE throttle_key = ?", Params(key));
}

void IdentityStore::purge_throttle(Timestamp quiet_since, Timestamp now) {
    tx_.execute(
        "DELETE FROM login_throttle WHERE last_failure_at < ?"
        " AND (locked_until IS NULL OR locked_until < ?)",
        Params(quiet_since, now));
}

std::optional<OperatorId> IdentityStore::sso_operator(std::string_view issuer,
                                                      std::string_view subject) {
    const auto row = tx_.query_optional(
        "SELECT operator_id FROM operator_sso_identities WHERE issuer = ? AND subject = ?",
        Params(issuer, subject));
    if (!row) return std::nullopt;
    return OperatorId(row->int64(0));
}

void IdentityStore::link_sso(std::string_view issuer, std::string_view subject, OperatorId id,
                             Timestamp at) {
    tx_.execute(
        "INSERT INTO operator_sso_identities (issuer, subject, operator_id, created_at)"
        " VALUES (?, ?, ?, ?)",
        Params(issuer, subject, id.value(), at));
}

std::string_view IdentityStore::schema() { return kSchema; }

}  // namespace pitboss::access::detail

namespace pitboss::access {

std::unique_ptr<SessionStore> make_database_session_store() {
    return std::make_unique<detail::DatabaseSessionStore>();
}

}  // namespace pitboss::access
