// audit_bench: appending hash-chained entries to an SQLite file, and verifying the chain.
//
// append: N entries (default 1,000,000) in transactions of B (default 10,000) through
//   AuditLog::append_all, each run on a fresh file. Baseline in the same run: a plain prepared
//   INSERT (raw sqlite3 API, one row per step) of rows with the same columns and the same
//   precomputed strings (actor, action, target, canonical before/after JSON, a 64-character
//   hash), in the same batches, into a file created the same way (pitboss schema, and the
//   pragmas pitboss sets: WAL, synchronous=NORMAL, cache_size, temp_store, mmap_size). Runs
//   alternate between the two so that machine noise hits both.
//   "ratio" is the audit log's cost over the baseline's (baseline rate / audit rate).
// verify: AuditLog::verify() over the file of the last append run. Beside it, in the same run:
//   the raw SHA-256 rate of the machine (EVP digest fetched once, one context reused) on inputs
//   of the entries' mean encoded size, and a raw sqlite3 scan of the same columns (what reading
//   the rows alone costs). Its "ratio" is the verify rate over the SHA-256 rate.
//
// Usage: audit_bench [--entries N] [--batch B] [--runs R] [--dir DIR]

#include <openssl/evp.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bench_util.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/storage/migration.hpp"

namespace {

using namespace pitboss;
using storage::Database;
using storage::Transaction;
using storage::TxMode;

constexpr const char* kAppendTarget = ">= 500000 entries/s and <= 1.5x the baseline's cost";
constexpr const char* kVerifyTarget = ">= 3000000 entries/s on one core";

struct Settings {
    std::int64_t entries = 1'000'000;
    std::int64_t batch = 10'000;
    int runs = 5;
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "pitboss-audit-bench";
};

Settings parse_args(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        const char* value = argv[i + 1];
        if (flag == "--entries")
            settings.entries = std::atoll(value);
        else if (flag == "--batch")
            settings.batch = std::atoll(value);
        else if (flag == "--runs")
            settings.runs = std::atoi(value);
        else if (flag == "--dir")
            settings.dir = value;
        else
            throw std::invalid_argument("unknown flag " + std::string(flag));
    }
    if (settings.entries <= 0 || settings.batch <= 0 || settings.runs < 1 ||
        settings.entries % settings.batch != 0) {
        throw std::invalid_argument("--entries must be a positive multiple of --batch");
    }
    return settings;
}

class AllowAll final : public Authorizer {
public:
    void require(const Actor&, std::string_view, const Attributes&) const override {}
};

/// One batch worth of changes (reused by every batch) and the same rows as plain strings.
struct Workload {
    std::vector<audit::Change> changes;
    std::vector<std::string> before_texts;
    std::vector<std::string> after_texts;
    std::string actor = "operator:alice";
    std::string hash = std::string(64, 'f');
};

Workload make_workload(std::int64_t batch) {
    Workload w;
    for (std::int64_t i = 0; i < batch; ++i) {
        const std::string status = i % 3 == 0 ? "self_excluded" : "blocked";
        audit::Change change{"player.status_changed", "player:" + std::to_string(100'000 + i),
                             Json{{"status", "active"}, {"reason", nullptr}},
                             Json{{"status", status}, {"reason", "support ticket"}}};
        w.before_texts.push_back(canonical_json(change.before));
        w.after_texts.push_back(canonical_json(change.after));
        w.changes.push_back(std::move(change));
    }
    return w;
}

void remove_database(const std::filesystem::path& file) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(file.string() + suffix);
    }
}

/// A new file with the pitboss schema, created through storage exactly as pitboss does.
std::unique_ptr<Database> create_database(const std::filesystem::path& file) {
    remove_database(file);
    auto db = Database::open("sqlite://" + file.string());
    const auto migrations = audit::AuditLog::migrations();
    storage::apply_migrations(*db, migrations);
    return db;
}

