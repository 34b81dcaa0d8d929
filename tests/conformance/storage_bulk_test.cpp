// storage: Transaction::insert_rows, the bulk-insert path, on the backend under test.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/storage/database.hpp"
#include "support/test_database.hpp"

using pitboss::ConflictError;
using pitboss::StorageError;
using pitboss::ValidationError;
using pitboss::storage::Database;
using pitboss::storage::Params;
using pitboss::storage::RowSink;
using pitboss::storage::Transaction;
using pitboss::storage::TxMode;

namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

const std::string kRecords =
    "CREATE TABLE records (id {{bigint}} PRIMARY KEY, label {{text}}, amount {{bigint}})";
constexpr std::string_view kColumns[] = {"id", "label", "amount"};

/// One row of `records`; an empty optional is NULL.
struct Record {
    std::int64_t id;
    std::optional<std::string> label;
    std::optional<std::int64_t> amount;
};

std::unique_ptr<Database> fresh_records_database() {
    auto db = Database::open(pitboss::testing::fresh_database_url());
    db->run(TxMode::kWrite,
            [&](Transaction& tx) { tx.execute_script(db->translate_ddl(kRecords)); });
    return db;
}

void put(RowSink& row, const Record& record) {
    row.add(record.id);
    if (record.label) {
        row.add(*record.label);
    } else {
        row.add_null();
    }
    if (record.amount) {
        row.add(*record.amount);
    } else {
        row.add_null();
    }
}

std::int64_t insert(Transaction& tx, const std::vector<Record>& records) {
    return tx.insert_rows("records", kColumns, records.size(),
                          [&](std::size_t i, RowSink& row) { put(row, records[i]); });
}

std::vector<Record> read_back(Database& db) {
    std::vector<Record> records;
    auto tx = db.begin(TxMode::kRead);
    tx.for_each("SELECT id, label, amount FROM records ORDER BY id", {},
                [&](const pitboss::storage::Cursor& row) {
                    Record record{row.int64(0), std::nullopt, std::nullopt};
                    if (!row.is_null(1)) record.label = std::string(row.text(1));
                    if (!row.is_null(2)) record.amount = row.int64(2);
                    records.push_back(std::move(record));
                });
    return records;
}

std::int64_t count_records(Database& db) {
    auto tx = db.begin(TxMode::kRead);
    return tx.query_single("SELECT count(*) FROM records").int64(0);
}

/// Texts that a naive COPY or binding would mangle.
std::vector<std::string> awkward_texts() {
    return {"",
            "plain",
            "tab\there",
            "line\nbreak",
            "carriage\rreturn\r\n",
            "back\\slash \\N \\t \\\\",
            "\\",
            "\\.",
            "\\N",
            "'single' \"double\" `back`",
            "Zo\xC3\xAB \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\xB0",
            "\t\n\r\\ only specials",
            " leading and trailing spaces ",
            "comma, semicolon; pipe|",
            "control \x01\x07\x1b bytes"};
}

}  // namespace

TEST_CASE("storage bulk: rows round-trip with awkward text, NULL and int64 limits",
          "[storage][bulk]") {
    auto db = fresh_records_database();
    std::vector<Record> records;
    const auto texts = awkward_texts();
    for (std::size_t i = 0; i < 3000; ++i) {
        const auto id = static_cast<std::int64_t>(i) - 1500;
        std::optional<std::string> label = texts[i % texts.size()];
        if (i % 7 == 3) label.reset();
        std::optional<std::int64_t> amount = id * 1'000'003;
        if (i % 5 == 1) amount.reset();
        if (i == 10) amount = kMin;
        if (i == 11) amount = kMax;
        if (i == 12) amount = 0;
        records.push_back({id, std::move(label), amount});
    }
    // One value larger than a COPY chunk, most of it escaped.
    records[2000].label = std::string(200'000, '\\') + "\t\n" + std::string(100'000, 'x');
    db->run(TxMode::kWrite, [&](Transaction& tx) { CHECK(insert(tx, records) == 3000); });

    const std::vector<Record> stored = read_back(*db);
    REQUIRE(stored.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        INFO("row " << i);
        CHECK(stored[i].id == records[i].id);
        CHECK(stored[i].label == records[i].label);
        CHECK(stored[i].amount == records[i].amount);
    }
    // The empty string stays distinct from NULL.
    auto tx = db->begin(TxMode::kRead);
    CHECK(tx.query_single("SELECT count(*) FROM records WHERE label = ''").int64(0) > 0);
    const auto nulls = std::count_if(records.begin(), records.end(),
                                     [](const Record& r) { return !r.label.has_value(); });
    CHECK(tx.query_single("SELECT count(*) FROM records WHERE label IS NULL").int64(0) == nulls);
}

