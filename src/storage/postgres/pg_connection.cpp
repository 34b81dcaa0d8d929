#include "storage/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <array>
#include <charconv>
#include <cmath>
#include <span>
#include <string>

#include "storage/conversions.hpp"
#include "storage/placeholders.hpp"
#include "storage/postgres/pg_cursor.hpp"

namespace pitboss::storage::postgres {
namespace {

// Parameter types sent with PQprepare. Text and NULL stay "unknown" so the server infers them
// from context (a TEXT, BYTEA or BIGINT column alike), as SQLite's dynamic typing would.
constexpr Oid kUnknownOid = 0;
constexpr Oid kInt8Oid = 20;
constexpr Oid kFloat8Oid = 701;

Oid type_of(const Value& value) {
    if (std::holds_alternative<std::int64_t>(value)) return kInt8Oid;
    if (std::holds_alternative<double>(value)) return kFloat8Oid;
    return kUnknownOid;
}

std::vector<Oid> types_of(const Params& params) {
    std::vector<Oid> types;
    types.reserve(params.size());
    for (const Value& value : params.values()) types.push_back(type_of(value));
    return types;
}

char signature_of(const Value& value) {
    if (std::holds_alternative<std::int64_t>(value)) return 'i';
    if (std::holds_alternative<double>(value)) return 'r';
    return 'u';
}

std::string format_real(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    std::array<char, 32> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), end);
}

/// The parameters as the NUL-terminated texts libpq's text format wants.
class TextParams {
public:
    explicit TextParams(const Params& params) {
        const auto& values = params.values();
        numbers_.reserve(values.size());  // no reallocation: pointers into it stay valid
        pointers_.reserve(values.size());
        for (const Value& value : values) {
            if (const auto* text = std::get_if<std::string>(&value)) {
                pointers_.push_back(text->c_str());
            } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
                pointers_.push_back(numbers_.emplace_back(std::to_string(*integer)).c_str());
            } else if (const auto* real = std::get_if<double>(&value)) {
                pointers_.push_back(numbers_.emplace_back(format_real(*real)).c_str());
            } else {
                pointers_.push_back(nullptr);
            }
        }
    }
    [[nodiscard]] int count() const { return static_cast<int>(pointers_.size()); }
    [[nodiscard]] const char* const* values() const { return pointers_.data(); }

private:
    std::vector<std::string> numbers_;
    std::vector<const char*> pointers_;
};

void ignore_notice(void*, const char*) {}

std::string trimmed(const char* text) {
    std::string out = text == nullptr ? "" : text;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

bool is_connection_failure(std::string_view state) {
    return state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03";
}

std::string copy_statement(std::string_view table, std::span<const std::string_view> columns) {
    std::string sql = "COPY ";
    sql.append(table).append(" (");
    for (std::size_t i = 0; i < columns.size(); ++i) {
        sql.append(i == 0 ? "" : ", ").append(columns[i]);
    }
    sql.append(") FROM STDIN");
    return sql;
}

/// Bytes that COPY's text format escapes (and NUL, which no text may hold).
constexpr std::array<bool, 256> kCopySpecial = [] {
    std::array<bool, 256> special{};
    for (char c : {'\\', '\t', '\n', '\r', '\0'}) special[static_cast<unsigned char>(c)] = true;
    return special;
}();

/// Writes the rows of a bulk insert as COPY text format into a buffer: values separated by
/// tabs, rows ended by newlines, NULL as \N, backslash, tab, newline and carriage return escaped.
class CopyRowSink final : public RowSink {
public:
    CopyRowSink(std::string& out, std::size_t columns, std::string_view sql)
        : out_(&out), columns_(columns), sql_(sql) {}

    /// Prepares for the values of row `index`.
    void start(std::size_t index) noexcept {
        row_ = index;
        next_ = 0;
    }
    /// Ends the row; StorageError unless it got a value for every column.
    void finish() {
        if (next_ != columns_) wrong_count(std::to_string(next_));
        out_->push_back('\n');
    }

    void add(std::int64_t value) override {
        separate();
        std::array<char, 24> digits{};
        const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
        out_->append(digits.data(), end);
    }
    void add(std::string_view value) override {
        separate();
        const char* run = value.data();
        const char* const end = value.data() + value.size();
        for (const char* c = run; c != end; ++c) {
            const auto byte = static_cast<unsigned char>(*c);
            if (!kCopySpecial[byte]) continue;
            out_->append(run, c);
            run = c + 1;
            switch (*c) {
                case '\\':
                    out_->append("\\\\");
                    break;
                case '\t':
                    out_->append("\\t");
                    break;
                case '\n':
                    out_->append("\\n");
                    break;
                case '\r':
                    out_->append("\\r");
                    break;
                default:
                    throw StorageError("postgres: insert_rows: row " + std::to_string(row_) +
                                       " has text holding NUL (in \"" + detail::sql_head(sql_) +
                                       "\")");
            }
        }
        out_->append(run, end);
    }
    void add_null() override {
        separate();
        out_->append("\\N");
    }

private:
    void separate() {
        if (next_ == columns_) wrong_count("more");
        if (next_++ != 0) out_->push_back('\t');
    }
    [[noreturn]] void wrong_count(const std::string& got) const {
        throw StorageError("postgres: insert_rows: row " + std::to_string(row_) + " has " + got +
                           " values for " + std::to_string(columns_) + " columns (in \"" +
                           detail::sql_head(sql_) + "\")");
    }

    std::string* out_;
    std::size_t columns_;
    std::string_view sql_;
    std::size_t row_ = 0;
    std::size_t next_ = 0;
};

}  // namespace

