// Sessions in Redis, for deployments where many pitboss instances share sign-ins.
//
// Layout, under a configurable prefix ("pitboss:" by default):
//   <prefix>session:<id>                 hash: token_hash, operator_id, created_at, last_seen_at,
//                                        expires_at, source_address, second_factor; Redis drops
//                                        it once the session's absolute lifetime has passed
//   <prefix>operator:<operator_id>:sessions   set of the operator's session ids
// The id is the first 16 hex digits of the token hash, so a token finds its hash directly; the
// full token hash is compared before the session is believed.

#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>

#include "pitboss/access/session.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

constexpr int kConnectTimeoutSeconds = 2;

struct ReplyDeleter {
    void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
    void operator()(redisContext* context) const noexcept { redisFree(context); }
};

std::int64_t to_int64(std::string_view text, std::string_view field) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        throw IntegrityError("redis session field " + std::string(field) + " is not an integer");
    }
    return value;
}

class RedisSessionStore final : public SessionStore {
public:
    RedisSessionStore(std::string url, std::string prefix)
        : url_(std::move(url)), prefix_(std::move(prefix)) {
        const std::lock_guard lock(mutex_);
        connect();
    }

    // Written only once the caller's transaction (holding the sign-in's audit entry) has
    // committed, so no session exists in Redis without its audit entry.
    void insert(storage::Transaction& tx, std::string_view token_hash, const Session& s) override {
        tx.after_commit([this, hash = std::string(token_hash), s] { write(hash, s); });
    }

    // The session's hash, its expiry and its place in the operator's set, in one MULTI.
    void write(std::string_view token_hash, const Session& s) {
        const std::string key = session_key(s.id);
        const std::lock_guard lock(mutex_);
        expect_status(command({"MULTI"}), "MULTI");
        (void)command({"HSET", key, "token_hash", std::string(token_hash), "operator_id",
                       s.operator_id.to_string(), "created_at", millis(s.created_at),
                       "last_seen_at", millis(s.last_seen_at), "expires_at", millis(s.expires_at),
                       "source_address", s.source_address, "second_factor", s.second_factor});
        // Relative to Redis's own clock: the session's lifetime, not its end on the injected
        // clock (which may be a test's or a simulation's).
        const auto lifetime =
            std::max<std::int64_t>(1, to_unix_millis(s.expires_at) - to_unix_millis(s.created_at));
        (void)command({"PEXPIRE", key, std::to_string(lifetime)});
        (void)command({"SADD", operator_key(s.operator_id), s.id});
        const Reply done = command({"EXEC"});
        if (done->type != REDIS_REPLY_ARRAY) throw UnavailableError("redis: EXEC failed");
    }

    std::optional<Session> find(storage::Transaction& /*tx*/,
                                std::string_view token_hash) override {
        if (token_hash.size() < 16) return std::nullopt;
        const std::string id(token_hash.substr(0, 16));
        const std::lock_guard lock(mutex_);
        auto fields = hash_of(session_key(id));
        if (fields.empty() || fields["token_hash"] != token_hash) return std::nullopt;
        return session_from(id, fields);
    }

    void touch(storage::Transaction& /*tx*/, std::string_view session_id,
               Timestamp last_seen_at) override {
        // Atomic: only an existing session, and never backwards.
        static constexpr std::string_view kScript =
            "if redis.call('EXISTS', KEYS[1]) == 1 and"
            " tonumber(redis.call('HGET', KEYS[1], 'last_seen_at')) < tonumber(ARGV[1]) then"
            " redis.call('HSET', KEYS[1], 'last_seen_at', ARGV[1]) end return 0";
        const std::lock_guard lock(mutex_);
        (void)command(
            {"EVAL", std::string(kScript), "1", session_key(session_id), millis(last_seen_at)});
    }

    std::vector<Session> list(storage::Transaction& /*tx*/, OperatorId operator_id) override {
        const std::lock_guard lock(mutex_);
        std::vector<Session> out;
        for (const std::string& id : members(operator_key(operator_id))) {
            auto fields = hash_of(session_key(id));
            if (fields.empty()) {
                // Expired by Redis: drop it from the operator's set too.
                (void)command({"SREM", operator_key(operator_id), id});
                continue;
            }
            out.push_back(session_from(id, fields));
        }
        std::sort(out.begin(), out.end(), [](const Session& a, const Session& b) {
            return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
        });
        return out;
    }

    std::optional<Session> find_by_id(storage::Transaction& /*tx*/,
                                      std::string_view session_id) override {
        const std::lock_guard lock(mutex_);
        auto fields = hash_of(session_key(session_id));
        if (fields.empty()) return std::nullopt;
        return session_from(std::string(session_id), fields);
    }

    bool remove(storage::Transaction& /*tx*/, std::string_view session_id) override {
        const std::lock_guard lock(mutex_);
        const std::string key = session_key(session_id);
        const Reply owner = command({"HGET", key, "operator_id"});
        if (owner->type != REDIS_REPLY_STRING) return false;
        const OperatorId operator_id(
            to_int64(std::string_view(owner->str, owner->len), "operator_id"));
        const Reply deleted = command({"DEL", key});
        (void)command({"SREM", operator_key(operator_id), std::string(session_id)});
        return deleted->type == REDIS_REPLY_INTEGER && deleted->integer == 1;
    }

