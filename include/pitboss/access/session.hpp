#pragma once
/// @file
/// Operator sessions and the pluggable store that keeps them.
///
/// A session is named by an opaque 256-bit random token that only its holder knows; stores keep
/// the SHA-256 of the token, never the token. The session's public id (shown in listings and
/// used to revoke it) is the first 16 hex digits of that hash.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/id.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::access {

/// One signed-in operator session, as listings show it (without the token).
struct Session {
    std::string id;              ///< 16 lower-case hex digits; names the session when revoking
    OperatorId operator_id;      ///< whose session it is
    Timestamp created_at;        ///< sign-in time
    Timestamp last_seen_at;      ///< last validated use (written back at most once a minute)
    Timestamp expires_at;        ///< absolute end, whatever the activity
    std::string source_address;  ///< where the sign-in came from
    std::string second_factor;   ///< "totp", "recovery_code" or "none"
};

/// Where sessions live. Implementations are thread-safe.
///
/// Every method receives the caller's database transaction, which also holds the audit entry
/// of the change: the database store works inside it, so a session and its audit entry commit
/// together. A store outside the database defers new sessions with Transaction::after_commit.
class SessionStore {
public:
    virtual ~SessionStore() = default;
    SessionStore() = default;
    SessionStore(const SessionStore&) = delete;
    SessionStore& operator=(const SessionStore&) = delete;

    /// Saves a new session under `token_hash` (64 lower-case hex digits of SHA-256).
    virtual void insert(storage::Transaction& tx, std::string_view token_hash,
                        const Session& session) = 0;
    /// The session whose token hashes to `token_hash`, expired or not; nullopt when absent.
    [[nodiscard]] virtual std::optional<Session> find(storage::Transaction& tx,
                                                      std::string_view token_hash) = 0;
    /// Records a use of the session (no-op when it no longer exists).
    virtual void touch(storage::Transaction& tx, std::string_view session_id,
                       Timestamp last_seen_at) = 0;
    /// The operator's sessions, newest first, expired ones included.
    [[nodiscard]] virtual std::vector<Session> list(storage::Transaction& tx,
                                                    OperatorId operator_id) = 0;
    /// The session named `session_id`, or nullopt when absent.
    [[nodiscard]] virtual std::optional<Session> find_by_id(storage::Transaction& tx,
                                                            std::string_view session_id) = 0;
    /// Deletes one session; false when it did not exist.
    virtual bool remove(storage::Transaction& tx, std::string_view session_id) = 0;
    /// Deletes every session of an operator; returns the ids removed.
    virtual std::vector<std::string> remove_all(storage::Transaction& tx,
                                                OperatorId operator_id) = 0;
};

/// The default store: the `operator_sessions` table of the back office's own database.
[[nodiscard]] std::unique_ptr<SessionStore> make_database_session_store();

/// A store in Redis (hiredis), shared by every instance that uses the same server and prefix.
///
/// `url` is `redis://host:port` or `unix:///path/to/socket`; keys live under `prefix`, and each
/// session key expires with the session. A new session is written once the caller's database
/// transaction (holding its audit entry) has committed, so none exists without its audit entry;
/// removals apply at once, before that commit (a failed commit leaves a session revoked, never
/// one alive that the log says was revoked). One connection, reconnected once on
/// loss; throws UnavailableError when Redis cannot be reached, ValidationError for a bad URL.
[[nodiscard]] std::unique_ptr<SessionStore> make_redis_session_store(
    std::string_view url, std::string_view prefix = "pitboss:");

}  // namespace pitboss::access
