#pragma once
// The SQLite implementation of storage::Connection and storage::Cursor.

#include <memory>
#include <vector>

#include "pitboss/storage/database.hpp"
#include "storage/sqlite/sqlite_session.hpp"

namespace pitboss::storage::sqlite {

class SqliteCursor;

/// A pooled connection over a Session. An in-memory database shares its one Session between
/// successive connection objects, so the data outlives a discarded connection.
class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(std::shared_ptr<Session> session);

    void begin(TxMode mode) override;
    void commit() override;
    void rollback() noexcept override;
    std::int64_t execute(std::string_view sql, const Params& params) override;
    std::vector<Row> query(std::string_view sql, const Params& params) override;
    std::unique_ptr<Cursor> open_cursor(std::string_view sql, const Params& params) override;
    void execute_script(std::string_view sql) override;
    std::int64_t insert_rows(std::string_view table, std::span<const std::string_view> columns,
                             std::size_t row_count, const RowFiller& fill) override;
    [[nodiscard]] bool healthy() const noexcept override;

    /// Called by a cursor destroyed while its transaction is still open.
    void forget(const SqliteCursor* cursor) noexcept;

private:
    void run_control(std::string_view sql);
    /// Ends every open cursor's statement: the transaction is ending, and afterwards the pool
    /// may hand this handle to another thread, which a late cursor must not touch.
    void detach_cursors() noexcept;

    std::shared_ptr<Session> session_;
    std::vector<SqliteCursor*> cursors_;
    bool read_only_ = false;  // the open transaction is a read transaction
};

}  // namespace pitboss::storage::sqlite
