// Ingestion end to end: a JSON Lines file of platform events for many players goes through
// Ingestor::ingest_file (parse, validate, idempotency, profiles, aggregates, durable commits
// every <= 100 ms, final checkpoint) into a fresh database. Baselines in the same run: the same
// event-log rows written by a plain prepared INSERT loop (SQLite) and by raw COPY (PostgreSQL).
// Peak memory is measured in child processes at several sizes to show it follows players.
//
//   ingest_bench [--events N] [--players N] [--runs N]
// PostgreSQL cases run when PITBOSS_TEST_POSTGRES_URL is set.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "ingest_baseline.hpp"
#include "pitboss/pitboss.hpp"

namespace {

using namespace pitboss;
using namespace std::chrono;
using bench::BaselineRow;

const Timestamp kNow = from_unix_millis(1'795'305'600'000);  // 2026-11-22T00:00:00Z
constexpr std::int64_t kUsdPer100 = 92;                      // 1 USD = 0.92 EUR

struct Stream {
    std::filesystem::path file;
    std::vector<BaselineRow> rows;  // what the log holds afterwards, for the baselines
    std::size_t events = 0;
};

// One event per line; player i registers at line i*events/players, the other lines are
// activity of a registered player (Pareto-ish: a few heavy players), times over 90 days with 1%
// arriving hours late. Ids increase with the line number, like a platform's outbox sequence.
Stream make_stream(const std::filesystem::path& file, std::size_t events, std::size_t players,
                   bool keep_rows = true) {
    Stream s{file, {}, events};
    if (keep_rows) s.rows.reserve(events);
    std::ofstream out(file, std::ios::binary);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const std::int64_t span = duration_cast<milliseconds>(days(90)).count();
    const std::int64_t start = to_unix_millis(kNow) - span;
    std::size_t registered = 0;
    const std::size_t every = std::max<std::size_t>(1, events / players);
    std::vector<bool> usd(players);
    static const char* kGames[] = {"slots", "slots", "slots", "live_casino", "table", "sports"};
    std::string line;
    for (std::size_t k = 0; k < events; ++k) {
        std::int64_t at =
            start + static_cast<std::int64_t>(k) * span / static_cast<std::int64_t>(events);
        if (rng() % 100 == 0) at -= static_cast<std::int64_t>(rng() % 36'000'000);
        const std::string when = format_timestamp(from_unix_millis(at));
        char id[32];
        std::snprintf(id, sizeof id, "evt-%010zu", k);
        BaselineRow row{static_cast<std::int64_t>(k + 1),
                        id,
                        0,
                        "",
                        at,
                        "",
                        "",
                        0,
                        "",
                        0,
                        0,
                        "",
                        "",
                        "",
                        "",
                        "",
                        -1,
                        ""};
        const bool registers = (k % every == 0 && registered < players) || registered == 0;
        if (registers) {
            const std::size_t p = registered++;
            usd[p] = p % 10 == 3;
            const char* currency = usd[p] ? "USD" : "EUR";
            line = R"({"event_id":")" + std::string(id) +
                   R"(","type":"registration","player_id":"p)" + std::to_string(p) +
                   R"(","occurred_at":")" + when +
                   R"(","country":"MT","birth_date":"1988-04-02","currency":")" + currency +
                   R"(","language":"en","email":"p)" + std::to_string(p) +
                   R"(@example.com","consents":{"email":true,"sms":false}})";
            row.player_id = static_cast<std::int64_t>(p + 1);
            row.type = "registration";
            row.detail =
                R"({"birth_date":"1988-04-02","consents":{"email":true,"messenger":false,"push":false,"sms":false},"country":"MT","currency":")" +
                std::string(currency) + R"(","email":"p)" + std::to_string(p) +
                R"(@example.com","language":"en"})";
        } else {
            const double u = unit(rng);
            const auto p = static_cast<std::size_t>(static_cast<double>(registered) * u * u);
            const bool in_usd = usd[p];
            const std::string currency = in_usd ? "USD" : "EUR";
            const std::int64_t minor = 100 * (1 + static_cast<std::int64_t>(rng() % 200));
            const std::string amount = std::to_string(minor / 100) + ".00";
            const std::string head = R"({"event_id":")" + std::string(id) + R"(","type":")";
            const std::string player =
                R"(","player_id":"p)" + std::to_string(p) + R"(","occurred_at":")" + when + "\"";
            const std::string money =
                R"(,"amount":")" + amount + R"(","currency":")" + currency + "\"}";
            row.player_id = static_cast<std::int64_t>(p + 1);
            row.amount_minor = minor;
            row.currency = currency;
            row.player_minor = minor;
            row.base_minor = in_usd ? minor * kUsdPer100 / 100 : minor;
            const auto kind = rng() % 100;
            const std::string ref = std::to_string(k);
            if (kind < 45) {
                const char* game = kGames[rng() % 6];
                line = head + "bet" + player + R"(,"round_id":"r)" + ref +
                       R"(","game_id":"g7","game_type":")" + game + "\"" + money;
                row.type = "bet";
                row.ref = "r" + ref;
                row.game_id = "g7";
                row.game_type = game;
            } else if (kind < 70) {
                line = head + "win" + player + R"(,"round_id":"r)" + ref + R"(","game_id":"g7")" +
                       money;
                row.type = "win";
                row.ref = "r" + ref;
                row.game_id = "g7";
            } else if (kind < 78) {
                line = head + "login" + player + R"(,"session_id":"s)" + ref +
                       R"(","device":"ios","ip_country":"MT"})";
                row = BaselineRow{
                    row.seq, id, row.player_id, "login", at, "s" + ref, "", 0, "", 0, 0, "",
                    "",      "", "ios",         "MT",    -1, ""};
            } else if (kind < 85) {
                line = head + "session_end" + player + R"(,"session_id":"s)" + ref +
                       R"(","duration_s":1800})";
                row = BaselineRow{row.seq,
                                  id,
                                  row.player_id,
                                  "session_end",
                                  at,
                                  "s" + ref,
                                  "",
                                  0,
                                  "",
                                  0,
                                  0,
                                  "",
                                  "",
                                  "",
                                  "",
                                  "",
                                  1800,
                                  ""};
            } else if (kind < 95) {
                const char* status = kind < 93 ? "approved" : "pending";
                line = head + "deposit" + player + R"(,"transaction_id":"t)" + ref +
                       R"(","method":"card","status":")" + status + "\"" + money;
                row.type = "deposit";
                row.ref = "t" + ref;
                row.state = status;
                row.method = "card";
            } else if (kind < 97) {
                line = head + "withdrawal" + player + R"(,"transaction_id":"w)" + ref +
                       R"(","method":"card","status":"paid")" + money;
                row.type = "withdrawal";
                row.ref = "w" + ref;
                row.state = "paid";
                row.method = "card";
            } else {
                line = head + "bonus" + player + R"(,"bonus_id":"b)" + ref +
                       R"(","kind":"granted")" + money;
                row.type = "bonus";
                row.ref = "b" + ref;
                row.state = "granted";
            }
        }
        out << line << '\n';
        if (keep_rows) s.rows.push_back(std::move(row));
    }
    return s;
}

