#include "storage/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "storage/conversions.hpp"

namespace pitboss::storage::sqlite {
namespace {

// sqlite3.h spells these with C casts; -Wold-style-cast refuses the macros.
const sqlite3_destructor_type kStatic = nullptr;
const sqlite3_destructor_type kTransient =
    reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));

int column(std::size_t i) { return static_cast<int>(i); }

void bind(Session& session, sqlite3_stmt* stmt, std::string_view sql, const Params& params,
          sqlite3_destructor_type lifetime) {
    const auto& values = params.values();
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<std::size_t>(expected) != values.size()) {
        throw StorageError("sqlite: statement takes " + std::to_string(expected) +
                           " parameters, got " + std::to_string(values.size()) + " (in \"" +
                           detail::sql_head(sql) + "\")");
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int position = column(i) + 1;
        int rc = SQLITE_OK;
        if (const auto* integer = std::get_if<std::int64_t>(&values[i])) {
            rc = sqlite3_bind_int64(stmt, position, *integer);
        } else if (const auto* real = std::get_if<double>(&values[i])) {
            rc = sqlite3_bind_double(stmt, position, *real);
        } else if (const auto* text = std::get_if<std::string>(&values[i])) {
            rc = sqlite3_bind_text64(stmt, position, text->data(), text->size(), lifetime,
                                     SQLITE_UTF8);
        } else {
            rc = sqlite3_bind_null(stmt, position);
        }
        if (rc != SQLITE_OK) session.fail(rc, sql);
    }
}

/// Steps once: true on a row, false when done, the mapped error otherwise.
bool step(Session& session, sqlite3_stmt* stmt, std::string_view sql) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    session.fail(rc, sql);
}

std::string_view value_text(sqlite3_value* value) {
    const auto* data = sqlite3_value_blob(value);
    const auto size = static_cast<std::size_t>(sqlite3_value_bytes(value));
    return data == nullptr ? std::string_view()
                           : std::string_view(static_cast<const char*>(data), size);
}

std::string_view column_text(sqlite3_stmt* stmt, int i) {
    const auto* data = sqlite3_column_blob(stmt, i);
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
    return data == nullptr ? std::string_view()
                           : std::string_view(static_cast<const char*>(data), size);
}

Value column_value(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER:
            return sqlite3_column_int64(stmt, i);
        case SQLITE_FLOAT:
            return sqlite3_column_double(stmt, i);
        case SQLITE_NULL:
            return Null{};
        default:
            return std::string(column_text(stmt, i));
    }
}

std::string_view type_name(int type) {
    switch (type) {
        case SQLITE_INTEGER:
            return "integer";
        case SQLITE_FLOAT:
            return "real";
        case SQLITE_NULL:
            return "NULL";
        case SQLITE_BLOB:
            return "blob";
        default:
            return "text";
    }
}

std::shared_ptr<const std::vector<std::string>> column_names(sqlite3_stmt* stmt) {
    const int count = sqlite3_column_count(stmt);
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) names->emplace_back(sqlite3_column_name(stmt, i));
    return names;
}

std::string insert_statement(std::string_view table, std::span<const std::string_view> columns) {
    std::string sql = "INSERT INTO ";
    sql.append(table).append(" (");
    for (std::size_t i = 0; i < columns.size(); ++i)
        sql.append(i == 0 ? "" : ", ").append(columns[i]);
    sql.append(") VALUES (");
    for (std::size_t i = 0; i < columns.size(); ++i) sql.append(i == 0 ? "?" : ", ?");
    sql.append(")");
    return sql;
}

/// Binds the values of one row of a bulk insert to its INSERT statement. Text is copied into a
/// buffer per column that lives until the next row (the caller's views may be temporaries),
/// and bound without a further copy; once the buffers have grown, a row allocates nothing.
class SqliteRowSink final : public RowSink {
public:
    SqliteRowSink(Session& session, sqlite3_stmt* stmt, std::string_view sql, std::size_t columns)
        : session_(&session), stmt_(stmt), sql_(sql), texts_(columns) {}

    /// Prepares for the values of row `index`.
    void start(std::size_t index) noexcept {
        row_ = index;
        next_ = 0;
    }
    /// Throws StorageError unless the row got a value for every column.
    void finish() const {
        if (next_ != texts_.size()) wrong_count(std::to_string(next_));
    }