double append_through_audit_log(const Settings& s, const Workload& w,
                                const std::filesystem::path& file) {
    auto db = create_database(file);
    ManualClock clock(from_unix_millis(1'767'225'600'000));
    AllowAll allow;
    audit::AuditLog log(*db, clock, allow);
    const Actor actor = ActorFactory::make(OperatorId(1), ActorKind::kOperator, "alice");
    const double seconds = bench::seconds([&] {
        for (std::int64_t done = 0; done < s.entries; done += s.batch) {
            clock.advance(Duration(1));
            db->run(TxMode::kWrite,
                    [&](Transaction& tx) { (void)log.append_all(tx, actor, w.changes); });
        }
    });
    return static_cast<double>(s.entries) / seconds;
}

void check(int rc, sqlite3* db, int expected = SQLITE_OK) {
    if (rc != expected) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
}

sqlite3* open_raw(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr),
          db);
    check(sqlite3_exec(db,
                       "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       " PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;"
                       " PRAGMA mmap_size=268435456",
                       nullptr, nullptr, nullptr),
          db);
    return db;
}

double append_plain_insert(const Settings& s, const Workload& w,
                           const std::filesystem::path& file) {
    create_database(file).reset();
    sqlite3* db = open_raw(file);
    sqlite3_stmt* insert = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO audit_log (seq, at, actor, action, target, before_json,"
                             " after_json, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             -1, &insert, nullptr),
          db);
    auto text = [&](int column, const std::string& value) {
        check(sqlite3_bind_text(insert, column, value.data(), static_cast<int>(value.size()),
                                SQLITE_STATIC),
              db);
    };
    const auto batch = static_cast<std::size_t>(s.batch);
    const double seconds = bench::seconds([&] {
        std::int64_t seq = 0;
        for (std::int64_t done = 0; done < s.entries; done += s.batch) {
            check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db);
            for (std::size_t i = 0; i < batch; ++i) {
                ++seq;
                check(sqlite3_bind_int64(insert, 1, seq), db);
                check(sqlite3_bind_int64(insert, 2, 1'767'225'600'000 + done), db);
                text(3, w.actor);
                text(4, w.changes[i].action);
                text(5, w.changes[i].target);
                text(6, w.before_texts[i]);
                text(7, w.after_texts[i]);
                text(8, w.hash);
                check(sqlite3_step(insert), db, SQLITE_DONE);
                check(sqlite3_reset(insert), db);
            }
            check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
        }
    });
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return static_cast<double>(s.entries) / seconds;
}

double verify_rate(const std::filesystem::path& file, std::int64_t entries) {
    auto db = Database::open("sqlite://" + file.string());
    ManualClock clock(from_unix_millis(0));
    AllowAll allow;
    audit::AuditLog log(*db, clock, allow);
    audit::VerifyReport report;
    const double seconds = bench::seconds([&] { report = log.verify(); });
    if (!report.ok || report.entries_checked != entries) {
        throw std::runtime_error("verify failed: " + report.problem);
    }
    return static_cast<double>(entries) / seconds;
}

/// Rows read per second by a raw sqlite3 scan of the columns verify reads.
double raw_scan_rate(const std::filesystem::path& file, std::int64_t entries) {
    sqlite3* db = open_raw(file);
    sqlite3_stmt* select = nullptr;
    check(sqlite3_prepare_v2(db,
                             "SELECT seq, at, actor, action, target, before_json, after_json,"
                             " hash FROM audit_log ORDER BY seq",
                             -1, &select, nullptr),
          db);
    std::size_t bytes = 0;
    const double seconds = bench::seconds([&] {
        while (sqlite3_step(select) == SQLITE_ROW) {
            bytes += static_cast<std::size_t>(sqlite3_column_int64(select, 0) +
                                              sqlite3_column_int64(select, 1));
            for (int c = 2; c < 8; ++c) {
                bytes += static_cast<std::size_t>(sqlite3_column_bytes(select, c));
                bytes += static_cast<std::size_t>(
                    *static_cast<const unsigned char*>(sqlite3_column_blob(select, c)));
            }
        }
    });
    sqlite3_finalize(select);
    sqlite3_close(db);
    if (bytes == 0) throw std::runtime_error("scan read nothing");
    return static_cast<double>(entries) / seconds;
}