std::shared_ptr<ManualClock> bench_clock() { return std::make_shared<ManualClock>(kNow); }

void set_rates(Backoffice& bo) {
    const Actor admin = bo.access().system_actor("bootstrap");
    bo.events().set_fx_rate(admin, "USD", "0.92", kNow - days(400));
}

// Seconds for one ingest of the stream into the database at `url` (migrated and rated first).
double ingest_seconds(const std::string& url, const Stream& stream,
                      events::IngestCounts* counts = nullptr) {
    Options options;
    options.clock = bench_clock();
    auto bo = open(url, options);
    set_rates(bo);
    const Actor platform = bo.access().system_actor("platform");
    events::IngestCounts got;
    const double s = bench::seconds([&] { got = bo.events().ingest_file(platform, stream.file); });
    if (got.accepted != static_cast<std::int64_t>(stream.events)) {
        throw std::runtime_error("ingest accepted " + std::to_string(got.accepted) + " of " +
                                 std::to_string(stream.events) + " events (quarantined " +
                                 std::to_string(got.quarantined) + ")");
    }
    if (counts) *counts = got;
    return s;
}

std::string fresh_sqlite(const std::filesystem::path& dir) {
    bench::detail::remove_sqlite_files(dir / "ingest.db");
    return "sqlite://" + (dir / "ingest.db").string();
}

std::string fresh_postgres(const std::string& base, int run) {
    const std::string schema =
        "ingest_bench_" + std::to_string(::getpid()) + "_" + std::to_string(run);
    auto db = storage::Database::open(base);
    db->run(storage::TxMode::kWrite, [&](storage::Transaction& tx) {
        tx.execute_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
    });
    const char separator = base.find('?') == std::string::npos ? '?' : '&';
    return base + separator + "options=-csearch_path%3D" + schema;
}

void drop_postgres_schemas(const std::string& base, int runs) {
    auto db = storage::Database::open(base);
    for (int run = 0; run < runs; ++run) {
        db->run(storage::TxMode::kWrite, [&](storage::Transaction& tx) {
            tx.execute_script("DROP SCHEMA IF EXISTS ingest_bench_" + std::to_string(::getpid()) +
                              "_" + std::to_string(run) + " CASCADE");
        });
    }
}

