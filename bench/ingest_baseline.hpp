#pragma once
// Baselines for the ingestion benchmarks: the same event-log rows written by the fastest plain
// client code, with no pitboss in the way.
//
// - sqlite_plain_insert_seconds: a raw sqlite3 prepared INSERT loop into a fresh file opened
//   with the pragmas pitboss sets, committing every kBaselineCommitRows rows;
// - postgres_copy_seconds (when built with PITBOSS_WITH_POSTGRES): raw libpq COPY FROM STDIN in
//   text format into a fresh schema, one COPY per kBaselineCommitRows rows, each in its own
//   committed transaction.
// Both time only the writing (creating the table and closing the connection are outside) and
// throw std::runtime_error when the database fails.

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bench_util.hpp"

#if defined(PITBOSS_WITH_POSTGRES)
#include <libpq-fe.h>
#include <unistd.h>
#endif

namespace pitboss::bench {

/// One event-log row, as src/events/event_log.cpp stores it. NULL in the table: an empty text,
/// duration_s -1, and the four amount columns when currency is empty.
struct BaselineRow {
    std::int64_t seq;
    std::string event_id;
    std::int64_t player_id;
    std::string type;
    std::int64_t occurred_at;
    std::string ref;
    std::string state;
    std::int64_t amount_minor;
    std::string currency;
    std::int64_t player_minor;
    std::int64_t base_minor;
    std::string game_id;
    std::string game_type;
    std::string method;
    std::string device;
    std::string ip_country;
    std::int64_t duration_s;
    std::string detail;
};

/// Rows per transaction (SQLite) and per COPY (PostgreSQL).
inline constexpr std::size_t kBaselineCommitRows = 50'000;

/// The event log's shape on SQLite.
inline constexpr std::string_view kEventLogSqliteDdl =
    "CREATE TABLE event_log (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL,"
    " player_id INTEGER NOT NULL, type TEXT NOT NULL, occurred_at INTEGER NOT NULL, ref TEXT,"
    " state TEXT, amount_minor INTEGER, currency TEXT, player_minor INTEGER,"
    " base_minor INTEGER, game_id TEXT, game_type TEXT, method TEXT, device TEXT,"
    " ip_country TEXT, duration_s INTEGER, detail TEXT);"
    " CREATE UNIQUE INDEX event_log_event_id ON event_log (event_id)";

/// The same table on PostgreSQL (INTEGER is 32-bit there, so BIGINT).
inline constexpr std::string_view kEventLogPostgresDdl =
    "CREATE TABLE event_log (seq BIGINT PRIMARY KEY, event_id TEXT NOT NULL,"
    " player_id BIGINT NOT NULL, type TEXT NOT NULL, occurred_at BIGINT NOT NULL, ref TEXT,"
    " state TEXT, amount_minor BIGINT, currency TEXT, player_minor BIGINT,"
    " base_minor BIGINT, game_id TEXT, game_type TEXT, method TEXT, device TEXT,"
    " ip_country TEXT, duration_s BIGINT, detail TEXT);"
    " CREATE UNIQUE INDEX event_log_event_id ON event_log (event_id)";

/// The table's columns, in BaselineRow's order.
inline constexpr std::array<std::string_view, 18> kEventLogColumns = {
    "seq",       "event_id",     "player_id", "type",         "occurred_at", "ref",
    "state",     "amount_minor", "currency",  "player_minor", "base_minor",  "game_id",
    "game_type", "method",       "device",    "ip_country",   "duration_s",  "detail"};

namespace detail {

/// The pragmas pitboss's SQLite backend sets on a file database (src/storage/sqlite).
inline constexpr const char* kSqlitePragmas =
    "PRAGMA journal_mode=WAL; PRAGMA mmap_size=268435456; PRAGMA synchronous=NORMAL;"
    " PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY";

inline void sqlite_check(int rc, sqlite3* db, int expected = SQLITE_OK) {
    if (rc != expected) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
}

inline void sqlite_exec(sqlite3* db, const char* sql) {
    sqlite_check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db);
}

inline void remove_sqlite_files(const std::filesystem::path& file) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(file.string() + suffix);
    }
}

/// Binds `text` without a copy (the rows outlive the statement's use); empty binds NULL.
inline void bind_text_or_null(sqlite3* db, sqlite3_stmt* stmt, int position,
                              const std::string& text) {
    const int rc = text.empty() ? sqlite3_bind_null(stmt, position)
                                : sqlite3_bind_text64(stmt, position, text.data(), text.size(),
                                                      nullptr, SQLITE_UTF8);
    sqlite_check(rc, db);
}