TEST_CASE("storage bulk: text values may be temporaries", "[storage][bulk]") {
    auto db = fresh_records_database();
    db->run(TxMode::kWrite, [](Transaction& tx) {
        tx.insert_rows("records", kColumns, 500, [](std::size_t i, RowSink& row) {
            row.add(static_cast<std::int64_t>(i));
            row.add(std::string("label-") + std::to_string(i) + std::string(i % 40, '\t'));
            row.add(static_cast<std::int64_t>(i * i));
        });
    });
    const auto stored = read_back(*db);
    REQUIRE(stored.size() == 500);
    for (std::size_t i = 0; i < stored.size(); ++i) {
        CHECK(stored[i].label == "label-" + std::to_string(i) + std::string(i % 40, '\t'));
        CHECK(stored[i].amount == static_cast<std::int64_t>(i * i));
    }
}

TEST_CASE("storage bulk: zero rows insert nothing", "[storage][bulk]") {
    auto db = fresh_records_database();
    db->run(TxMode::kWrite, [](Transaction& tx) {
        CHECK(tx.insert_rows("records", kColumns, 0,
                             [](std::size_t, RowSink&) { FAIL("no row to fill"); }) == 0);
    });
    CHECK(count_records(*db) == 0);
}

TEST_CASE("storage bulk: 100,000 rows in one call", "[storage][bulk]") {
    auto db = fresh_records_database();
    constexpr std::size_t kRows = 100'000;
    db->run(TxMode::kWrite, [](Transaction& tx) {
        const auto inserted =
            tx.insert_rows("records", kColumns, kRows, [](std::size_t i, RowSink& row) {
                row.add(static_cast<std::int64_t>(i));
                row.add("evt-" + std::to_string(i));
                row.add(static_cast<std::int64_t>(i) * 3);
            });
        CHECK(inserted == static_cast<std::int64_t>(kRows));
    });
    auto tx = db->begin(TxMode::kRead);
    const auto summary = tx.query_single(
        "SELECT count(*), sum(amount), min(id), max(id), count(DISTINCT label) FROM records");
    CHECK(summary.int64(0) == static_cast<std::int64_t>(kRows));
    CHECK(summary.int64(1) == 3 * static_cast<std::int64_t>(kRows * (kRows - 1) / 2));
    CHECK(summary.int64(2) == 0);
    CHECK(summary.int64(3) == static_cast<std::int64_t>(kRows) - 1);
    CHECK(summary.int64(4) == static_cast<std::int64_t>(kRows));
    CHECK(tx.query_single("SELECT label FROM records WHERE id = ?", Params(54321)).text(0) ==
          "evt-54321");
}

TEST_CASE("storage bulk: a duplicate key is a ConflictError and leaves nothing",
          "[storage][bulk]") {
    auto db = fresh_records_database();
    db->run(TxMode::kWrite, [](Transaction& tx) {
        tx.execute("INSERT INTO records (id, label, amount) VALUES (?, ?, ?)",
                   Params(7, "existing", 1));
    });
    SECTION("against a committed row") {
        auto tx = db->begin();
        std::vector<Record> records;
        for (std::int64_t id = 0; id < 20; ++id) records.push_back({id, "new", id});
        CHECK_THROWS_AS(insert(tx, records), ConflictError);
        CHECK_THROWS_WITH(tx.query("SELECT 1"), Catch::Contains("only roll back"));
        CHECK_THROWS_AS(tx.commit(), StorageError);
    }
    SECTION("within the batch, far beyond the first chunk") {
        auto tx = db->begin();
        CHECK_THROWS_AS(tx.insert_rows("records", kColumns, 50'000,
                                       [](std::size_t i, RowSink& row) {
                                           row.add(i == 49'999 ? std::int64_t{100}
                                                               : static_cast<std::int64_t>(i) + 8);
                                           row.add(std::string(20, 'y'));
                                           row.add_null();
                                       }),
                        ConflictError);
        tx.rollback();
    }
    const auto stored = read_back(*db);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].label == "existing");
    // The connection that failed went back to the pool in a usable state.
    db->run(TxMode::kWrite, [](Transaction& tx) { CHECK(insert(tx, {{8, "after", 2}}) == 1); });
    CHECK(count_records(*db) == 2);
}