void compare(const std::string& name, const std::vector<double>& ours,
             const std::vector<double>& baseline, const std::string& baseline_name,
             std::size_t events, const std::string& target, std::size_t players) {
    auto rate = [&](const std::vector<double>& seconds) {
        std::vector<double> r;
        for (double s : seconds) r.push_back(static_cast<double>(events) / s);
        return r;
    };
    const double ours_median = bench::median(rate(ours));
    const double base_median = bench::median(rate(baseline));
    bench::report({{"bench", "ingest"},
                   {"case", name},
                   {"unit", "events/s"},
                   {"events", events},
                   {"players", players},
                   {"median", ours_median},
                   {"runs", rate(ours)},
                   {"baseline", baseline_name},
                   {"baseline_median", base_median},
                   {"baseline_runs", rate(baseline)},
                   {"ratio", ours_median / base_median},
                   {"target", target}});
}

// Peak resident memory (KiB) of a fresh process (this program, re-executed) that ingests the
// stream file into a fresh SQLite file. The child reads its own VmHWM (which exec resets, unlike
// ru_maxrss) so nothing of this process's memory is counted.
long child_peak_kib(const std::filesystem::path& dir, const Stream& stream) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::string file = stream.file.string();
    const std::string count = std::to_string(stream.events);
    const std::string db = (dir / "child.db").string();
    const pid_t pid = fork();
    if (pid == 0) {
        execl(self.c_str(), self.c_str(), "--child-ingest", file.c_str(), count.c_str(), db.c_str(),
              static_cast<char*>(nullptr));
        std::_Exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("child failed");
    std::ifstream peak(db + ".peak");
    long kib = 0;
    peak >> kib;
    return kib;
}

// VmHWM of this process, in KiB.
long own_peak_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));  // incl. mmap
    }
    return 0;
}

// The child side of child_peak_kib.
int child_ingest(const std::filesystem::path& file, std::size_t events,
                 const std::filesystem::path& db) {
    try {
        bench::detail::remove_sqlite_files(db);
        ingest_seconds("sqlite://" + db.string(), Stream{file, {}, events});
        std::ofstream(db.string() + ".peak") << own_peak_kib() << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "child: %s\n", e.what());
        return 1;
    }
}

std::size_t flag(int argc, char** argv, const std::string& name, std::size_t fallback) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (argv[i] == name) return std::stoul(argv[i + 1]);
    }
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--write-stream") {
        make_stream(argv[2], flag(argc, argv, "--events", 1'000'000), 100'000, false);
        return 0;
    }
    if (argc == 5 && std::string(argv[1]) == "--child-ingest") {
        return child_ingest(argv[2], std::stoul(argv[3]), argv[4]);
    }
    const std::size_t events = flag(argc, argv, "--events", 1'000'000);
    const std::size_t players = flag(argc, argv, "--players", 100'000);
    const int runs = static_cast<int>(flag(argc, argv, "--runs", 5));
    const auto dir = std::filesystem::temp_directory_path() /
                     ("pitboss-ingest-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const Stream stream = make_stream(dir / "stream.jsonl", events, players);

    // SQLite: ours and the plain INSERT loop, interleaved run by run.
    std::vector<double> ours, plain;
    for (int run = 0; run < runs; ++run) {
        ours.push_back(ingest_seconds(fresh_sqlite(dir), stream));
        plain.push_back(bench::sqlite_plain_insert_seconds(dir / "plain.db", stream.rows));
    }
    compare("sqlite_end_to_end", ours, plain, "plain prepared INSERT of the same log rows", events,
            ">= 500,000 events/s and >= 0.4x the plain INSERT", players);

    if (const char* pg = std::getenv("PITBOSS_TEST_POSTGRES_URL"); pg && *pg) {
        std::vector<double> pg_ours, pg_copy;
        for (int run = 0; run < runs; ++run) {
            pg_ours.push_back(ingest_seconds(fresh_postgres(pg, run), stream));
            pg_copy.push_back(bench::postgres_copy_seconds(pg, stream.rows));
        }
        drop_postgres_schemas(pg, runs);
        compare("postgres_end_to_end", pg_ours, pg_copy, "raw COPY of the same log rows", events,
                ">= 0.7x the raw COPY", players);
    }

    // Peak memory at three sizes: doubling events must not double memory, doubling players may.
    const Stream twice_events = make_stream(dir / "stream2.jsonl", events * 2, players, false);
    const Stream twice_players = make_stream(dir / "stream3.jsonl", events, players * 2, false);
    const long base_kib = child_peak_kib(dir, stream);
    const long events_kib = child_peak_kib(dir, twice_events);
    const long players_kib = child_peak_kib(dir, twice_players);
    bench::report({{"bench", "ingest"},
                   {"case", "peak_memory"},
                   {"unit", "KiB"},
                   {"median", base_kib},
                   {"events", events},
                   {"players", players},
                   {"twice_the_events_kib", events_kib},
                   {"twice_the_players_kib", players_kib},
                   {"target", "grows with players, not with events"}});
    std::filesystem::remove_all(dir);
    return 0;
}
