#pragma once
// The PostgreSQL implementation of storage::Connection, over libpq. libpq's types stay in this
// folder; nothing here reaches a public header.

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "pitboss/storage/database.hpp"

struct pg_conn;
struct pg_result;

namespace pitboss::storage::postgres {

class PgCursor;

/// Frees a PGresult.
struct ResultDeleter {
    void operator()(pg_result* result) const noexcept;
};
/// An owned PGresult.
using Result = std::unique_ptr<pg_result, ResultDeleter>;

/// One server session with its prepared statements. Statements are prepared once per text and
/// parameter-type signature, under generated names, and run with PQexecPrepared. A cursor
/// streams in single-row mode; when another statement needs the session first, the rest of
/// the cursor's rows are buffered.
class PgConnection final : public Connection {
public:
    /// Connects; UnavailableError when the server cannot be reached. `redacted_url` names the
    /// server in messages.
    PgConnection(const std::string& conninfo, const std::string& redacted_url);
    ~PgConnection() override;

    void begin(TxMode mode) override;
    void commit() override;
    void rollback() noexcept override;
    std::int64_t execute(std::string_view sql, const Params& params) override;
    std::vector<Row> query(std::string_view sql, const Params& params) override;
    std::unique_ptr<Cursor> open_cursor(std::string_view sql, const Params& params) override;
    void execute_script(std::string_view sql) override;
    /// COPY ... FROM STDIN in text format, sent in chunks of about kCopyChunk bytes.
    std::int64_t insert_rows(std::string_view table, std::span<const std::string_view> columns,
                             std::size_t row_count, const RowFiller& fill) override;
    [[nodiscard]] bool healthy() const noexcept override;

    // For PgCursor.
    /// The next result of the running query; null when it has no more.
    Result next_result() noexcept;
    /// Reads and drops what remains of the running query.
    void discard_results() noexcept;
    /// The streaming cursor has received its last result.
    void stream_ended() noexcept { streaming_ = nullptr; }
    /// A cursor destroyed while its transaction is open.
    void forget(const PgCursor* cursor) noexcept;
    [[noreturn]] void fail(const pg_result* result, std::string_view sql);

private:
    /// Sends a statement for streaming (single-row mode); results follow via next_result().
    void send(std::string_view sql, const Params& params);
    /// Frees the session for a new statement: a streaming cursor buffers its remaining rows.
    void settle();
    /// Ends every cursor: the transaction is ending.
    void detach_cursors() noexcept;
    /// Runs a statement with parameters through the prepared-statement cache.
    Result run(std::string_view sql, const Params& params);
    /// The server-side name of the statement, preparing it on first use; null when the cache
    /// is full (SQL built on the fly), and the statement must run unprepared.
    const std::string* prepared(std::string_view sql, const Params& params);
    /// Runs parameterless SQL with the simple protocol.
    Result exec(std::string_view sql);
    /// Throws unless `result` reports success; maps SQLSTATE onto the pitboss errors.
    Result check(Result result, std::string_view sql);
    /// Sends `data` as COPY data.
    void put_copy_data(std::string_view data, std::string_view sql);
    /// Ends the running COPY and returns its outcome, the session free for the next statement.
    Result end_copy(const char* error) noexcept;
    /// Reads what remains of the running statement; marks the connection broken when it stays
    /// in COPY mode.
    void drain() noexcept;

    pg_conn* conn_ = nullptr;
    std::vector<PgCursor*> cursors_;  // open in the current transaction
    PgCursor* streaming_ = nullptr;   // the one whose rows are still arriving
    std::unordered_map<std::string, std::string> statements_;  // text + signature → name
    std::string key_;                                          // scratch for cache lookups
    std::string copy_buffer_;  // COPY data not yet sent; keeps its capacity between calls
    std::size_t prepared_count_ = 0;
    bool broken_ = false;

    static constexpr std::size_t kMaxPrepared = 512;
    static constexpr std::size_t kCopyChunk = 256 * 1024;
};

}  // namespace pitboss::storage::postgres
