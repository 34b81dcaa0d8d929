#pragma once
/// @file
/// `storage::Database`: one API over SQLite and PostgreSQL, opened by URL.
///
/// Domain code writes portable SQL with `?` placeholders, `INSERT ... ON CONFLICT`, and
/// `RETURNING`; the backend translates placeholders and owns every other difference.
///
/// Parameter types: on PostgreSQL an integer parameter is sent as BIGINT and a double as DOUBLE
/// PRECISION; text and NULL let the server infer the type from context. Where the context
/// cannot tell (`? IS NULL`, a bare `coalesce(?, ...)`), write the type: `CAST(? AS BIGINT)`,
/// `CAST(? AS TEXT)`; both backends accept that.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/storage/value.hpp"

namespace pitboss::storage {

/// Which database engine is behind a Database.
enum class Backend { kSqlite, kPostgres };

/// Read-only transactions may run concurrently; write transactions are serialised by the
/// backend (SQLite `BEGIN IMMEDIATE`, PostgreSQL `SERIALIZABLE`).
enum class TxMode { kRead, kWrite };

/// Forward-only stream over a result; accessors read the current row, valid until next().
/// Accessors follow Row's rules (int64 accepts integer text; a NULL or a type mismatch is a
/// StorageError naming the column). A cursor ends with its transaction: using it after the
/// commit or rollback is a StorageError.
class Cursor {
public:
    virtual ~Cursor() = default;
    /// Advances to the next row; false at the end.
    virtual bool next() = 0;
    /// Number of columns of the result.
    [[nodiscard]] virtual std::size_t column_count() const = 0;
    /// True when column `i` of the current row is NULL.
    [[nodiscard]] virtual bool is_null(std::size_t i) const = 0;
    /// Integer column.
    [[nodiscard]] virtual std::int64_t int64(std::size_t i) const = 0;
    /// Floating-point column (integers convert).
    [[nodiscard]] virtual double real(std::size_t i) const = 0;
    /// Text of a column; the view is valid until next() or the cursor's destruction.
    [[nodiscard]] virtual std::string_view text(std::size_t i) const = 0;
};

/// Receives the values of one row of Transaction::insert_rows, in column order.
class RowSink {
public:
    virtual ~RowSink() = default;
    /// The next value is an integer.
    virtual void add(std::int64_t value) = 0;
    /// The next value is text (any bytes except NUL); copied before add() returns.
    virtual void add(std::string_view value) = 0;
    /// The next value is SQL NULL.
    virtual void add_null() = 0;
};

/// Fills row `index` (0-based) of a bulk insert through `row`.
using RowFiller = std::function<void(std::size_t index, RowSink& row)>;

/// One backend connection. Implemented by each backend; domain code never sees it.
class Connection {
public:
    virtual ~Connection() = default;
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Opens a transaction in `mode`.
    virtual void begin(TxMode mode) = 0;
    /// Commits the open transaction.
    virtual void commit() = 0;
    /// Abandons the open transaction; never throws (a failure makes the connection unhealthy).
    virtual void rollback() noexcept = 0;
    /// Runs one statement (prepared and cached by its text); returns rows affected.
    virtual std::int64_t execute(std::string_view sql, const Params& params) = 0;
    /// Runs one statement and materialises every row.
    virtual std::vector<Row> query(std::string_view sql, const Params& params) = 0;
    /// Runs one statement and streams its rows.
    virtual std::unique_ptr<Cursor> open_cursor(std::string_view sql, const Params& params) = 0;
    /// Runs several `;`-separated statements without parameters (migrations).
    virtual void execute_script(std::string_view sql) = 0;
    /// Bulk insert (see Transaction::insert_rows); `table` and `columns` are checked identifiers.
    virtual std::int64_t insert_rows(std::string_view table,
                                     std::span<const std::string_view> columns,
                                     std::size_t row_count, const RowFiller& fill) = 0;
    /// False when the connection is lost or stuck mid-transaction; the pool then discards it.
    [[nodiscard]] virtual bool healthy() const noexcept { return true; }
};

class Database;

/// A unit of work: commits only when told, rolls back when destroyed uncommitted.
/// Not thread-safe; one thread uses a transaction at a time.
///
/// A statement that fails inside it (a ConflictError, say) leaves it able only to roll back, on
/// every backend, as PostgreSQL requires: later statements and commit() throw StorageError.
/// Cursors must not outlive the transaction that opened them.
class Transaction {
public:
    /// Takes over the open transaction; the source is left empty.
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    /// Runs a statement; returns the number of rows it changed.
    std::int64_t execute(std::string_view sql, const Params& params = {});
    /// Runs a query and returns every row.
    [[nodiscard]] std::vector<Row> query(std::string_view sql, const Params& params = {});
    /// At most one row; more than one is a StorageError.
    [[nodiscard]] std::optional<Row> query_optional(std::string_view sql,
                                                    const Params& params = {});
    /// Exactly one row; none is a StorageError (callers check existence first, or use
    /// query_optional).
    [[nodiscard]] Row query_single(std::string_view sql, const Params& params = {});
    /// Streams the rows of a query into `on_row`.
    void for_each(std::string_view sql, const Params& params,
                  const std::function<void(const Cursor&)>& on_row);
    /// Opens a cursor for callers that need to stop early or interleave work.
    [[nodiscard]] std::unique_ptr<Cursor> cursor(std::string_view sql, const Params& params = {});
    /// Runs several `;`-separated statements without parameters.
    void execute_script(std::string_view sql);
    /// Inserts `row_count` rows into `table` the fastest way the backend offers (a reused
    /// prepared statement on SQLite, COPY FROM STDIN on PostgreSQL); `fill` gives row i's values
    /// in the order of `columns`. Names are plain identifiers (`schema.table` allowed), else
    /// ValidationError. A row with the wrong number of values, or text holding NUL, is a
    /// StorageError; a constraint violation a ConflictError; as with every failed statement,
    /// the transaction can then only roll back. Returns row_count.
    std::int64_t insert_rows(std::string_view table, std::span<const std::string_view> columns,
                             std::size_t row_count, const RowFiller& fill);

