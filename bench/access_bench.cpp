// access_bench: the permission check (RBAC plus one ABAC condition, varied requests, no result
// cache) against policies of 1,000 / 10,000 / 100,000 grants, and the time to load 100,000
// grants from an SQLite file.
//
// A "grant" here is one operator_roles row (an operator holding a role under a scope
// condition); operators hold two roles each, roles hold the seeded permissions plus custom
// ones, and the operator role's payments.adjust carries {"amount_minor": {"le": 100000}}.
//
// Timing, two ways (steady_clock costs ~20 ns a call here, so a single check cannot be timed
// naively):
//  - batch: 64 consecutive checks timed together, divided by 64; the median of these samples
//    is the per-check cost with the timer's cost amortised away.
//  - single: each check timed alone, minus the median cost of an empty timed interval; this
//    keeps the tail (p99) of individual checks that batching would average out.
// The request mix (operators, permissions, attribute values, about half denied) is generated
// before timing and walked in order, so no result can be cached by the CPU's branch history.
//
// Baselines in the same run: a straightforward policy in std::map<std::string, ...> (string
// keys, nested maps), and a SQL query per check on the same SQLite file.
//
// Publication of the policy is measured too: a check through std::atomic<std::shared_ptr>
// (what AccessControl uses) against a shared_ptr copied under a mutex, alone and with a second
// thread checking concurrently.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "access/policy.hpp"
#include "bench_util.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/storage/migration.hpp"
#include "pitboss/transport/outbox.hpp"

namespace {

using namespace pitboss;
using access::AccessControl;
using access::Condition;
using storage::Database;
using storage::Params;
using storage::Transaction;
using storage::TxMode;
using Clock = std::chrono::steady_clock;

constexpr int kRuns = 7;
constexpr std::size_t kRequests = 8192;
constexpr std::size_t kBatch = 64;
constexpr const char* kTarget = "median <= 300 ns, p99 <= 2000 ns, flat within 1.5x 1k..100k";

const std::vector<std::string> kCountries = {"DE", "AT", "CH", "FR", "IT", "ES",
                                             "NL", "BE", "PL", "SE", "FI", "MT"};
const std::vector<std::string> kBrands = {"b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7"};

/// Lets the audit log be built before the AccessControl it asks.
class LateAuthorizer final : public Authorizer {
public:
    void bind(const Authorizer& target) { target_ = &target; }
    void require(const Actor& actor, std::string_view permission,
                 const Attributes& resource) const override {
        target_->require(actor, permission, resource);
    }

private:
    const Authorizer* target_ = nullptr;
};

struct Request {
    Actor actor;
    std::string permission;
    Attributes resource;
};

/// A scope: none, half of the countries, or half of the brands.
std::optional<std::string> random_scope(std::mt19937_64& rng) {
    const auto pick_half = [&](const std::vector<std::string>& from) {
        std::vector<std::string> chosen = from;
        std::shuffle(chosen.begin(), chosen.end(), rng);
        std::string list;
        for (std::size_t i = 0; i < from.size() / 2; ++i)
            list += (i ? ", \"" : "\"") + chosen[i] + "\"";
        return list;
    };
    switch (rng() % 3) {
        case 0:
            return std::nullopt;
        case 1:
            return R"({"country": {"in": [)" + pick_half(kCountries) + "]}}";
        default:
            return R"({"brand": {"in": [)" + pick_half(kBrands) + "]}}";
    }
}

/// An SQLite file whose access tables hold `grants` role assignments.
struct BenchDatabase {
    std::filesystem::path dir;
    std::unique_ptr<Database> db;
    std::int64_t operators = 0;

    BenchDatabase(std::size_t grants, std::mt19937_64& rng) {
        dir = std::filesystem::temp_directory_path() /
              ("pitboss-access-bench-" + std::to_string(grants) + "-" + std::to_string(rng()));
        std::filesystem::remove_all(dir);  // left over by an interrupted run
        std::filesystem::create_directories(dir);
        db = Database::open("sqlite://" + (dir / "bench.db").string());
        std::vector<storage::Migration> all = audit::AuditLog::migrations();
        for (auto& m : transport::Outbox::migrations()) all.push_back(std::move(m));
        for (auto& m : AccessControl::migrations()) all.push_back(std::move(m));
        storage::apply_migrations(*db, all);
        fill(grants, rng);
    }
    ~BenchDatabase() {
        db.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }

    void fill(std::size_t grants, std::mt19937_64& rng) {
        // 64 scopes shared by everyone, as a real back office has a handful of desks.
        std::vector<std::optional<std::string>> scopes;
        for (int i = 0; i < 64; ++i) scopes.push_back(random_scope(rng));
        // Every operator holds a seeded role (all grant players.read) and one more.
        const std::vector<std::string> seeded = {"support_agent", "operator", "marketer", "analyst",
                                                 "compliance_officer"};
        std::vector<std::string> roles = seeded;
        db->run(TxMode::kWrite, [&](Transaction& tx) {
            for (int i = 0; i < 20; ++i) {
                const std::string role = "desk_" + std::to_string(i);
                tx.execute("INSERT INTO roles (name, description) VALUES (?, '')", Params(role));
                for (std::size_t p = 0; p < access::permission::kAll.size(); ++p) {
                    if (rng() % 3 != 0) continue;
                    tx.execute("INSERT INTO role_permissions (role, permission) VALUES (?, ?)",
                               Params(role, access::permission::kAll[p]));
                }
                roles.push_back(role);
            }
            operators = static_cast<std::int64_t>(grants / 2);
            for (std::int64_t i = 0; i < operators; ++i) {
                const auto id = tx.query_single(
                                      "INSERT INTO operators (name, display_name, kind, status,"
                                      " created_at) VALUES (?, 'x', 'operator', 'active', 0)"
                                      " RETURNING id",
                                      Params("op" + std::to_string(i)))
                                    .int64(0);
                const std::string& first = seeded[rng() % seeded.size()];
                std::string second = first;
                while (second == first) second = roles[rng() % roles.size()];
                for (const std::string& role : {first, second}) {
                    tx.execute(
                        "INSERT INTO operator_roles (operator_id, role, scope_json)"
                        " VALUES (?, ?, ?)",
                        Params(id, role, scopes[rng() % scopes.size()]));
                }
            }
        });
    }
};

/// The service stack over a bench database.
struct Service {
    ManualClock clock{from_unix_millis(0)};
    LateAuthorizer authorizer;
    audit::AuditLog audit;
    AccessControl access;
    explicit Service(Database& db) : audit(db, clock, authorizer), access(db, clock, audit) {
        authorizer.bind(access);
    }
};

// One actor per request, drawn over every operator (ids 2.. are the bench operators, 1 is
// bootstrap), minted through the public API. Afterwards 1 in 50 operators is disabled and 1 in
// 97 removed, so the mix also hits disabled and unknown operators.
std::vector<Request> make_requests(Service& service, Database& db, std::int64_t operators,
                                   std::mt19937_64& rng) {
    std::vector<Request> requests;
    requests.reserve(kRequests);
    for (std::size_t i = 0; i < kRequests; ++i) {
        const auto id = OperatorId(
            2 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(operators)));
        Attributes resource;
        resource.set("country", kCountries[rng() % kCountries.size()]);
        resource.set("brand", kBrands[rng() % kBrands.size()]);
        resource.set("amount_minor", static_cast<std::int64_t>(rng() % 200001));
        // Half the checks are players.read, as in a back office; the rest spread over all.
        const auto permission =
            rng() % 2 == 0 ? access::permission::kPlayersRead
                           : access::permission::kAll[rng() % access::permission::kAll.size()];
        requests.push_back(
            {service.access.operator_actor(id), std::string(permission), std::move(resource)});
    }
    db.run(TxMode::kWrite, [&](Transaction& tx) {
        tx.execute("UPDATE operators SET status = 'disabled' WHERE id % 50 = 0");
        tx.execute("DELETE FROM operator_roles WHERE operator_id % 97 = 0");
        tx.execute("DELETE FROM operators WHERE id % 97 = 0");
    });
    service.access.reload();
    return requests;
}

double timer_overhead_ns() {
    std::vector<double> samples;
    for (int i = 0; i < 100000; ++i) {
        const auto t0 = Clock::now();
        const auto t1 = Clock::now();
        samples.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
    return pitboss::bench::median(samples);
}

struct Timing {
    double median = 0;
    double p99 = 0;
    std::vector<double> run_medians;
};

/// Batches of kBatch checks, each batch's time divided per check.
template <class F>
Timing time_batched(const std::vector<Request>& requests, F&& check, std::size_t& sink) {
    Timing t;
    std::vector<double> all;
    for (int run = 0; run < kRuns; ++run) {
        std::vector<double> samples;
        for (std::size_t i = 0; i + kBatch <= requests.size(); i += kBatch) {
            const auto t0 = Clock::now();
            for (std::size_t k = i; k < i + kBatch; ++k) sink += check(requests[k]) ? 1U : 0U;
            const auto t1 = Clock::now();
            samples.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() /
                              static_cast<double>(kBatch));
        }
        t.run_medians.push_back(pitboss::bench::median(samples));
        all.insert(all.end(), samples.begin(), samples.end());
    }
    t.median = pitboss::bench::median(t.run_medians);
    t.p99 = pitboss::bench::percentile(all, 99);
    return t;
}

