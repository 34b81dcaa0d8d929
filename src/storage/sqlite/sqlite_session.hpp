#pragma once
// One sqlite3 handle with its prepared-statement cache, and the mapping of SQLite failures onto
// the pitboss errors. Used by one thread at a time (the pool hands a connection to one owner).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pitboss/core/time.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace pitboss::storage::sqlite {

/// A statement borrowed from a Session: the cached one, returned (reset, bindings cleared) on
/// destruction; or, when the cached one is already in use, a private one finalised instead.
class StatementLease {
public:
    StatementLease(sqlite3_stmt* stmt, bool* in_use) noexcept : stmt_(stmt), in_use_(in_use) {}
    StatementLease(StatementLease&& other) noexcept;
    StatementLease& operator=(StatementLease&&) = delete;
    StatementLease(const StatementLease&) = delete;
    StatementLease& operator=(const StatementLease&) = delete;
    ~StatementLease();

    [[nodiscard]] sqlite3_stmt* get() const noexcept { return stmt_; }

private:
    sqlite3_stmt* stmt_;
    bool* in_use_;  // the cache entry's flag; null for a private statement
};

/// An open SQLite database handle.
class Session {
public:
    /// Opens `path` (":memory:" for a private in-memory database) and applies the pragmas.
    Session(const std::string& path, bool in_memory, Duration busy_timeout);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// A prepared statement for `sql`, prepared once per session and reused.
    [[nodiscard]] StatementLease statement(std::string_view sql);
    /// Runs `;`-separated statements without parameters; with `read_only`, refuses (before
    /// running it) any statement that would write.
    void exec_script(std::string_view sql, bool read_only = false);
    /// True while a transaction is open on the handle.
    [[nodiscard]] bool in_transaction() const noexcept;
    /// Rolls back whatever transaction is open; false when the handle stays inside one.
    bool rollback_quietly() noexcept;
    /// Throws StorageError when `stmt` would write and `read_only` is set.
    void check_read_only(sqlite3_stmt* stmt, bool read_only, std::string_view sql) const;
    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

    /// Throws the pitboss error for result code `rc` of `sql` (message taken from the handle).
    [[noreturn]] void fail(int rc, std::string_view sql) const;

private:
    struct Cached {
        sqlite3_stmt* stmt;
        bool in_use;
    };
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };

    sqlite3_stmt* prepare(std::string_view sql);

    /// Beyond this many texts (SQL built on the fly), statements are prepared per use.
    static constexpr std::size_t kMaxCached = 512;

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, Cached, Hash, std::equal_to<>> cache_;
};

}  // namespace pitboss::storage::sqlite