    /// Registers `action` to run once commit() has made the work durable, in registration
    /// order; a rollback drops it. For effects outside the database (a Redis write) that must
    /// not exist unless the transaction does. An action's error propagates from commit() (the
    /// commit stands, so it is never retryable) and the actions after it do not run.
    void after_commit(std::function<void()> action);
    /// Makes the work durable, then runs the after_commit actions. The transaction cannot be
    /// used afterwards.
    void commit();
    /// Abandons the work explicitly (the destructor does the same).
    void rollback() noexcept;

    /// Which database this runs on, for the rare dialect-specific statement.
    [[nodiscard]] Backend backend() const noexcept { return backend_; }
    /// Whether the transaction may write.
    [[nodiscard]] TxMode mode() const noexcept { return mode_; }

private:
    friend class Database;
    Transaction(Database& db, std::unique_ptr<Connection> connection, TxMode mode);
    Connection& live();
    void run_after_commit();

    Database* db_;
    std::unique_ptr<Connection> connection_;
    Backend backend_;
    TxMode mode_;
    bool done_ = false;
    bool failed_ = false;  // a statement failed; only rollback is left
    std::vector<std::function<void()>> after_commit_;
};

/// Options for Database::open.
struct DatabaseOptions {
    /// SQLite: how long a writer waits for a lock before failing.
    Duration busy_timeout{5000};
    /// Upper bound of pooled connections (an in-memory SQLite database always uses one).
    std::size_t max_connections = 8;
    /// How many times run() repeats work that failed with a retryable error.
    int max_retries = 8;
};

/// A database opened by URL, with a small connection pool. Thread-safe.
///
/// URLs: `sqlite:///absolute/path.db`, `sqlite://relative/path.db`, `sqlite::memory:`,
/// `postgresql://user@host:port/db?...` or `postgres://...` (libpq URI syntax).
class Database {
public:
    /// Opens (creating a SQLite file if needed). Throws ValidationError for a bad URL and
    /// UnavailableError when the server cannot be reached.
    static std::unique_ptr<Database> open(std::string_view url,
                                          const DatabaseOptions& options = {});

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// Which backend the URL selected, for the rare dialect-specific statement.
    [[nodiscard]] Backend backend() const noexcept { return backend_; }
    /// The URL with any password removed (safe to log).
    [[nodiscard]] const std::string& redacted_url() const noexcept { return redacted_url_; }

    /// Starts a transaction on a pooled connection.
    [[nodiscard]] Transaction begin(TxMode mode = TxMode::kWrite);

    /// Runs `work(tx)` in a transaction and commits, repeating the whole unit when the backend
    /// reports a retryable failure (serialization failure, deadlock, busy). `work` must be
    /// free of side effects outside the transaction.
    template <class F>
    auto run(TxMode mode, F&& work) -> decltype(work(std::declval<Transaction&>())) {
        for (int attempt = 0;; ++attempt) {
            try {
                Transaction tx = begin(mode);
                if constexpr (std::is_void_v<decltype(work(tx))>) {
                    work(tx);
                    tx.commit();
                    return;
                } else {
                    auto result = work(tx);
                    tx.commit();
                    return result;
                }
            } catch (const Error& e) {
                if (!e.retryable() || attempt >= options_.max_retries) throw;
                backoff(attempt);
            }
        }
    }

    /// Rewrites portable DDL tokens for this backend: `{{id}}` (auto-increment integer
    /// primary key), `{{bigint}}`, `{{text}}`, `{{real}}`, `{{blob}}`.
    [[nodiscard]] std::string translate_ddl(std::string_view ddl) const;

private:
    friend class Transaction;
    using Factory = std::function<std::unique_ptr<Connection>()>;
    Database(Backend backend, std::string redacted_url, Factory factory, DatabaseOptions options);
    std::unique_ptr<Connection> acquire();
    void release(std::unique_ptr<Connection> connection) noexcept;
    void backoff(int attempt) const;

    Backend backend_;
    std::string redacted_url_;
    Factory factory_;
    DatabaseOptions options_;
    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_connections_ = 0;
    std::condition_variable pool_cv_;
};

}  // namespace pitboss::storage
