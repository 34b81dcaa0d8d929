// audit: the hash-chained log on the backend named by PITBOSS_TEST_BACKEND.

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/storage/migration.hpp"
#include "support/test_backoffice.hpp"
#include "support/test_database.hpp"

namespace pitboss::audit {
namespace {

using storage::Backend;
using storage::Database;
using storage::Params;
using storage::Transaction;
using storage::TxMode;

/// Allows everything, or refuses one permission (to test refusals and their audit entries).
class TestAuthorizer final : public Authorizer {
public:
    explicit TestAuthorizer(std::string refused = {}) : refused_(std::move(refused)) {}
    void require(const Actor& actor, std::string_view permission,
                 const Attributes& /*resource*/) const override {
        if (permission == refused_) {
            throw AccessDenied(actor.label() + " lacks " + std::string(permission));
        }
    }

private:
    std::string refused_;
};

struct Fixture {
    explicit Fixture(std::string refused = {}) : authorizer(std::move(refused)) {
        const auto migrations = AuditLog::migrations();
        storage::apply_migrations(*db, migrations);
    }

    /// `count` entries, one transaction each, the clock one second apart.
    void append_many(int count) {
        for (int i = 0; i < count; ++i) {
            clock.advance(Duration(1000));
            db->run(TxMode::kWrite, [&](Transaction& tx) { log.append(tx, alice, change(i)); });
        }
    }

    /// Runs `sql` as the attacker would: straight at the table, past the PostgreSQL trigger.
    void tamper(const std::string& sql, const Params& params = Params()) {
        db->run(TxMode::kWrite, [&](Transaction& tx) {
            if (tx.backend() == Backend::kPostgres) {
                tx.execute("ALTER TABLE audit_log DISABLE TRIGGER USER");
            }
            tx.execute(sql, params);
            if (tx.backend() == Backend::kPostgres) {
                tx.execute("ALTER TABLE audit_log ENABLE TRIGGER USER");
            }
        });
    }

    static Change change(int i) {
        return Change{"player.status_changed", "player:" + std::to_string(i),
                      Json{{"status", "active"}, {"i", i}}, Json{{"status", "blocked"}, {"i", i}}};
    }

    std::int64_t count_rows() {
        auto tx = db->begin(TxMode::kRead);
        return tx.query_single("SELECT count(*) FROM audit_log").int64(0);
    }

    std::unique_ptr<Database> db = Database::open(testing::fresh_database_url());
    ManualClock clock{testing::fixture_start()};
    TestAuthorizer authorizer;
    AuditLog log{*db, clock, authorizer};
    Actor alice = ActorFactory::make(OperatorId(7), ActorKind::kOperator, "alice");
};

std::string export_all(Fixture& f, const TimeRange& range = {}) {
    std::ostringstream out;
    f.log.export_jsonl(f.alice, out, range);
    return out.str();
}

VerifyReport verify_text(const std::string& text) {
    std::istringstream in(text);
    return verify_export(in);
}

/// docs/verify_audit_export.py, found by walking up from the test executable.
std::filesystem::path verifier_script() {
    std::filesystem::path dir = std::filesystem::canonical("/proc/self/exe").parent_path();
    for (; !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
        const auto candidate = dir / "docs" / "verify_audit_export.py";
        if (std::filesystem::exists(candidate)) return candidate;
    }
    FAIL("docs/verify_audit_export.py not found above the test executable");
    return {};
}

/// Runs the documented Python verifier on `text`; returns its exit code and first output line.
std::pair<int, std::string> run_python_verifier(const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path();
    const auto input = dir / ("pitboss-audit-export-" + std::to_string(::getpid()) + ".jsonl");
    const auto output = dir / ("pitboss-audit-verify-" + std::to_string(::getpid()) + ".txt");
    std::ofstream(input) << text;
    const std::string command = "/usr/bin/python3 " + verifier_script().string() + " " +
                                input.string() + " > " + output.string() + " 2>&1";
    const int status = std::system(command.c_str());
    std::string first_line;
    std::ifstream result(output);
    std::getline(result, first_line);
    std::filesystem::remove(input);
    std::filesystem::remove(output);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, first_line};
}

}  // namespace