/// Each check timed alone, minus the timer's own cost.
template <class F>
Timing time_single(const std::vector<Request>& requests, F&& check, std::size_t& sink,
                   double overhead) {
    Timing t;
    std::vector<double> all;
    for (int run = 0; run < kRuns; ++run) {
        std::vector<double> samples;
        samples.reserve(requests.size());
        for (const Request& r : requests) {
            const auto t0 = Clock::now();
            sink += check(r) ? 1U : 0U;
            const auto t1 = Clock::now();
            samples.push_back(std::max(
                0.0, std::chrono::duration<double, std::nano>(t1 - t0).count() - overhead));
        }
        t.run_medians.push_back(pitboss::bench::median(samples));
        all.insert(all.end(), samples.begin(), samples.end());
    }
    t.median = pitboss::bench::median(t.run_medians);
    t.p99 = pitboss::bench::percentile(all, 99);
    return t;
}

// --- baseline 1: the straightforward in-memory policy --------------------------------------

struct NaivePolicy {
    struct Op {
        bool active = false;
        std::vector<std::pair<std::string, Condition>> roles;
    };
    std::map<std::int64_t, Op> operators;
    std::map<std::string, std::map<std::string, Condition>> roles;

    explicit NaivePolicy(Database& db) {
        auto tx = db.begin(TxMode::kRead);
        for (const auto& row : tx.query("SELECT id, status FROM operators")) {
            operators[row.int64(0)].active = row.text(1) == "active";
        }
        for (const auto& row :
             tx.query("SELECT role, permission, condition_json FROM role_permissions")) {
            roles[row.text(0)][row.text(1)] =
                row.is_null(2) ? Condition() : Condition::parse(row.text(2));
        }
        for (const auto& row :
             tx.query("SELECT operator_id, role, scope_json FROM operator_roles")) {
            operators[row.int64(0)].roles.emplace_back(
                row.text(1), row.is_null(2) ? Condition() : Condition::parse(row.text(2)));
        }
    }

    bool allows(const Request& r) const {
        const auto op = operators.find(r.actor.id().value());
        if (op == operators.end() || !op->second.active) return false;
        for (const auto& [role, scope] : op->second.roles) {
            const auto grants = roles.find(role);
            if (grants == roles.end()) continue;
            const auto grant = grants->second.find(r.permission);
            if (grant == grants->second.end()) continue;
            if (grant->second.matches(r.resource) && scope.matches(r.resource)) return true;
        }
        return false;
    }
};

// --- baseline 2: one SQL query per check ---------------------------------------------------

bool sql_allows(Transaction& tx, const Request& r) {
    const auto rows = tx.query(
        "SELECT rp.condition_json, orl.scope_json FROM operator_roles orl"
        " JOIN operators o ON o.id = orl.operator_id AND o.status = 'active'"
        " JOIN role_permissions rp ON rp.role = orl.role AND rp.permission = ?"
        " WHERE orl.operator_id = ?",
        Params(r.permission, r.actor.id().value()));
    for (const auto& row : rows) {
        const Condition condition = row.is_null(0) ? Condition() : Condition::parse(row.text(0));
        const Condition scope = row.is_null(1) ? Condition() : Condition::parse(row.text(1));
        if (condition.matches(r.resource) && scope.matches(r.resource)) return true;
    }
    return false;
}

void report(const std::string& case_name, const std::string& unit, const Timing& t,
            const std::string& baseline, double baseline_median, nlohmann::json extra = {}) {
    nlohmann::json line = {{"bench", "access"},
                           {"case", case_name},
                           {"unit", unit},
                           {"median", t.median},
                           {"p99", t.p99},
                           {"runs", t.run_medians},
                           {"baseline", baseline},
                           {"baseline_median", baseline_median},
                           {"ratio", t.median > 0 ? baseline_median / t.median : 0.0},
                           {"target", kTarget}};
    for (auto& [k, v] : extra.items()) line[k] = v;
    pitboss::bench::report(line);
}

struct SizeResult {
    double check_median = 0;
    double single_median = 0;
};