    void add(std::int64_t value) override { check(sqlite3_bind_int64(stmt_, position(), value)); }
    void add(std::string_view value) override {
        if (value.find('\0') != std::string_view::npos) {
            throw StorageError("sqlite: insert_rows: row " + std::to_string(row_) +
                               " has text holding NUL (in \"" + detail::sql_head(sql_) + "\")");
        }
        const int at = position();
        std::string& text = texts_[static_cast<std::size_t>(at - 1)];
        text.assign(value);
        check(sqlite3_bind_text64(stmt_, at, text.data(), text.size(), kStatic, SQLITE_UTF8));
    }
    void add_null() override { check(sqlite3_bind_null(stmt_, position())); }

private:
    /// The 1-based position of the next value.
    int position() {
        if (next_ == texts_.size()) wrong_count("more");
        return column(++next_);
    }
    void check(int rc) const {
        if (rc != SQLITE_OK) session_->fail(rc, sql_);
    }
    [[noreturn]] void wrong_count(const std::string& got) const {
        throw StorageError("sqlite: insert_rows: row " + std::to_string(row_) + " has " + got +
                           " values for " + std::to_string(texts_.size()) + " columns (in \"" +
                           detail::sql_head(sql_) + "\")");
    }

    Session* session_;
    sqlite3_stmt* stmt_;
    std::string_view sql_;
    std::vector<std::string> texts_;
    std::size_t row_ = 0;
    std::size_t next_ = 0;
};

}  // namespace

/// Streams a statement's rows; reads come straight from SQLite's buffers. Detached (its
/// statement released) when the transaction ends; using it afterwards is a StorageError.
class SqliteCursor final : public Cursor {
public:
    SqliteCursor(SqliteConnection& owner, Session& session, StatementLease statement,
                 std::string sql)
        : owner_(&owner),
          session_(&session),
          statement_(std::move(statement)),
          sql_(std::move(sql)),
          columns_(static_cast<std::size_t>(sqlite3_column_count(statement_->get()))) {}
    ~SqliteCursor() override {
        if (statement_) owner_->forget(this);
    }
    SqliteCursor(const SqliteCursor&) = delete;
    SqliteCursor& operator=(const SqliteCursor&) = delete;

    void detach() noexcept { statement_.reset(); }

    bool next() override {
        sqlite3_stmt* statement = stmt();
        if (done_) return false;
        done_ = !step(*session_, statement, sql_);
        return !done_;
    }
    [[nodiscard]] std::size_t column_count() const override { return columns_; }
    [[nodiscard]] bool is_null(std::size_t i) const override { return type_of(i) == SQLITE_NULL; }
    // The typed reads run once per column of every streamed row (audit verification reads
    // millions), so they fetch the column's value with one sqlite3_column_value call and read
    // it with the light sqlite3_value_* calls, instead of one sqlite3_column_* call (each with
    // its mutex bookkeeping) for the type, the data and the size. The handle is opened NOMUTEX
    // (the pool gives it to one thread at a time), where SQLite makes no difference between
    // protected and unprotected values.
    [[nodiscard]] std::int64_t int64(std::size_t i) const override {
        sqlite3_value* const value = value_of(i);
        const int type = sqlite3_value_type(value);
        if (type == SQLITE_INTEGER) return sqlite3_value_int64(value);
        if (type == SQLITE_TEXT) {
            if (auto parsed = detail::parse_int64(value_text(value))) return *parsed;
        }
        mismatch(i, "integer", type);
    }
    [[nodiscard]] double real(std::size_t i) const override {
        sqlite3_value* const value = value_of(i);
        const int type = sqlite3_value_type(value);
        if (type == SQLITE_FLOAT || type == SQLITE_INTEGER) return sqlite3_value_double(value);
        if (type == SQLITE_TEXT) {
            if (auto parsed = detail::parse_real(value_text(value))) return *parsed;
        }
        mismatch(i, "real", type);
    }
    [[nodiscard]] std::string_view text(std::size_t i) const override {
        sqlite3_value* const value = value_of(i);
        const int type = sqlite3_value_type(value);
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) return value_text(value);
        mismatch(i, "text", type);
    }