TEST_CASE("audit: an empty log verifies", "[audit]") {
    Fixture f;
    const VerifyReport report = f.log.verify();
    CHECK(report.ok);
    CHECK(report.entries_checked == 0);
}

TEST_CASE("audit: 1,000 appended entries verify", "[audit]") {
    Fixture f;
    f.append_many(1000);
    const VerifyReport report = f.log.verify();
    CHECK(report.ok);
    CHECK(report.entries_checked == 1000);
    CHECK(report.problem.empty());
}

TEST_CASE("audit: append numbers entries and links them", "[audit]") {
    Fixture f;
    std::int64_t first = 0;
    std::int64_t second = 0;
    f.db->run(TxMode::kWrite, [&](Transaction& tx) {
        first = f.log.append(tx, f.alice,
                             {"player.registered", "player:1", nullptr, Json{{"country", "DE"}}});
    });
    f.clock.advance(Duration(60'000));
    f.db->run(TxMode::kWrite, [&](Transaction& tx) {
        second = f.log.append(
            tx, f.alice,
            {"player.updated", "player:1", Json{{"country", "DE"}}, Json{{"country", "AT"}}});
    });
    CHECK(first == 1);
    CHECK(second == 2);

    const auto entries = f.log.list(f.alice, {});
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].prev_hash == genesis_hash());
    CHECK(entries[1].prev_hash == entries[0].hash);
    CHECK(entries[0].actor == "operator:alice");
    CHECK(entries[0].at == testing::fixture_start());
    CHECK(entries[1].at == testing::fixture_start() + Duration(60'000));
    CHECK(entries[0].before.is_null());
    CHECK(entries[1].after == Json{{"country", "AT"}});
    // The stored hash is the one compute_hash gives for the entry read back: the row's JSON
    // text and the Entry's JSON values encode to the same bytes.
    for (const Entry& entry : entries) CHECK(entry.hash == compute_hash(entry));
}

TEST_CASE("audit: append_all chains many entries in one transaction", "[audit]") {
    Fixture f;
    std::vector<Change> changes;
    // 347 = 256 + 64 + 16 + 4 + 4 + 1 + 1 + 1: every statement size of the inserter.
    for (int i = 0; i < 347; ++i) changes.push_back(Fixture::change(i));
    std::int64_t last = 0;
    f.db->run(TxMode::kWrite, [&](Transaction& tx) {
        last = f.log.append_all(tx, f.alice, changes);
        CHECK(f.log.append_all(tx, f.alice, {}) == 347);
    });
    CHECK(last == 347);
    f.append_many(3);
    const VerifyReport report = f.log.verify();
    CHECK(report.ok);
    CHECK(report.entries_checked == 350);
    const auto entries = f.log.list(f.alice, {}, 400);
    REQUIRE(entries.size() == 350);
    CHECK(entries[300].target == "player:300");
    CHECK(entries[300].after["i"] == 300);
    CHECK(entries[300].prev_hash == entries[299].hash);
}

TEST_CASE("audit: entries of a rolled-back transaction leave no trace", "[audit]") {
    Fixture f;
    f.append_many(5);
    {
        Transaction tx = f.db->begin(TxMode::kWrite);
        f.log.append(tx, f.alice, Fixture::change(99));
    }
    f.append_many(1);
    CHECK(f.count_rows() == 6);
    CHECK(f.log.verify().ok);
}

TEST_CASE("audit: invalid changes are refused before anything is written", "[audit]") {
    Fixture f;
    f.append_many(3);
    auto field_of = [&](const Change& bad) {
        std::string field = "none";
        f.db->run(TxMode::kWrite, [&](Transaction& tx) {
            try {
                std::vector<Change> changes = {Fixture::change(1), bad, Fixture::change(2)};
                (void)f.log.append_all(tx, f.alice, changes);
            } catch (const ValidationError& e) {
                field = e.field();
            }
            // The transaction goes on and commits: the refusal must have written nothing.
        });
        return field;
    };
    CHECK(field_of({"", "player:1", nullptr, nullptr}) == "action");
    CHECK(field_of({"player.updated", "", nullptr, nullptr}) == "target");
    CHECK(field_of({"player.updated", "player:\n1", nullptr, nullptr}) == "target");
    CHECK(field_of({"player.updated", "player:1", Json("\xff"), nullptr}) == "before");
    CHECK(field_of({"player.updated", "player:1", nullptr, Json(std::nan(""))}) == "after");
    CHECK(f.count_rows() == 3);
    CHECK(f.log.verify().ok);
}

TEST_CASE("audit: append needs a write transaction", "[audit]") {
    Fixture f;
    Transaction tx = f.db->begin(TxMode::kRead);
    CHECK_THROWS_AS(f.log.append(tx, f.alice, Fixture::change(1)), PreconditionError);
}

TEST_CASE("audit: a changed byte in one row is reported at exactly that seq", "[audit]") {
    Fixture f;
    f.append_many(1000);
    const std::int64_t seq = 437;
    // Every stored column but seq (whose changes show as gaps, tested below); prev_hash is not
    // stored, it is the hash of the row before.
    SECTION("after_json") {
        f.tamper(
            "UPDATE audit_log SET after_json = REPLACE(after_json, 'blocked', 'blockee')"
            " WHERE seq = ?",
            Params(seq));
    }
    SECTION("before_json, keeping it valid JSON") {
        f.tamper(
            "UPDATE audit_log SET before_json = REPLACE(before_json, '\"i\":', '\"j\":')"
            " WHERE seq = ?",
            Params(seq));
    }
    SECTION("actor") {
        f.tamper("UPDATE audit_log SET actor = 'operator:alicE' WHERE seq = ?", Params(seq));
    }
    SECTION("at") { f.tamper("UPDATE audit_log SET at = at + 1 WHERE seq = ?", Params(seq)); }
    SECTION("hash") {
        f.tamper("UPDATE audit_log SET hash = 'x' || SUBSTR(hash, 2) WHERE seq = ?", Params(seq));
    }
    SECTION("action") {
        f.tamper("UPDATE audit_log SET action = 'player.status_changeD' WHERE seq = ?",
                 Params(seq));
    }
    SECTION("target") {
        f.tamper("UPDATE audit_log SET target = target || '0' WHERE seq = ?", Params(seq));
    }
    const VerifyReport report = f.log.verify();
    CHECK_FALSE(report.ok);
    CHECK(report.first_broken_seq == seq);
    CHECK(report.problem == "hash mismatch");
    CHECK(report.entries_checked == seq - 1);
}

TEST_CASE("audit: a deleted middle row is reported as a gap", "[audit]") {
    Fixture f;
    f.append_many(1000);
    f.tamper("DELETE FROM audit_log WHERE seq = ?", Params(500));
    const VerifyReport report = f.log.verify();
    CHECK_FALSE(report.ok);
    CHECK(report.first_broken_seq == 500);
    CHECK(report.problem == "sequence gap after 499");
}

TEST_CASE("audit: rows cut from the end are revealed by the head", "[audit]") {
    Fixture f;
    f.append_many(20);
    f.tamper("DELETE FROM audit_log WHERE seq > ?", Params(17));
    const VerifyReport report = f.log.verify();
    CHECK_FALSE(report.ok);
    CHECK(report.first_broken_seq == 18);
    CHECK(report.problem == "entries after 17 are missing (audit_head records seq 20)");
}

TEST_CASE("audit: a head that disagrees with the log is reported", "[audit]") {
    Fixture f;
    f.append_many(20);
    auto set_head = [&](const std::string& assignment) {
        f.db->run(TxMode::kWrite, [&](Transaction& tx) {
            tx.execute("UPDATE audit_head SET " + assignment + " WHERE id = 1");
        });
    };
    std::int64_t seq = 0;
    std::string problem;
    SECTION("other hash") {
        set_head("hash = '" + std::string(64, 'a') + "'");
        seq = 20;
        problem = "audit_head does not match entry 20";
    }
    SECTION("behind the log") {
        set_head("seq = 15");
        seq = 16;
        problem = "audit_head records seq 15 but the log ends at 20";
    }
    SECTION("removed") {
        f.db->run(TxMode::kWrite, [&](Transaction& tx) { tx.execute("DELETE FROM audit_head"); });
        seq = 21;
        problem = "the audit_head row is missing";
        CHECK_THROWS_AS(f.append_many(1), IntegrityError);
    }
    const VerifyReport report = f.log.verify();
    CHECK_FALSE(report.ok);
    CHECK(report.first_broken_seq == seq);
    CHECK(report.problem == problem);
}

TEST_CASE("audit: the database itself refuses changes to the log where it can", "[audit]") {
    Fixture f;
    f.append_many(10);
    auto attempt = [&](const std::string& sql) {
        f.db->run(TxMode::kWrite, [&](Transaction& tx) { tx.execute(sql); });
    };
    if (testing::backend_under_test() == Backend::kPostgres) {
        // PostgreSQL: a trigger refuses UPDATE, DELETE and TRUNCATE outright.
        CHECK_THROWS_WITH(attempt("UPDATE audit_log SET actor = 'x' WHERE seq = 3"),
                          Catch::Contains("append-only"));
        CHECK_THROWS_WITH(attempt("DELETE FROM audit_log WHERE seq = 3"),
                          Catch::Contains("append-only"));
        CHECK_THROWS_WITH(attempt("TRUNCATE audit_log"), Catch::Contains("append-only"));
        CHECK(f.count_rows() == 10);
        CHECK(f.log.verify().ok);
    } else {
        // SQLite has no such guard (any writer of the file could drop it); the chain shows it.
        attempt("UPDATE audit_log SET actor = 'x' WHERE seq = 3");
        CHECK(f.log.verify().first_broken_seq == 3);
    }
}

TEST_CASE("audit: concurrent appenders form one unbroken chain", "[audit]") {
    Fixture f;
    constexpr int kThreads = 4;
    constexpr int kEach = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                for (int i = 0; i < kEach; ++i) {
                    f.db->run(TxMode::kWrite, [&](Transaction& tx) {
                        f.log.append(tx, f.alice, Fixture::change(t * 100 + i));
                    });
                }
            } catch (const std::exception& e) {
                ++failures;
                UNSCOPED_INFO("appender failed: " << e.what());
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failures == 0);
    const VerifyReport report = f.log.verify();
    CHECK(report.ok);
    CHECK(report.entries_checked == kThreads * kEach);
}

TEST_CASE("audit: list returns the entries of a time range, oldest first", "[audit]") {
    Fixture f;
    f.append_many(50);  // entry i at start + i seconds
    const Timestamp start = testing::fixture_start();
    const auto entries = f.log.list(f.alice, {start + Duration(10'000), start + Duration(19'000)});
    REQUIRE(entries.size() == 10);
    CHECK(entries.front().seq == 10);
    CHECK(entries.back().seq == 19);
    CHECK(f.log.list(f.alice, {start + Duration(10'000), std::nullopt}, 5).size() == 5);
    CHECK(f.log.list(f.alice, {std::nullopt, start}).empty());
    CHECK_THROWS_AS(f.log.list(f.alice, {start + Duration(1), start}), ValidationError);
    CHECK_THROWS_AS(f.log.list(f.alice, {}, 0), ValidationError);
}

TEST_CASE("audit: list takes each prev_hash from the entry before, which must exist", "[audit]") {
    Fixture f;
    f.append_many(50);  // entry i at start + i seconds
    const Timestamp start = testing::fixture_start();
    const TimeRange range{start + Duration(10'000), start + Duration(19'000)};
    const auto whole = f.log.list(f.alice, {});
    const auto entries = f.log.list(f.alice, range);
    REQUIRE(entries.size() == 10);
    CHECK(entries.front().prev_hash == whole[8].hash);  // seq 9, outside the range
    CHECK(whole.front().prev_hash == genesis_hash());
    f.tamper("DELETE FROM audit_log WHERE seq = ?", Params(9));
    CHECK_THROWS_AS(f.log.list(f.alice, range), IntegrityError);
}

TEST_CASE("audit: an exported range verifies on its own", "[audit]") {
    Fixture f;
    f.append_many(300);
    const Timestamp start = testing::fixture_start();
    const std::string text = export_all(f, {start + Duration(100'000), start + Duration(250'000)});
    const VerifyReport report = verify_text(text);
    CHECK(report.ok);
    CHECK(report.entries_checked == 151);
    const Entry first = entry_from_json(Json::parse(text.substr(0, text.find('\n'))));
    CHECK(first.seq == 100);

    const VerifyReport whole = verify_text(export_all(f));
    CHECK(whole.ok);
    CHECK(whole.entries_checked == 300);
    CHECK(export_all(f, {start + Duration(400'000), std::nullopt}).empty());
}

TEST_CASE("audit: an export stays contiguous when the clock went backwards", "[audit]") {
    Fixture f;
    f.append_many(10);  // seconds 1..10
    f.clock.set(testing::fixture_start() + Duration(3'500));
    f.append_many(2);  // seconds 4.5 and 5.5, seq 11 and 12
    const Timestamp start = testing::fixture_start();
    const std::string text = export_all(f, {start + Duration(5'000), start + Duration(6'000)});
    const VerifyReport report = verify_text(text);
    CHECK(report.ok);
    CHECK(report.entries_checked == 8);  // seq 5..12, not just the entries timed 5-6 s
}

TEST_CASE("audit: a tampered export is caught by verify_export", "[audit]") {
    Fixture f;
    f.append_many(30);
    std::istringstream lines(export_all(f));
    std::string text;
    for (std::string line; std::getline(lines, line);) {
        if (Json::parse(line)["seq"] == 12) line[line.find("blocked")] = 'B';
        text += line + "\n";
    }
    const VerifyReport report = verify_text(text);
    CHECK_FALSE(report.ok);
    CHECK(report.first_broken_seq == 12);
    CHECK(report.problem == "hash mismatch");
}

TEST_CASE("audit: the documented Python verifier accepts an export and finds tampering",
          "[audit]") {
    Fixture f;
    // Values whose canonical JSON is easy to get wrong: escapes, non-ASCII, numbers, nesting.
    f.db->run(TxMode::kWrite, [&](Transaction& tx) {
        f.log.append(tx, f.alice,
                     {"player.updated", "player:\xe6\x97\xa5",
                      Json{{"note", "line\nbreak \"quoted\" back\\slash \x01 tab\t"},
                           {"z", Json::array({1, -2, 3.25, 1e-7, 12345678901234, true})},
                           // Printed differently by Python's repr (shortest) and by the
                           // serializer pitboss uses: the verifier must keep number texts.
                           {"floats", Json::array({881866874583551.2, -3.556169393814842e-26, 1e15,
                                                   1234567890123456.0, -0.0})}},
                      Json{{"name", "Zo\xc3\xab \xf0\x9f\x8e\xb0"},
                           {"nested", {{"b", nullptr}, {"a", Json::object()}}},
                           {"big", 18446744073709551615ULL}}});
    });
    f.append_many(20);
    std::string text = export_all(f);
    const auto [ok_code, ok_line] = run_python_verifier(text);
    CHECK(ok_code == 0);
    CHECK(ok_line == "ok: 21 entries verified");

    text[text.find("Zo\xc3\xab") + 1] = 'x';
    const auto [broken_code, broken_line] = run_python_verifier(text);
    CHECK(broken_code == 1);
    CHECK(broken_line == "BROKEN: entry 1: hash mismatch");
}

TEST_CASE("audit: reading needs audit.read and exporting needs audit.export", "[audit]") {
    SECTION("list") {
        Fixture f("audit.read");
        f.append_many(2);
        CHECK_THROWS_AS(f.log.list(f.alice, {}), AccessDenied);
        std::ostringstream out;
        CHECK_NOTHROW(f.log.export_jsonl(f.alice, out, {}));
    }
    SECTION("export") {
        Fixture f("audit.export");
        f.append_many(2);
        std::ostringstream out;
        CHECK_THROWS_AS(f.log.export_jsonl(f.alice, out, {}), AccessDenied);
        CHECK(out.str().empty());
        CHECK(f.log.list(f.alice, {}).size() == 3);
    }
}

TEST_CASE("audit: a refused read is itself audited", "[audit]") {
    Fixture f("audit.export");
    f.append_many(2);
    std::ostringstream out;
    CHECK_THROWS_AS(f.log.export_jsonl(f.alice, out, {}), AccessDenied);
    const auto entries = f.log.list(f.alice, {});
    REQUIRE(entries.size() == 3);
    CHECK(entries[2].action == "access.denied");
    CHECK(entries[2].actor == "operator:alice");
    CHECK(entries[2].target == "operator:7");
    CHECK(entries[2].after["permission"] == "audit.export");
    CHECK(f.log.verify().ok);
}

}  // namespace pitboss::audit