void ResultDeleter::operator()(pg_result* result) const noexcept { PQclear(result); }

PgConnection::PgConnection(const std::string& conninfo, const std::string& redacted_url)
    : conn_(PQconnectdb(conninfo.c_str())) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        const std::string reason =
            conn_ == nullptr ? "out of memory" : trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        throw UnavailableError("postgres: cannot connect to " + redacted_url + ": " + reason);
    }
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
    try {
        exec("SET client_min_messages = warning; SET TimeZone = 'UTC'");
    } catch (...) {
        PQfinish(conn_);
        throw;
    }
}

PgConnection::~PgConnection() { PQfinish(conn_); }

void PgConnection::begin(TxMode mode) {
    exec(mode == TxMode::kWrite ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

void PgConnection::commit() {
    detach_cursors();
    Result result = exec("COMMIT");
    // COMMIT of a transaction that already failed succeeds as a ROLLBACK; never let it pass.
    if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
        throw StorageError("postgres: the transaction was rolled back by an earlier error");
    }
}

void PgConnection::rollback() noexcept {
    detach_cursors();
    if (PQstatus(conn_) != CONNECTION_OK) {
        broken_ = true;
        return;
    }
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    PQclear(PQexec(conn_, "ROLLBACK"));
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) broken_ = true;
}

bool PgConnection::healthy() const noexcept {
    return !broken_ && PQstatus(conn_) == CONNECTION_OK &&
           PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

std::int64_t PgConnection::execute(std::string_view sql, const Params& params) {
    Result result = run(sql, params);
    return detail::parse_int64(PQcmdTuples(result.get())).value_or(0);
}

std::vector<Row> PgConnection::query(std::string_view sql, const Params& params) {
    return materialise(run(sql, params));
}

std::unique_ptr<Cursor> PgConnection::open_cursor(std::string_view sql, const Params& params) {
    cursors_.reserve(cursors_.size() + 1);  // forget() and detach never allocate
    send(sql, params);
    auto cursor = std::make_unique<PgCursor>(*this, std::string(sql));
    streaming_ = cursor.get();
    cursors_.push_back(cursor.get());
    cursor->start();
    return cursor;
}

void PgConnection::execute_script(std::string_view sql) { exec(sql); }

std::int64_t PgConnection::insert_rows(std::string_view table,
                                       std::span<const std::string_view> columns,
                                       std::size_t row_count, const RowFiller& fill) {
    settle();
    const std::string sql = copy_statement(table, columns);
    Result started(PQexec(conn_, sql.c_str()));
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) {
        drain();
        fail(started.get(), sql);
    }
    copy_buffer_.clear();
    CopyRowSink row(copy_buffer_, columns.size(), sql);
    try {
        for (std::size_t i = 0; i < row_count; ++i) {
            row.start(i);
            fill(i, row);
            row.finish();
            if (copy_buffer_.size() >= kCopyChunk) {
                put_copy_data(copy_buffer_, sql);
                copy_buffer_.clear();
            }
        }
        if (!copy_buffer_.empty()) put_copy_data(copy_buffer_, sql);
    } catch (...) {
        // The server fails the COPY (and with it the transaction, which can then roll back);
        // the caller sees the first failure.
        copy_buffer_.clear();
        end_copy("insert_rows failed on the client");
        throw;
    }
    copy_buffer_.clear();
    Result result = end_copy(nullptr);
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) fail(result.get(), sql);
    return static_cast<std::int64_t>(row_count);
}