    std::vector<std::string> remove_all(storage::Transaction& /*tx*/,
                                        OperatorId operator_id) override {
        const std::lock_guard lock(mutex_);
        std::vector<std::string> removed;
        const std::string set_key = operator_key(operator_id);
        for (const std::string& id : members(set_key)) {
            const Reply deleted = command({"DEL", session_key(id)});
            if (deleted->type == REDIS_REPLY_INTEGER && deleted->integer == 1) {
                removed.push_back(id);
            }
        }
        (void)command({"DEL", set_key});
        std::sort(removed.begin(), removed.end());
        return removed;
    }

private:
    static std::string millis(Timestamp t) { return std::to_string(to_unix_millis(t)); }

    std::string session_key(std::string_view id) const {
        return prefix_ + "session:" + std::string(id);
    }
    std::string operator_key(OperatorId id) const {
        return prefix_ + "operator:" + id.to_string() + ":sessions";
    }

    void connect() {
        const timeval timeout{kConnectTimeoutSeconds, 0};
        redisContext* raw = nullptr;
        if (url_.rfind("unix://", 0) == 0) {
            raw = redisConnectUnixWithTimeout(url_.substr(7).c_str(), timeout);
        } else if (url_.rfind("redis://", 0) == 0) {
            const std::string rest = url_.substr(8);
            const auto colon = rest.rfind(':');
            const std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
            const int port = colon == std::string::npos
                                 ? 6379
                                 : static_cast<int>(to_int64(rest.substr(colon + 1), "port"));
            raw = redisConnectWithTimeout(host.c_str(), port, timeout);
        } else {
            throw ValidationError("url", "must be redis://host:port or unix:///path/to/socket");
        }
        context_.reset(raw);
        if (!context_ || context_->err != 0) {
            const std::string reason = context_ ? context_->errstr : "out of memory";
            context_.reset();
            throw UnavailableError("redis: cannot connect: " + reason);
        }
    }

    // One command; reconnects once when the connection was lost. Error replies throw.
    Reply command(const std::vector<std::string>& args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const std::string& a : args) {
            argv.push_back(a.data());
            lengths.push_back(a.size());
        }
        for (int attempt = 0;; ++attempt) {
            if (!context_) connect();
            Reply reply(static_cast<redisReply*>(redisCommandArgv(
                context_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
            if (reply) {
                if (reply->type == REDIS_REPLY_ERROR) {
                    throw UnavailableError("redis: " + args.front() +
                                           " failed: " + std::string(reply->str, reply->len));
                }
                return reply;
            }
            const std::string reason = context_->errstr;
            context_.reset();
            if (attempt >= 1) throw UnavailableError("redis: " + reason);
        }
    }

    static void expect_status(const Reply& reply, std::string_view what) {
        if (reply->type != REDIS_REPLY_STATUS) {
            throw UnavailableError("redis: " + std::string(what) + " was not accepted");
        }
    }

    std::map<std::string, std::string> hash_of(const std::string& key) {
        const Reply reply = command({"HGETALL", key});
        std::map<std::string, std::string> out;
        if (reply->type != REDIS_REPLY_ARRAY) return out;
        for (std::size_t i = 0; i + 1 < reply->elements; i += 2) {
            const redisReply* k = reply->element[i];
            const redisReply* v = reply->element[i + 1];
            out.emplace(std::string(k->str, k->len), std::string(v->str, v->len));
        }
        return out;
    }

    std::vector<std::string> members(const std::string& key) {
        const Reply reply = command({"SMEMBERS", key});
        std::vector<std::string> out;
        if (reply->type != REDIS_REPLY_ARRAY) return out;
        for (std::size_t i = 0; i < reply->elements; ++i) {
            out.emplace_back(reply->element[i]->str, reply->element[i]->len);
        }
        return out;
    }

    static Session session_from(std::string id, std::map<std::string, std::string>& f) {
        Session s;
        s.id = std::move(id);
        s.operator_id = OperatorId(to_int64(f["operator_id"], "operator_id"));
        s.created_at = from_unix_millis(to_int64(f["created_at"], "created_at"));
        s.last_seen_at = from_unix_millis(to_int64(f["last_seen_at"], "last_seen_at"));
        s.expires_at = from_unix_millis(to_int64(f["expires_at"], "expires_at"));
        s.source_address = f["source_address"];
        s.second_factor = f["second_factor"];
        return s;
    }

    std::string url_;
    std::string prefix_;
    std::mutex mutex_;  // one connection, one command at a time
    std::unique_ptr<redisContext, ContextDeleter> context_;
};

}  // namespace

std::unique_ptr<SessionStore> make_redis_session_store(std::string_view url,
                                                       std::string_view prefix) {
    return std::make_unique<RedisSessionStore>(std::string(url), std::string(prefix));
}

}  // namespace pitboss::access