SizeResult bench_size(std::size_t grants, double overhead, std::size_t& sink) {
    std::mt19937_64 rng(grants);
    BenchDatabase bdb(grants, rng);
    Service service(*bdb.db);
    const std::vector<Request> requests = make_requests(service, *bdb.db, bdb.operators, rng);
    std::size_t allowed = 0;
    for (const auto& r : requests)
        allowed += service.access.allowed(r.actor, r.permission, r.resource);

    const auto& access = service.access;
    const NaivePolicy naive(*bdb.db);
    const Timing naive_t = time_batched(
        requests, [&](const Request& r) { return naive.allows(r); }, sink);
    const Timing check_t = time_batched(
        requests,
        [&](const Request& r) { return access.check(r.actor, r.permission, r.resource).allowed; },
        sink);
    const Timing allowed_t = time_batched(
        requests,
        [&](const Request& r) { return access.allowed(r.actor, r.permission, r.resource); }, sink);
    const Timing single_t = time_single(
        requests,
        [&](const Request& r) { return access.check(r.actor, r.permission, r.resource).allowed; },
        sink, overhead);

    const std::string n = std::to_string(grants);
    const nlohmann::json shape = {
        {"grants", grants},
        {"operators", bdb.operators},
        {"requests", requests.size()},
        {"allowed_share", static_cast<double>(allowed) / static_cast<double>(requests.size())}};
    report("check_batched_" + n, "ns/check", check_t, "std::map<std::string> policy",
           naive_t.median, shape);
    report("allowed_batched_" + n, "ns/check", allowed_t, "std::map<std::string> policy",
           naive_t.median, shape);
    report("check_single_" + n, "ns/check", single_t, "std::map<std::string> policy (batched)",
           naive_t.median, {{"timer_overhead_ns", overhead}, {"grants", grants}});

    // Diagnosis: the same mix with its actors drawn from 512 operators only. When this is as
    // fast as the small policy, the cost of size is the one cache miss on the operator's entry.
    {
        std::vector<Request> hot;
        hot.reserve(requests.size());
        for (std::size_t i = 0; i < requests.size(); ++i) {
            hot.push_back({requests[i % 512].actor, requests[i].permission, requests[i].resource});
        }
        const Timing hot_t = time_batched(
            hot,
            [&](const Request& r) {
                return access.check(r.actor, r.permission, r.resource).allowed;
            },
            sink);
        report("check_batched_" + n + "_512_operators", "ns/check", hot_t,
               "AccessControl::check, all operators (batched)", check_t.median,
               {{"grants", grants}, {"note", "diagnostic: working set of 512 operators"}});
    }

    // SQL per check, on a slice of the mix (it is slow).
    {
        std::vector<Request> slice(requests.begin(), requests.begin() + 1024);
        Transaction tx = bdb.db->begin(TxMode::kRead);
        const Timing sql_t = time_batched(
            slice, [&](const Request& r) { return sql_allows(tx, r); }, sink);
        report("sql_per_check_" + n, "ns/check", sql_t, "AccessControl::check (batched)",
               check_t.median, {{"grants", grants}, {"note", "baseline is the subject here"}});
    }
    return {check_t.median, single_t.median};
}

