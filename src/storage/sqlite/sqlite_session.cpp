#include "storage/sqlite/sqlite_session.hpp"

#include <sqlite3.h>

#include <climits>

#include "pitboss/core/error.hpp"
#include "storage/conversions.hpp"

namespace pitboss::storage::sqlite {

// --- StatementLease ---------------------------------------------------------------------------

StatementLease::StatementLease(StatementLease&& other) noexcept
    : stmt_(other.stmt_), in_use_(other.in_use_) {
    other.stmt_ = nullptr;
    other.in_use_ = nullptr;
}

StatementLease::~StatementLease() {
    if (stmt_ == nullptr) return;
    if (in_use_ == nullptr) {
        sqlite3_finalize(stmt_);
        return;
    }
    // Reset at once, not on the next use: a statement left mid-step holds its read snapshot.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
}

// --- Session ----------------------------------------------------------------------------------

namespace {

// Every handle, per connection of the pool:
// - synchronous=NORMAL: in WAL mode a commit survives a crash of the process, and the database
//   stays consistent after a power loss (which may lose the last commits);
// - cache_size=-16384: a page cache of up to 16 MiB (SQLite's default is 2 MiB), allocated only
//   as pages are read;
// - temp_store=MEMORY: sorts and temporary indexes stay in memory instead of temporary files.
constexpr std::string_view kPragmas =
    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;"
    " PRAGMA temp_store=MEMORY";
// File databases only:
// - journal_mode=WAL: readers do not block the writer;
// - mmap_size=256 MiB: reads of the first 256 MiB of the file map its pages instead of copying
//   them (address space only; the kernel shares the pages between connections). Long scans such
//   as audit verification gain most.
constexpr std::string_view kFilePragmas = "PRAGMA journal_mode=WAL; PRAGMA mmap_size=268435456";

}  // namespace

Session::Session(const std::string& path, bool in_memory, Duration busy_timeout) {
    // NOMUTEX: the pool guarantees that one thread at a time uses a handle.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(in_memory ? ":memory:" : path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        throw StorageError("sqlite: cannot open '" + path + "': " + reason);
    }
    try {
        sqlite3_extended_result_codes(db_, 1);
        const auto timeout = busy_timeout.count();
        sqlite3_busy_timeout(db_, static_cast<int>(timeout > INT_MAX ? INT_MAX : timeout));
        if (!in_memory) exec_script(kFilePragmas);
        exec_script(kPragmas);
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

Session::~Session() {
    for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
    sqlite3_close(db_);
}

StatementLease Session::statement(std::string_view sql) {
    auto found = cache_.find(sql);
    if (found == cache_.end()) {
        if (cache_.size() >= kMaxCached) return StatementLease(prepare(sql), nullptr);
        found = cache_.emplace(std::string(sql), Cached{prepare(sql), false}).first;
    }
    Cached& cached = found->second;
    if (cached.in_use) return StatementLease(prepare(sql), nullptr);
    cached.in_use = true;
    return StatementLease(cached.stmt, &cached.in_use);
}

sqlite3_stmt* Session::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    if (stmt == nullptr) throw StorageError("sqlite: empty statement");
    return stmt;
}

void Session::exec_script(std::string_view sql, bool read_only) {
    // One statement at a time (not sqlite3_exec) so that each can be checked before it runs.
    const char* next = sql.data();
    const char* end = sql.data() + sql.size();
    while (next < end) {
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &raw, &tail);
        if (rc != SQLITE_OK) fail(rc, std::string_view(next, static_cast<std::size_t>(end - next)));
        next = tail;
        if (raw == nullptr) continue;  // whitespace or a comment
        StatementLease statement(raw, nullptr);
        const std::string_view text = sqlite3_sql(raw);
        check_read_only(raw, read_only, text);
        int step = SQLITE_ROW;
        while (step == SQLITE_ROW) step = sqlite3_step(raw);
        if (step != SQLITE_DONE) fail(step, text);
    }
}

bool Session::in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

bool Session::rollback_quietly() noexcept {
    if (in_transaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return !in_transaction();
}

void Session::check_read_only(sqlite3_stmt* stmt, bool read_only, std::string_view sql) const {
    if (read_only && sqlite3_stmt_readonly(stmt) == 0) {
        throw StorageError("sqlite: a read transaction cannot write (in \"" +
                           detail::sql_head(sql) + "\")");
    }
}

void Session::fail(int rc, std::string_view sql) const {
    const std::string message =
        std::string("sqlite: ") + sqlite3_errmsg(db_) + " (in \"" + detail::sql_head(sql) + "\")";
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw StorageError(message, true);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        throw ConflictError(message);
    }
    throw StorageError(message);
}

}  // namespace pitboss::storage::sqlite
