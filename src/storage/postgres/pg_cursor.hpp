#pragma once
// Reading PostgreSQL results: rows typed by column type, and a streaming cursor.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "pitboss/storage/database.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace pitboss::storage::postgres {

/// Every row of a result, with integer, boolean and floating columns converted from their text
/// form (numeric stays text, exact) and bytea decoded to its bytes.
[[nodiscard]] std::vector<Row> materialise(Result result);

/// How a column's text is read, decided by its type.
enum class ColumnKind { kInteger, kBoolean, kReal, kBytes, kText };

/// Rows of a query sent by PgConnection::open_cursor, read as they arrive. Results queue up
/// when the connection needs the session for another statement (buffer_rest) and are dropped
/// when the transaction ends (detach); using the cursor after that is a StorageError.
class PgCursor final : public Cursor {
public:
    PgCursor(PgConnection& owner, std::string sql);
    ~PgCursor() override;
    PgCursor(const PgCursor&) = delete;
    PgCursor& operator=(const PgCursor&) = delete;

    /// Reads the first result, so that a failing query fails at open.
    void start();
    /// Receives every remaining result into the queue.
    void buffer_rest();
    /// Drops everything; the transaction is over.
    void detach() noexcept;

    bool next() override;
    [[nodiscard]] std::size_t column_count() const override { return kinds_.size(); }
    [[nodiscard]] bool is_null(std::size_t i) const override;
    [[nodiscard]] std::int64_t int64(std::size_t i) const override;
    [[nodiscard]] double real(std::size_t i) const override;
    [[nodiscard]] std::string_view text(std::size_t i) const override;

private:
    /// Receives one result; false when the query has no more.
    bool receive();
    void on_row() const;
    [[nodiscard]] const pg_result* current() const;
    [[nodiscard]] std::string_view raw_at(std::size_t i) const;
    /// The column's kind; a mismatch error when it is NULL.
    ColumnKind present(std::size_t i, std::string_view expected) const;
    [[noreturn]] void mismatch(std::size_t i, std::string_view expected,
                               std::string_view found) const;

    PgConnection* owner_;
    std::string sql_;
    std::vector<ColumnKind> kinds_;
    std::deque<Result> queue_;  // front: the result holding the current row
    int row_ = -1;              // the current row within queue_.front()
    bool streaming_ = true;     // results are still arriving
    bool detached_ = false;
    mutable std::vector<std::string> bytes_;  // decoded bytea of the current row
};

}  // namespace pitboss::storage::postgres
