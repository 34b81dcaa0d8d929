#include "storage/postgres/pg_cursor.hpp"

#include <libpq-fe.h>

#include "storage/conversions.hpp"

namespace pitboss::storage::postgres {
namespace {

using Kind = ColumnKind;

Kind kind_of(Oid type) {
    switch (type) {
        case 20:  // int8
        case 21:  // int2
        case 23:  // int4
        case 26:  // oid
            return Kind::kInteger;
        case 16:
            return Kind::kBoolean;
        case 700:  // float4
        case 701:  // float8
            return Kind::kReal;
        case 17:
            return Kind::kBytes;
        default:
            return Kind::kText;
    }
}

std::string_view kind_name(Kind kind) {
    switch (kind) {
        case Kind::kInteger:
        case Kind::kBoolean:
            return "integer";
        case Kind::kReal:
            return "real";
        case Kind::kBytes:
            return "blob";
        default:
            return "text";
    }
}

std::vector<Kind> column_kinds(const pg_result* result) {
    std::vector<Kind> kinds(static_cast<std::size_t>(PQnfields(result)));
    for (std::size_t i = 0; i < kinds.size(); ++i)
        kinds[i] = kind_of(PQftype(result, static_cast<int>(i)));
    return kinds;
}

std::string_view raw(const pg_result* result, int row, int column) {
    return {PQgetvalue(result, row, column),
            static_cast<std::size_t>(PQgetlength(result, row, column))};
}

std::string unescape_bytes(std::string_view text) {
    std::size_t length = 0;
    unsigned char* bytes =
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(text.data()), &length);
    if (bytes == nullptr) throw StorageError("postgres: cannot decode a bytea value");
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
}

[[noreturn]] void malformed(const pg_result* result, int column, std::string_view expected) {
    detail::throw_type_mismatch(PQfname(result, column), static_cast<std::size_t>(column), expected,
                                "malformed text");
}

Value value_at(const pg_result* result, int row, int column, Kind kind) {
    if (PQgetisnull(result, row, column) != 0) return Null{};
    const std::string_view text = raw(result, row, column);
    switch (kind) {
        case Kind::kInteger:
            if (auto value = detail::parse_int64(text)) return *value;
            malformed(result, column, "integer");
        case Kind::kBoolean:
            return std::int64_t{text == "t" ? 1 : 0};
        case Kind::kReal:
            if (auto value = detail::parse_real(text)) return *value;
            malformed(result, column, "real");
        case Kind::kBytes:
            return unescape_bytes(text);
        default:
            return std::string(text);
    }
}

}  // namespace

std::vector<Row> materialise(Result result) {
    const pg_result* res = result.get();
    const std::vector<Kind> kinds = column_kinds(res);
    const int columns = static_cast<int>(kinds.size());
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(kinds.size());
    for (int c = 0; c < columns; ++c) names->emplace_back(PQfname(res, c));
    std::shared_ptr<const std::vector<std::string>> shared_names = std::move(names);

    const int count = PQntuples(res);
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(count));
    for (int r = 0; r < count; ++r) {
        std::vector<Value> values;
        values.reserve(kinds.size());
        for (int c = 0; c < columns; ++c) {
            values.push_back(value_at(res, r, c, kinds[static_cast<std::size_t>(c)]));
        }
        rows.emplace_back(shared_names, std::move(values));
    }
    return rows;
}

// --- PgCursor ---------------------------------------------------------------------------------

PgCursor::PgCursor(PgConnection& owner, std::string sql) : owner_(&owner), sql_(std::move(sql)) {}

PgCursor::~PgCursor() {
    if (detached_) return;
    if (streaming_) {
        owner_->discard_results();
        owner_->stream_ended();
    }
    owner_->forget(this);
}

void PgCursor::start() {
    receive();
    if (!queue_.empty()) kinds_ = column_kinds(queue_.front().get());
    bytes_.resize(kinds_.size());
}

bool PgCursor::receive() {
    if (!streaming_) return false;
    Result result = owner_->next_result();
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_TUPLES_OK;
    if (status == PGRES_SINGLE_TUPLE) {
        queue_.push_back(std::move(result));
        return true;
    }
    // The last result of a query (all its rows when single-row mode was refused, or none), or
    // an error; the stream then ends with a null result.
    streaming_ = false;
    if (result) owner_->discard_results();
    owner_->stream_ended();
    if (status != PGRES_TUPLES_OK) owner_->fail(result.get(), sql_);
    if (result) queue_.push_back(std::move(result));
    return false;
}

void PgCursor::buffer_rest() {
    while (receive()) {
    }
}

void PgCursor::detach() noexcept {
    if (streaming_) owner_->discard_results();
    streaming_ = false;
    detached_ = true;
    queue_.clear();
}

bool PgCursor::next() {
    if (detached_) throw StorageError("postgres: cursor used after its transaction ended");
    ++row_;
    while (!queue_.empty() && row_ >= PQntuples(queue_.front().get())) {
        queue_.pop_front();
        row_ = 0;
        if (queue_.empty()) receive();
    }
    if (queue_.empty()) {
        row_ = -1;
        return false;
    }
    on_row();
    return true;
}

void PgCursor::on_row() const {
    for (std::size_t i = 0; i < kinds_.size(); ++i) {
        if (kinds_[i] == Kind::kBytes && !is_null(i)) bytes_[i] = unescape_bytes(raw_at(i));
    }
}

const pg_result* PgCursor::current() const {
    if (detached_) throw StorageError("postgres: cursor used after its transaction ended");
    if (queue_.empty() || row_ < 0) throw StorageError("postgres: the cursor is not on a row");
    return queue_.front().get();
}

bool PgCursor::is_null(std::size_t i) const {
    if (i >= kinds_.size()) detail::throw_bad_column(i, kinds_.size());
    return PQgetisnull(current(), row_, static_cast<int>(i)) != 0;
}

std::string_view PgCursor::raw_at(std::size_t i) const {
    return raw(current(), row_, static_cast<int>(i));
}

ColumnKind PgCursor::present(std::size_t i, std::string_view expected) const {
    if (is_null(i)) mismatch(i, expected, "NULL");
    return kinds_[i];
}

void PgCursor::mismatch(std::size_t i, std::string_view expected, std::string_view found) const {
    detail::throw_type_mismatch(PQfname(current(), static_cast<int>(i)), i, expected, found);
}

std::int64_t PgCursor::int64(std::size_t i) const {
    const Kind kind = present(i, "integer");
    if (kind == Kind::kBoolean) return raw_at(i) == "t" ? 1 : 0;
    if (kind == Kind::kInteger || kind == Kind::kText) {
        if (auto value = detail::parse_int64(raw_at(i))) return *value;
    }
    mismatch(i, "integer", kind_name(kind));
}

double PgCursor::real(std::size_t i) const {
    const Kind kind = present(i, "real");
    if (kind != Kind::kBoolean && kind != Kind::kBytes) {
        if (auto value = detail::parse_real(raw_at(i))) return *value;
    }
    mismatch(i, "real", kind_name(kind));
}

std::string_view PgCursor::text(std::size_t i) const {
    const Kind kind = present(i, "text");
    if (kind == Kind::kText) return raw_at(i);
    if (kind == Kind::kBytes) return bytes_[i];
    mismatch(i, "text", kind_name(kind));
}

}  // namespace pitboss::storage::postgres