/// Mean size of the canonical encoding of the log's entries (a sample of the first rows).
std::size_t mean_encoding_size(const std::filesystem::path& file) {
    auto db = Database::open("sqlite://" + file.string());
    ManualClock clock(from_unix_millis(0));
    AllowAll allow;
    audit::AuditLog log(*db, clock, allow);
    const Actor actor = ActorFactory::make(OperatorId(1), ActorKind::kOperator, "alice");
    const auto sample = log.list(actor, {}, 10'000);
    std::size_t total = 0;
    for (const auto& entry : sample) total += audit::canonical_encoding(entry).size();
    return total / sample.size();
}

/// SHA-256 digests per second of distinct `size`-byte messages: digest fetched once, one
/// context reused (the same way the audit log hashes).
double raw_sha256_rate(std::size_t size, std::int64_t count) {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::string message(size, 'x');
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const double seconds = bench::seconds([&] {
        for (std::int64_t i = 0; i < count; ++i) {
            std::memcpy(message.data(), &i, sizeof i);
            EVP_DigestInit_ex2(ctx, md, nullptr);
            EVP_DigestUpdate(ctx, message.data(), message.size());
            EVP_DigestFinal_ex(ctx, digest, &length);
        }
    });
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    return static_cast<double>(count) / seconds;
}

nlohmann::json result(const char* name, const char* unit, const std::vector<double>& runs,
                      const char* baseline, const std::vector<double>& baseline_runs,
                      const char* target) {
    const double median = bench::median(runs);
    const double baseline_median = bench::median(baseline_runs);
    return {{"bench", "audit"},
            {"case", name},
            {"unit", unit},
            {"median", median},
            {"runs", runs},
            {"baseline", baseline},
            {"baseline_median", baseline_median},
            {"baseline_runs", baseline_runs},
            {"target", target}};
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Settings s = parse_args(argc, argv);
        std::filesystem::create_directories(s.dir);
        const Workload workload = make_workload(s.batch);
        const auto audit_file = s.dir / "audit.db";
        const auto plain_file = s.dir / "plain.db";

        std::vector<double> audit_runs;
        std::vector<double> plain_runs;
        for (int run = 0; run < s.runs; ++run) {
            plain_runs.push_back(append_plain_insert(s, workload, plain_file));
            audit_runs.push_back(append_through_audit_log(s, workload, audit_file));
        }
        auto append = result("append", "entries/s", audit_runs,
                             "plain prepared INSERT, raw sqlite3, same rows and batches",
                             plain_runs, kAppendTarget);
        append["entries"] = s.entries;
        append["batch"] = s.batch;
        append["ratio"] = bench::median(plain_runs) / bench::median(audit_runs);
        bench::report(append);

        const std::size_t size = mean_encoding_size(audit_file);
        std::vector<double> verify_runs;
        std::vector<double> sha_runs;
        std::vector<double> scan_runs;
        for (int run = 0; run < s.runs; ++run) {
            sha_runs.push_back(raw_sha256_rate(size, s.entries));
            scan_runs.push_back(raw_scan_rate(audit_file, s.entries));
            verify_runs.push_back(verify_rate(audit_file, s.entries));
        }
        auto verify =
            result("verify", "entries/s", verify_runs,
                   "raw SHA-256 (EVP, fetched once) of same-size inputs", sha_runs, kVerifyTarget);
        verify["entries"] = s.entries;
        verify["encoding_bytes"] = size;
        verify["ratio"] = bench::median(verify_runs) / bench::median(sha_runs);
        verify["raw_sqlite_scan_median"] = bench::median(scan_runs);
        verify["raw_sqlite_scan_runs"] = scan_runs;
        // What a scan followed by a hash per row could reach at best, one after the other.
        verify["scan_plus_hash_bound"] =
            1.0 / (1.0 / bench::median(scan_runs) + 1.0 / bench::median(sha_runs));
        bench::report(verify);

        remove_database(audit_file);
        remove_database(plain_file);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "audit_bench: " << e.what() << "\n";
        return 1;
    }
}