TEST_CASE("storage bulk: a wrong value count is a StorageError", "[storage][bulk]") {
    const std::size_t values = GENERATE(std::size_t{2}, std::size_t{4});
    auto db = fresh_records_database();
    {
        auto tx = db->begin();
        CHECK_THROWS_WITH(tx.insert_rows("records", kColumns, 10,
                                         [&](std::size_t i, RowSink& row) {
                                             const std::size_t n = i == 6 ? values : 3;
                                             for (std::size_t v = 0; v < n; ++v) {
                                                 row.add(static_cast<std::int64_t>(i * 10 + v));
                                             }
                                         }),
                          Catch::Contains("row 6") && Catch::Contains("3 columns"));
        CHECK_THROWS_AS(tx.commit(), StorageError);
    }
    CHECK(count_records(*db) == 0);
    db->run(TxMode::kWrite, [](Transaction& tx) { CHECK(insert(tx, {{1, "ok", 1}}) == 1); });
    CHECK(count_records(*db) == 1);
}

TEST_CASE("storage bulk: text holding NUL is refused alike", "[storage][bulk]") {
    auto db = fresh_records_database();
    {
        auto tx = db->begin();
        const std::string with_nul("a\0b", 3);
        CHECK_THROWS_WITH(insert(tx, {{1, "fine", 1}, {2, with_nul, 2}}),
                          Catch::Contains("row 1") && Catch::Contains("NUL"));
    }
    CHECK(count_records(*db) == 0);
}