private:
    [[nodiscard]] sqlite3_stmt* stmt() const {
        if (!statement_) throw StorageError("sqlite: cursor used after its transaction ended");
        return statement_->get();
    }
    [[nodiscard]] int type_of(std::size_t i) const { return sqlite3_value_type(value_of(i)); }
    /// Column `i` of the current row, valid until the cursor moves.
    [[nodiscard]] sqlite3_value* value_of(std::size_t i) const {
        if (i >= columns_) detail::throw_bad_column(i, columns_);
        return sqlite3_column_value(stmt(), column(i));
    }
    [[noreturn]] void mismatch(std::size_t i, std::string_view expected, int type) const {
        const char* name = sqlite3_column_name(stmt(), column(i));
        detail::throw_type_mismatch(name == nullptr ? "" : name, i, expected, type_name(type));
    }

    SqliteConnection* owner_;
    Session* session_;
    std::optional<StatementLease> statement_;  // empty once detached
    std::string sql_;
    std::size_t columns_;
    bool done_ = false;
};

SqliteConnection::SqliteConnection(std::shared_ptr<Session> session)
    : session_(std::move(session)) {}

void SqliteConnection::run_control(std::string_view sql) {
    StatementLease statement = session_->statement(sql);
    step(*session_, statement.get(), sql);
}

void SqliteConnection::begin(TxMode mode) {
    // IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a write
    // transaction never fails half-way on a lock upgrade.
    run_control(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    // A read transaction refuses writes, as PostgreSQL's READ ONLY does: code that writes in
    // one then fails on SQLite too, not only in production on PostgreSQL.
    read_only_ = mode == TxMode::kRead;
}

void SqliteConnection::commit() {
    detach_cursors();
    run_control("COMMIT");
}

void SqliteConnection::rollback() noexcept {
    detach_cursors();
    session_->rollback_quietly();
}

bool SqliteConnection::healthy() const noexcept { return !session_->in_transaction(); }

std::int64_t SqliteConnection::execute(std::string_view sql, const Params& params) {
    StatementLease statement = session_->statement(sql);
    session_->check_read_only(statement.get(), read_only_, sql);
    bind(*session_, statement.get(), sql, params, kStatic);
    while (step(*session_, statement.get(), sql)) {
    }
    if (sqlite3_stmt_readonly(statement.get()) != 0) return 0;
    return sqlite3_changes64(session_->handle());
}

std::vector<Row> SqliteConnection::query(std::string_view sql, const Params& params) {
    StatementLease statement = session_->statement(sql);
    sqlite3_stmt* stmt = statement.get();
    session_->check_read_only(stmt, read_only_, sql);
    bind(*session_, stmt, sql, params, kStatic);
    auto names = column_names(stmt);
    const int count = column(names->size());
    std::vector<Row> rows;
    while (step(*session_, stmt, sql)) {
        std::vector<Value> values;
        values.reserve(names->size());
        for (int i = 0; i < count; ++i) values.push_back(column_value(stmt, i));
        rows.emplace_back(names, std::move(values));
    }
    return rows;
}

std::unique_ptr<Cursor> SqliteConnection::open_cursor(std::string_view sql, const Params& params) {
    StatementLease statement = session_->statement(sql);
    session_->check_read_only(statement.get(), read_only_, sql);
    // Transient: the caller's parameters may die before the cursor is read.
    bind(*session_, statement.get(), sql, params, kTransient);
    cursors_.reserve(cursors_.size() + 1);  // forget() and detach never allocate
    auto cursor =
        std::make_unique<SqliteCursor>(*this, *session_, std::move(statement), std::string(sql));
    cursors_.push_back(cursor.get());
    return cursor;
}

void SqliteConnection::forget(const SqliteCursor* cursor) noexcept { std::erase(cursors_, cursor); }

void SqliteConnection::detach_cursors() noexcept {
    for (SqliteCursor* cursor : cursors_) cursor->detach();
    cursors_.clear();
}

void SqliteConnection::execute_script(std::string_view sql) {
    session_->exec_script(sql, read_only_);
}

std::int64_t SqliteConnection::insert_rows(std::string_view table,
                                           std::span<const std::string_view> columns,
                                           std::size_t row_count, const RowFiller& fill) {
    const std::string sql = insert_statement(table, columns);
    StatementLease statement = session_->statement(sql);
    sqlite3_stmt* stmt = statement.get();
    session_->check_read_only(stmt, read_only_, sql);
    SqliteRowSink row(*session_, stmt, sql, columns.size());
    for (std::size_t i = 0; i < row_count; ++i) {
        row.start(i);
        fill(i, row);
        row.finish();
        step(*session_, stmt, sql);
        sqlite3_reset(stmt);
    }
    return static_cast<std::int64_t>(row_count);
}

}  // namespace pitboss::storage::sqlite