/// Appends `text` in COPY text format: backslash, tab, newline and carriage return escaped.
inline void append_copy_text(std::string& out, std::string_view text) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const char escaped = c == '\\'   ? '\\'
                             : c == '\t' ? 't'
                             : c == '\n' ? 'n'
                             : c == '\r' ? 'r'
                                         : 0;
        if (escaped == 0) continue;
        out.append(text, run, i - run);
        out.push_back('\\');
        out.push_back(escaped);
        run = i + 1;
    }
    out.append(text, run);
}

inline void append_copy_int(std::string& out, std::int64_t value) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    out.append(digits.data(), end);
}

/// Appends one row in COPY text format, with BaselineRow's NULL rules.
inline void append_copy_row(std::string& out, const BaselineRow& row) {
    auto integer = [&](std::int64_t value) {
        append_copy_int(out, value);
        out.push_back('\t');
    };
    auto text = [&](const std::string& value) {
        if (value.empty()) {
            out.append("\\N");
        } else {
            append_copy_text(out, value);
        }
        out.push_back('\t');
    };
    auto optional_integer = [&](bool present, std::int64_t value) {
        if (present) {
            integer(value);
        } else {
            out.append("\\N\t");
        }
    };
    const bool money = !row.currency.empty();
    integer(row.seq);
    text(row.event_id);
    integer(row.player_id);
    text(row.type);
    integer(row.occurred_at);
    text(row.ref);
    text(row.state);
    optional_integer(money, row.amount_minor);
    text(row.currency);
    optional_integer(money, row.player_minor);
    optional_integer(money, row.base_minor);
    text(row.game_id);
    text(row.game_type);
    text(row.method);
    text(row.device);
    text(row.ip_country);
    optional_integer(row.duration_s >= 0, row.duration_s);
    text(row.detail);
    out.back() = '\n';
}

}  // namespace detail

/// Seconds to write `rows` into a fresh SQLite file at `file` (replaced if present) with a plain
/// prepared INSERT loop, committing every kBaselineCommitRows rows.
inline double sqlite_plain_insert_seconds(const std::filesystem::path& file,
                                          const std::vector<BaselineRow>& rows) {
    using detail::sqlite_check;
    detail::remove_sqlite_files(file);
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        const std::string reason = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error("sqlite: cannot open " + file.string() + ": " + reason);
    }
    sqlite3_stmt* insert = nullptr;
    double elapsed = 0;
    try {
        detail::sqlite_exec(db, detail::kSqlitePragmas);
        detail::sqlite_exec(db, std::string(kEventLogSqliteDdl).c_str());
        sqlite_check(sqlite3_prepare_v3(db,
                                        "INSERT INTO event_log (seq, event_id, player_id, type,"
                                        " occurred_at, ref, state, amount_minor, currency,"
                                        " player_minor, base_minor, game_id, game_type, method,"
                                        " device, ip_country, duration_s, detail) VALUES"
                                        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr),
                     db);
        elapsed = seconds([&] {
            for (std::size_t start = 0; start < rows.size(); start += kBaselineCommitRows) {
                const std::size_t end = std::min(rows.size(), start + kBaselineCommitRows);
                detail::sqlite_exec(db, "BEGIN IMMEDIATE");
                for (std::size_t i = start; i < end; ++i) {
                    const BaselineRow& row = rows[i];
                    sqlite_check(sqlite3_bind_int64(insert, 1, row.seq), db);
                    detail::bind_text_or_null(db, insert, 2, row.event_id);
                    sqlite_check(sqlite3_bind_int64(insert, 3, row.player_id), db);
                    detail::bind_text_or_null(db, insert, 4, row.type);
                    sqlite_check(sqlite3_bind_int64(insert, 5, row.occurred_at), db);
                    detail::bind_text_or_null(db, insert, 6, row.ref);
                    detail::bind_text_or_null(db, insert, 7, row.state);
                    const bool money = !row.currency.empty();
                    auto bind_amount = [&](int position, std::int64_t value) {
                        sqlite_check(money ? sqlite3_bind_int64(insert, position, value)
                                           : sqlite3_bind_null(insert, position),
                                     db);
                    };
                    bind_amount(8, row.amount_minor);
                    detail::bind_text_or_null(db, insert, 9, row.currency);
                    bind_amount(10, row.player_minor);
                    bind_amount(11, row.base_minor);
                    detail::bind_text_or_null(db, insert, 12, row.game_id);
                    detail::bind_text_or_null(db, insert, 13, row.game_type);
                    detail::bind_text_or_null(db, insert, 14, row.method);
                    detail::bind_text_or_null(db, insert, 15, row.device);
                    detail::bind_text_or_null(db, insert, 16, row.ip_country);
                    sqlite_check(row.duration_s >= 0
                                     ? sqlite3_bind_int64(insert, 17, row.duration_s)
                                     : sqlite3_bind_null(insert, 17),
                                 db);
                    detail::bind_text_or_null(db, insert, 18, row.detail);
                    sqlite_check(sqlite3_step(insert), db, SQLITE_DONE);
                    sqlite_check(sqlite3_reset(insert), db);
                }
                detail::sqlite_exec(db, "COMMIT");
            }
        });
    } catch (...) {
        sqlite3_finalize(insert);
        sqlite3_close(db);
        throw;
    }
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return elapsed;
}

