// session_bench: session-token validation (Identity::actor_from_token) on an SQLite file, with
// the in-process validation cache (the default: entries trusted for 5 s, last use written back
// at most once a minute) against the same Identity with the cache off (one read transaction
// per validation: the session row by token hash, then its operator), measured in the same run.
// Also the cost of one Argon2id hash with the default parameters (the ~50 ms target).
//
// 256 sessions are opened first; validations walk their tokens in a shuffled order. Timing: 64
// consecutive validations timed together, divided by 64; the median of these samples per run,
// then the median over runs. The system clock drives the sessions, so cache refreshes (every
// 5 s) and write-backs (every 60 s) happen as they would in service.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/identity.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/backoffice.hpp"

namespace {

using namespace pitboss;
using access::Identity;
using access::IdentityOptions;
using Steady = std::chrono::steady_clock;

constexpr int kRuns = 7;
constexpr std::size_t kSessions = 256;
constexpr std::size_t kBatch = 64;
constexpr std::size_t kCachedValidations = 64 * 1024;
constexpr std::size_t kUncachedValidations = 4 * 1024;
constexpr int kArgonHashes = 15;
constexpr const char* kPassword = "correct horse battery staple";

struct Timing {
    double median = 0;
    double p99 = 0;
    std::vector<double> run_medians;
};

Timing time_validations(Identity& identity, const std::vector<std::string>& tokens,
                        std::size_t count, std::size_t& sink) {
    Timing t;
    std::vector<double> all;
    for (int run = 0; run < kRuns; ++run) {
        std::vector<double> samples;
        std::size_t next = 0;
        for (std::size_t done = 0; done < count; done += kBatch) {
            const auto start = Steady::now();
            for (std::size_t i = 0; i < kBatch; ++i) {
                sink += identity.actor_from_token(tokens[next]).name().size();
                next = next + 1 == tokens.size() ? 0 : next + 1;
            }
            const double ns =
                std::chrono::duration<double, std::nano>(Steady::now() - start).count();
            samples.push_back(ns / static_cast<double>(kBatch));
        }
        t.run_medians.push_back(bench::median(samples));
        all.insert(all.end(), samples.begin(), samples.end());
    }
    t.median = bench::median(t.run_medians);
    t.p99 = bench::percentile(all, 99);
    return t;
}

}  // namespace

int main() {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("pitboss-session-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::size_t sink = 0;
    {
        Backoffice bo = open("sqlite://" + (dir / "bench.db").string());
        const Actor admin = bo.access().system_actor("bootstrap");
        const auto op = bo.access().create_operator(admin, {"bench.agent", "Bench agent"});
        bo.access().assign_role(admin, op.id, "support_agent");

        IdentityOptions cached_options;
        cached_options.argon2 = {1, 64, 1};  // sign-in cost is not measured here
        cached_options.source_lockout.max_failures = 1'000'000;
        IdentityOptions uncached_options = cached_options;
        uncached_options.sessions.cache_ttl = std::chrono::seconds(0);
        Identity cached(bo.database(), bo.clock(), bo.access(), bo.audit(), cached_options);
        Identity uncached(bo.database(), bo.clock(), bo.access(), bo.audit(), uncached_options);

        cached.set_password(admin, op.id, kPassword);
        std::vector<std::string> tokens;
        for (std::size_t i = 0; i < kSessions; ++i) {
            tokens.push_back(
                cached.login({"bench.agent", kPassword, "10.9.0.1", std::nullopt, std::nullopt})
                    .token);
        }
        std::shuffle(tokens.begin(), tokens.end(), std::mt19937_64(42));

        const Timing base = time_validations(uncached, tokens, kUncachedValidations, sink);
        const Timing with_cache = time_validations(cached, tokens, kCachedValidations, sink);
        bench::report({{"bench", "session"},
                       {"case", "validate_cached_sqlite"},
                       {"unit", "ns/validation"},
                       {"median", with_cache.median},
                       {"p99", with_cache.p99},
                       {"runs", with_cache.run_medians},
                       {"sessions", kSessions},
                       {"baseline", "uncached: one read transaction per validation"},
                       {"baseline_median", base.median},
                       {"baseline_p99", base.p99},
                       {"baseline_runs", base.run_medians},
                       {"ratio", with_cache.median > 0 ? base.median / with_cache.median : 0.0},
                       {"target", "median <= 2000 ns"}});
    }
    std::filesystem::remove_all(dir);

    std::vector<double> ms;
    for (int i = 0; i < kArgonHashes; ++i) {
        ms.push_back(1000.0 * bench::seconds([&] {
                         sink += access::hash_password(kPassword, access::Argon2Params{}).size();
                     }));
    }
    const access::Argon2Params params;
    bench::report({{"bench", "session"},
                   {"case", "argon2id_hash_default_params"},
                   {"unit", "ms/hash"},
                   {"median", bench::median(ms)},
                   {"min", *std::min_element(ms.begin(), ms.end())},
                   {"runs", kArgonHashes},
                   {"params",
                    {{"m_cost_kib", params.m_cost_kib},
                     {"t_cost", params.t_cost},
                     {"parallelism", params.parallelism}}},
                   {"target", "~50 ms"}});
    std::printf("(sink %zu)\n", sink);
    return 0;
}