TEST_CASE("storage bulk: a failure in the filler rolls back cleanly", "[storage][bulk]") {
    auto db = fresh_records_database();
    struct Boom {};
    {
        auto tx = db->begin();
        CHECK_THROWS_AS(tx.insert_rows("records", kColumns, 20'000,
                                       [](std::size_t i, RowSink& row) {
                                           if (i == 15'000) throw Boom{};
                                           row.add(static_cast<std::int64_t>(i));
                                           row.add_null();
                                           row.add_null();
                                       }),
                        Boom);
        CHECK_THROWS_AS(tx.commit(), StorageError);
    }
    CHECK(count_records(*db) == 0);
    db->run(TxMode::kWrite, [](Transaction& tx) { CHECK(insert(tx, {{1, "ok", 1}}) == 1); });
    CHECK(count_records(*db) == 1);
}

TEST_CASE("storage bulk: the transaction goes on after a bulk insert", "[storage][bulk]") {
    auto db = fresh_records_database();
    auto tx = db->begin();
    tx.execute("INSERT INTO records (id, label, amount) VALUES (?, ?, ?)", Params(-1, "before", 0));
    CHECK(insert(tx, {{1, "one", 10}, {2, "two", 20}, {3, std::nullopt, 30}}) == 3);
    CHECK(tx.execute("UPDATE records SET amount = amount + 1 WHERE id > ?", Params(0)) == 3);
    CHECK(tx.query_single("SELECT sum(amount) FROM records").int64(0) == 63);
    CHECK(insert(tx, {{4, "four", 40}}) == 1);  // the same statement, a second time
    auto cursor = tx.cursor("SELECT id FROM records ORDER BY id");
    REQUIRE(cursor->next());
    CHECK(cursor->int64(0) == -1);
    // A bulk insert while a cursor is open: the cursor keeps its rows.
    CHECK(insert(tx, {{5, "five", 50}}) == 1);
    std::vector<std::int64_t> rest;
    while (cursor->next()) rest.push_back(cursor->int64(0));
    CHECK(rest.size() >= 4);
    tx.commit();
    const auto stored = read_back(*db);
    REQUIRE(stored.size() == 6);
    CHECK(stored[0].label == "before");
    CHECK(stored[3].label == std::nullopt);
    CHECK(stored[3].amount == 31);
    CHECK(stored[5].amount == 50);
}

TEST_CASE("storage bulk: a read transaction refuses a bulk insert", "[storage][bulk]") {
    auto db = fresh_records_database();
    {
        auto tx = db->begin(TxMode::kRead);
        CHECK_THROWS_AS(insert(tx, {{1, "x", 1}}), StorageError);
    }
    CHECK(count_records(*db) == 0);
}

TEST_CASE("storage bulk: names must be plain identifiers", "[storage][bulk]") {
    auto db = fresh_records_database();
    auto tx = db->begin();
    auto none = [](std::size_t, RowSink&) {};
    const std::string_view bad_column[] = {"id", "label; DROP TABLE records"};
    CHECK_THROWS_AS(tx.insert_rows("records (id) --", kColumns, 0, none), ValidationError);
    CHECK_THROWS_AS(tx.insert_rows("records", bad_column, 0, none), ValidationError);
    CHECK_THROWS_AS(tx.insert_rows("records", {}, 0, none), ValidationError);
    CHECK_THROWS_AS(tx.insert_rows("", kColumns, 0, none), ValidationError);
    // Nothing ran: the transaction still works.
    CHECK(tx.insert_rows("records", {&kColumns[0], 1}, 1,
                         [](std::size_t, RowSink& row) { row.add(std::int64_t{9}); }) == 1);
    tx.commit();
    CHECK(count_records(*db) == 1);
}

TEST_CASE("storage bulk: an unknown table or column is a StorageError", "[storage][bulk]") {
    auto db = fresh_records_database();
    auto none = [](std::size_t, RowSink&) {};
    {
        auto tx = db->begin();
        CHECK_THROWS_AS(tx.insert_rows("missing", kColumns, 0, none), StorageError);
    }
    {
        auto tx = db->begin();
        const std::string_view columns[] = {"id", "nope"};
        CHECK_THROWS_AS(tx.insert_rows("records", columns, 0, none), StorageError);
    }
    db->run(TxMode::kWrite, [](Transaction& tx) { CHECK(insert(tx, {{1, "ok", 1}}) == 1); });
    CHECK(count_records(*db) == 1);
}

TEST_CASE("storage bulk: a connection lost mid-COPY is not pooled again", "[storage][bulk]") {
    const std::string url = pitboss::testing::fresh_database_url();
    auto db = Database::open(url);
    if (db->backend() != pitboss::storage::Backend::kPostgres) return;  // no server to lose
    db->run(TxMode::kWrite,
            [&](Transaction& tx) { tx.execute_script(db->translate_ddl(kRecords)); });
    auto killer = Database::open(url);
    {
        auto tx = db->begin();
        const std::int64_t pid = tx.query_single("SELECT pg_backend_pid()").int64(0);
        // Ends the server session after the first chunks went out; the rest (far more than a
        // socket buffer) cannot reach it.
        CHECK_THROWS_AS(
            tx.insert_rows("records", kColumns, 200'000,
                           [&](std::size_t i, RowSink& row) {
                               if (i == 20'000) {
                                   (void)killer->begin(TxMode::kRead)
                                       .query("SELECT pg_terminate_backend(CAST(? AS INTEGER))",
                                              Params(pid));
                               }
                               row.add(static_cast<std::int64_t>(i));
                               row.add(std::string(60, 'z'));
                               row.add_null();
                           }),
            pitboss::UnavailableError);
    }
    // The pool discarded the dead connection: the next units get a live one.
    db->run(TxMode::kWrite, [](Transaction& tx) { CHECK(insert(tx, {{1, "ok", 1}}) == 1); });
    CHECK(count_records(*db) == 1);
}
