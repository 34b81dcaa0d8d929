// Segment snapshot: building the columnar PlayerTable of every player from the database
// (profiles + aggregates + churn score) through SegmentService, against the bare reads it
// is made of (a cursor over the profile columns plus Ingestor::aggregates_of for everyone);
// bytes per player; and the incremental path (one player's rows and membership in 100 dynamic
// segments after an event).
//
//   segment_snapshot_bench [players]      (default 1,000,000; a fresh SQLite file in /tmp)

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "pitboss/pitboss.hpp"

using namespace pitboss;
using namespace std::chrono;

namespace {

constexpr int kRuns = 5;
constexpr int kSegments = 100;
constexpr int kIncrementalRuns = 200;

std::string registration(std::int64_t i, Timestamp at) {
    static const char* kCountries[] = {"DE", "AT", "MT", "FI", "SE", "NO", "CA", "NZ"};
    return R"({"event_id":"r)" + std::to_string(i) + R"(","type":"registration","player_id":"p)" +
           std::to_string(i) + R"(","occurred_at":")" + format_timestamp(at) + R"(","country":")" +
           kCountries[i % 8] +
           R"(","birth_date":"1985-03-04","currency":"EUR","consents":{"email":true}})";
}

std::string login(std::int64_t i, Timestamp at) {
    return R"({"event_id":"l)" + std::to_string(i) + R"(","type":"login","player_id":"p)" +
           std::to_string(i) + R"(","occurred_at":")" + format_timestamp(at) +
           R"(","session_id":"s)" + std::to_string(i) + R"("})";
}

std::string deposit(std::int64_t i, Timestamp at) {
    return R"({"event_id":"d)" + std::to_string(i) + R"(","type":"deposit","player_id":"p)" +
           std::to_string(i) + R"(","occurred_at":")" + format_timestamp(at) +
           R"(","transaction_id":"t)" + std::to_string(i) + R"(","amount":")" +
           std::to_string(10 + i % 490) + R"(.00","currency":"EUR","status":"approved"})";
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t players = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    const auto dir = std::filesystem::temp_directory_path() / "pitboss-segment-snapshot-bench";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const Timestamp now = parse_timestamp("2026-06-01T00:00:00Z");
    auto clock = std::make_shared<ManualClock>(now);
    Options options;
    options.clock = clock;
    Backoffice bo = open("sqlite://" + (dir / "bench.db").string(), options);
    const Actor admin = bo.access().system_actor("bootstrap");

    // Registrations, then a login for every player and a deposit for two thirds of them.
    constexpr std::int64_t kChunk = 100'000;
    for (std::int64_t start = 0; start < players; start += kChunk) {
        std::string text;
        const std::int64_t end = std::min(players, start + kChunk);
        for (std::int64_t i = start; i < end; ++i) {
            text += registration(i, now - days(200) + seconds(i % 86'400)) + '\n';
        }
        for (std::int64_t i = start; i < end; ++i) {
            text += login(i, now - hours(1 + i % (24 * 60))) + '\n';
            if (i % 3 != 0) text += deposit(i, now - hours(2 + i % (24 * 80))) + '\n';
        }
        (void)bo.events().ingest_jsonl(admin, text);
    }

    // Baseline: the reads a snapshot is made of, without building anything.
    std::vector<double> baseline_runs;
    for (int run = 0; run < kRuns; ++run) {
        baseline_runs.push_back(bench::seconds([&] {
            std::int64_t checksum = 0;
            bo.database().run(storage::TxMode::kRead, [&](storage::Transaction& tx) {
                tx.for_each(
                    "SELECT id, external_id, country, language, currency, traffic_source, "
                    "affiliate_id, status, birth_date, registered_at, consent_email, consent_sms, "
                    "consent_push, consent_messenger, version FROM players ORDER BY id",
                    {}, [&](const storage::Cursor& c) { checksum += c.int64(0); });
            });
            const auto all = bo.events().aggregates_of(admin, {}, now);
            checksum += static_cast<std::int64_t>(all.size());
            if (checksum == 0) std::abort();
        }));
    }
    std::vector<double> runs;
    segments::SnapshotStats stats;
    for (int run = 0; run < kRuns; ++run) {
        runs.push_back(bench::seconds([&] { stats = bo.segments().rebuild_snapshot(admin); }));
    }
    const double median = bench::median(runs);
    const double baseline = bench::median(baseline_runs);
    bench::report({{"bench", "segment_snapshot"},
                   {"case", "build"},
                   {"players", players},
                   {"unit", "s"},
                   {"median", median},
                   {"runs", runs},
                   {"players_per_s", static_cast<double>(players) / median},
                   {"baseline", "cursor over the profile columns + Ingestor::aggregates_of(all)"},
                   {"baseline_median", baseline},
                   {"baseline_runs", baseline_runs},
                   {"ratio", median / baseline},
                   {"target", "1,000,000 players <= 2 s (issue 4)"}});
    bench::report(
        {{"bench", "segment_snapshot"},
         {"case", "bytes_per_player"},
         {"players", players},
         {"unit", "bytes"},
         {"median", static_cast<double>(stats.memory_bytes) / static_cast<double>(players)},
         {"runs", {static_cast<double>(stats.memory_bytes)}},
         {"target", "reported (PlayerTable::memory_bytes / players)"}});

    // Incremental: 100 dynamic segments (few members each), then one player's update.
    for (int s = 0; s < kSegments; ++s) {
        bo.segments().create(admin,
                             segments::NewSegment::dynamic(
                                 "seg-" + std::to_string(s),
                                 "deposit_sum_30d >= " + std::to_string(480 + s % 10) +
                                     " and days_since_last_login <= " + std::to_string(1 + s % 30) +
                                     " and country in (\"DE\", \"AT\") and churn_risk < 0.9"));
    }
    std::vector<double> incremental;
    std::vector<double> floor_runs;
    for (int run = 0; run < kIncrementalRuns; ++run) {
        const std::vector<PlayerId> one{PlayerId(1 + (run * 7919) % players)};
        incremental.push_back(bench::seconds([&] { bo.segments().update_players(one); }) * 1e6);
        // Floor: the same player's aggregates alone (one read transaction).
        floor_runs.push_back(
            bench::seconds([&] { (void)bo.events().aggregates_of(admin, one, now); }) * 1e6);
    }
    bench::report({{"bench", "segment_snapshot"},
                   {"case", "incremental_one_player_100_segments"},
                   {"players", players},
                   {"unit", "us"},
                   {"median", bench::median(incremental)},
                   {"p99", bench::percentile(incremental, 99)},
                   {"baseline", "Ingestor::aggregates_of(one player)"},
                   {"baseline_median", bench::median(floor_runs)},
                   {"ratio", bench::median(incremental) / bench::median(floor_runs)},
                   {"target", "<= 2 us per event for 100 segments (issue 4: evaluation only)"}});
    std::filesystem::remove_all(dir);
    return 0;
}