#if defined(PITBOSS_WITH_POSTGRES)

namespace detail {

/// A libpq connection closed on destruction.
class PgSession {
public:
    explicit PgSession(std::string_view url) : conn_(PQconnectdb(std::string(url).c_str())) {
        if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
            const std::string reason = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
            PQfinish(conn_);
            throw std::runtime_error("postgres: cannot connect: " + reason);
        }
    }
    ~PgSession() { PQfinish(conn_); }
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;

    [[nodiscard]] PGconn* get() const noexcept { return conn_; }

    /// Runs parameterless SQL; throws unless it ends with `expected`.
    void exec(const std::string& sql, ExecStatusType expected = PGRES_COMMAND_OK) const {
        PGresult* result = PQexec(conn_, sql.c_str());
        const bool ok = PQresultStatus(result) == expected;
        PQclear(result);
        if (!ok) fail(sql);
    }
    /// Throws with the connection's last error.
    [[noreturn]] void fail(std::string_view what) const {
        throw std::runtime_error("postgres: " + std::string(PQerrorMessage(conn_)) + " (in " +
                                 std::string(what.substr(0, 40)) + ")");
    }

private:
    PGconn* conn_;
};

/// A schema name of this process, so that concurrent benchmarks on one server keep apart.
inline std::string process_schema(std::string_view prefix) {
    return std::string(prefix) + "_" + std::to_string(::getpid());
}

}  // namespace detail

/// Seconds to write `rows` into event_log in a fresh schema of the database at `url` with raw
/// COPY FROM STDIN (text format, about 256 KiB per PQputCopyData), one COPY and one committed
/// transaction per kBaselineCommitRows rows. The schema is dropped afterwards.
inline double postgres_copy_seconds(std::string_view url, const std::vector<BaselineRow>& rows) {
    constexpr std::size_t kChunk = 256 * 1024;
    detail::PgSession session(url);
    const std::string schema = detail::process_schema("pitboss_ingest_baseline");
    session.exec("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema +
                 " CASCADE; CREATE SCHEMA " + schema + "; SET search_path TO " + schema);
    session.exec(std::string(kEventLogPostgresDdl));
    const std::string copy =
        "COPY event_log (seq, event_id, player_id, type, occurred_at, ref, state, amount_minor,"
        " currency, player_minor, base_minor, game_id, game_type, method, device, ip_country,"
        " duration_s, detail) FROM STDIN";
    PGconn* conn = session.get();
    std::string buffer;
    buffer.reserve(kChunk + 4096);
    auto put = [&] {
        if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) {
            session.fail("PQputCopyData");
        }
        buffer.clear();
    };
    const double elapsed = seconds([&] {
        for (std::size_t start = 0; start < rows.size(); start += kBaselineCommitRows) {
            const std::size_t end = std::min(rows.size(), start + kBaselineCommitRows);
            session.exec("BEGIN");
            session.exec(copy, PGRES_COPY_IN);
            for (std::size_t i = start; i < end; ++i) {
                detail::append_copy_row(buffer, rows[i]);
                if (buffer.size() >= kChunk) put();
            }
            if (!buffer.empty()) put();
            if (PQputCopyEnd(conn, nullptr) != 1) session.fail("PQputCopyEnd");
            bool ok = true;
            while (PGresult* result = PQgetResult(conn)) {
                ok = ok && PQresultStatus(result) == PGRES_COMMAND_OK;
                PQclear(result);
            }
            if (!ok) session.fail(copy);
            session.exec("COMMIT");
        }
    });
    session.exec("DROP SCHEMA " + schema + " CASCADE");
    return elapsed;
}

#endif  // PITBOSS_WITH_POSTGRES

}  // namespace pitboss::bench