/// Raw Policy, atomic<shared_ptr> snapshot, mutex-protected shared_ptr copy; 1 and 2 threads.
void bench_publication(std::size_t& sink) {
    std::mt19937_64 rng(7);
    BenchDatabase bdb(10000, rng);
    Service service(*bdb.db);
    const std::vector<Request> requests = make_requests(service, *bdb.db, bdb.operators, rng);
    access::PolicyBuilder builder;
    {
        // The same policy, built directly for this comparison.
        auto tx = bdb.db->begin(TxMode::kRead);
        for (const auto& row : tx.query("SELECT id, status FROM operators")) {
            builder.add_operator(OperatorId(row.int64(0)), row.text(1) == "active"
                                                               ? access::OperatorStatus::kActive
                                                               : access::OperatorStatus::kDisabled);
        }
        for (const auto& row : tx.query("SELECT name FROM roles")) builder.add_role(row.text(0));
        for (const auto& row :
             tx.query("SELECT role, permission, condition_json FROM role_permissions")) {
            builder.add_grant(row.text(0), row.text(1),
                              row.is_null(2) ? Condition() : Condition::parse(row.text(2)));
        }
        for (const auto& row :
             tx.query("SELECT operator_id, role, scope_json FROM operator_roles")) {
            builder.add_assignment(OperatorId(row.int64(0)), row.text(1),
                                   row.is_null(2) ? Condition() : Condition::parse(row.text(2)));
        }
    }
    const std::shared_ptr<const access::Policy> policy = builder.build();
    std::atomic<std::shared_ptr<const access::Policy>> atomic_policy(policy);
    std::mutex mutex;
    std::shared_ptr<const access::Policy> locked_policy = policy;

    auto raw = [&](const Request& r) {
        return policy->allows(r.actor.id(), r.permission, r.resource);
    };
    auto via_atomic = [&](const Request& r) {
        return atomic_policy.load(std::memory_order_acquire)
            ->allows(r.actor.id(), r.permission, r.resource);
    };
    auto via_mutex = [&](const Request& r) {
        std::shared_ptr<const access::Policy> p;
        {
            std::lock_guard lock(mutex);
            p = locked_policy;
        }
        return p->allows(r.actor.id(), r.permission, r.resource);
    };
    const Timing raw_t = time_batched(requests, raw, sink);
    const Timing atomic_t = time_batched(requests, via_atomic, sink);
    const Timing mutex_t = time_batched(requests, via_mutex, sink);
    report("publish_atomic_1thread", "ns/check", atomic_t, "mutex + shared_ptr copy",
           mutex_t.median, {{"raw_policy_median", raw_t.median}});

    // A second thread checks concurrently through the same publication.
    auto contended = [&](auto check) {
        std::atomic<bool> stop{false};
        std::size_t other_sink = 0;
        std::thread other([&] {
            std::size_t i = 0;
            while (!stop.load(std::memory_order_relaxed))
                other_sink += check(requests[i++ % requests.size()]);
        });
        const Timing t = time_batched(requests, check, sink);
        stop = true;
        other.join();
        sink += other_sink;
        return t;
    };
    const Timing atomic_2 = contended(via_atomic);
    const Timing mutex_2 = contended(via_mutex);
    const Timing raw_2 = contended(raw);
    report("publish_atomic_2threads", "ns/check", atomic_2, "mutex + shared_ptr copy, 2 threads",
           mutex_2.median, {{"raw_policy_median", raw_2.median}});
}

void bench_load(std::size_t& sink) {
    std::mt19937_64 rng(100000);
    BenchDatabase bdb(100000, rng);
    std::vector<double> construct_runs;
    std::vector<double> reload_runs;
    std::unique_ptr<Service> service;
    for (int run = 0; run < 5; ++run) {
        service.reset();
        construct_runs.push_back(
            pitboss::bench::seconds([&] { service = std::make_unique<Service>(*bdb.db); }));
        reload_runs.push_back(pitboss::bench::seconds([&] { service->access.reload(); }));
    }
    sink += service->access.allowed(service->access.system_actor("bootstrap"),
                                    access::permission::kAuditRead);
    // Baseline: reading the same rows without building anything.
    std::vector<double> scan_runs;
    for (int run = 0; run < 5; ++run) {
        scan_runs.push_back(pitboss::bench::seconds([&] {
            auto tx = bdb.db->begin(TxMode::kRead);
            tx.for_each("SELECT operator_id, role, scope_json FROM operator_roles", {},
                        [&](const storage::Cursor& row) {
                            sink += row.is_null(2) ? 0 : row.text(2).size();
                        });
        }));
    }
    Timing t;
    t.run_medians = construct_runs;
    t.median = pitboss::bench::median(construct_runs);
    t.p99 = *std::max_element(construct_runs.begin(), construct_runs.end());
    pitboss::bench::report({{"bench", "access"},
                            {"case", "load_100000_grants"},
                            {"unit", "s"},
                            {"median", t.median},
                            {"runs", construct_runs},
                            {"reload_median", pitboss::bench::median(reload_runs)},
                            {"baseline", "SELECT of the operator_roles rows alone"},
                            {"baseline_median", pitboss::bench::median(scan_runs)},
                            {"ratio", t.median / pitboss::bench::median(scan_runs)},
                            {"target", "<= 1 s"}});
}

}  // namespace

int main() {
    std::size_t sink = 0;
    const double overhead = timer_overhead_ns();
    std::map<std::size_t, SizeResult> results;
    for (std::size_t grants : {std::size_t{1000}, std::size_t{10000}, std::size_t{100000}}) {
        results[grants] = bench_size(grants, overhead, sink);
    }
    pitboss::bench::report(
        {{"bench", "access"},
         {"case", "flatness_100k_over_1k"},
         {"unit", "ratio"},
         {"median", results[100000].check_median / results[1000].check_median},
         {"single_ratio", results[100000].single_median / results[1000].single_median},
         {"target", "<= 1.5"}});
    bench_publication(sink);
    bench_load(sink);
    std::printf("(sink %zu)\n", sink);
    return 0;
}