void PgConnection::put_copy_data(std::string_view data, std::string_view sql) {
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1) {
        fail(nullptr, sql);
    }
}

Result PgConnection::end_copy(const char* error) noexcept {
    if (PQputCopyEnd(conn_, error) != 1) {
        broken_ = true;  // still in COPY mode (or lost): no use for another transaction
        return Result(PQgetResult(conn_));
    }
    Result result(PQgetResult(conn_));
    drain();
    return result;
}

void PgConnection::drain() noexcept {
    while (Result result = next_result()) {
        const ExecStatusType status = PQresultStatus(result.get());
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            broken_ = true;  // PQgetResult repeats a COPY state forever
            return;
        }
    }
}

void PgConnection::send(std::string_view sql, const Params& params) {
    const std::string* name = prepared(sql, params);
    const TextParams text(params);
    int sent = 0;
    if (name == nullptr) {
        const std::vector<Oid> types = types_of(params);
        sent = PQsendQueryParams(conn_, detail::rewrite_placeholders(sql).c_str(), text.count(),
                                 types.data(), text.values(), nullptr, nullptr, 0);
    } else {
        sent = PQsendQueryPrepared(conn_, name->c_str(), text.count(), text.values(), nullptr,
                                   nullptr, 0);
    }
    if (sent == 0) fail(nullptr, sql);
    PQsetSingleRowMode(conn_);
}

Result PgConnection::next_result() noexcept { return Result(PQgetResult(conn_)); }

void PgConnection::discard_results() noexcept {
    while (next_result()) {
    }
}

void PgConnection::settle() {
    if (streaming_ != nullptr) streaming_->buffer_rest();
}

void PgConnection::forget(const PgCursor* cursor) noexcept { std::erase(cursors_, cursor); }

void PgConnection::detach_cursors() noexcept {
    for (PgCursor* cursor : cursors_) cursor->detach();
    cursors_.clear();
    streaming_ = nullptr;
}

Result PgConnection::run(std::string_view sql, const Params& params) {
    const std::string* name = prepared(sql, params);
    const TextParams text(params);
    if (name == nullptr) {
        const std::vector<Oid> types = types_of(params);
        return check(
            Result(PQexecParams(conn_, detail::rewrite_placeholders(sql).c_str(), text.count(),
                                types.data(), text.values(), nullptr, nullptr, 0)),
            sql);
    }
    return check(Result(PQexecPrepared(conn_, name->c_str(), text.count(), text.values(), nullptr,
                                       nullptr, 0)),
                 sql);
}

const std::string* PgConnection::prepared(std::string_view sql, const Params& params) {
    settle();
    key_.assign(sql);
    key_ += '\0';
    for (const Value& value : params.values()) key_ += signature_of(value);
    if (auto found = statements_.find(key_); found != statements_.end()) return &found->second;
    if (statements_.size() >= kMaxPrepared) return nullptr;

    std::string name = "pb" + std::to_string(++prepared_count_);
    const std::vector<Oid> types = types_of(params);
    const std::string text = detail::rewrite_placeholders(sql);
    check(Result(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()),
                           types.data())),
          sql);
    return &statements_.emplace(key_, std::move(name)).first->second;
}

Result PgConnection::exec(std::string_view sql) {
    settle();
    const std::string text(sql);
    return check(Result(PQexec(conn_, text.c_str())), sql);
}

Result PgConnection::check(Result result, std::string_view sql) {
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    fail(result.get(), sql);
}

void PgConnection::fail(const pg_result* result, std::string_view sql) {
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary =
        result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string_view code = state != nullptr ? state : "";
    const std::string message =
        "postgres: " + trimmed(primary != nullptr ? primary : PQerrorMessage(conn_)) +
        (code.empty() ? "" : " [" + std::string(code) + "]") + " (in \"" + detail::sql_head(sql) +
        "\")";
    if (PQstatus(conn_) != CONNECTION_OK || is_connection_failure(code)) {
        broken_ = true;
        throw UnavailableError(message);
    }
    if (code == "40001" || code == "40P01") throw StorageError(message, true);
    if (code == "23505") throw ConflictError(message);
    if (code == "0A000" && std::string_view(message).find("cached plan") != std::string::npos) {
        // A schema change invalidated a prepared statement's result type: forget it, so that
        // the retried unit prepares it afresh.
        statements_.erase(key_);
        throw StorageError(message, true);
    }
    throw StorageError(message);
}

}  // namespace pitboss::storage::postgres
