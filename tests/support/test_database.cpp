#include "support/test_database.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <vector>

namespace pitboss::testing {
namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

std::string random_suffix() {
    static std::mutex mutex;
    static std::mt19937_64 random{std::random_device{}()};
    std::lock_guard lock(mutex);
    constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
    std::string suffix;
    for (int i = 0; i < 12; ++i) suffix += kAlphabet[pick(random)];
    return suffix;
}

/// What the fixtures created, removed when the test program exits.
class Leftovers {
public:
    ~Leftovers() {
        for (const auto& dir : directories_) {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
        for (const auto& schema : schemas_) drop_schema(schema);
    }
    void add_directory(std::filesystem::path dir) {
        std::lock_guard lock(mutex_);
        directories_.push_back(std::move(dir));
    }
    void add_schema(std::string schema) {
        std::lock_guard lock(mutex_);
        schemas_.push_back(std::move(schema));
    }

private:
    static void drop_schema(const std::string& schema) {
        try {
            auto db = storage::Database::open(env("PITBOSS_TEST_POSTGRES_URL"));
            db->run(storage::TxMode::kWrite, [&](storage::Transaction& tx) {
                tx.execute_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            });
        } catch (const std::exception& e) {
            std::cerr << "note: could not drop test schema " << schema << ": " << e.what() << "\n";
        }
    }

    std::mutex mutex_;
    std::vector<std::filesystem::path> directories_;
    std::vector<std::string> schemas_;
};

Leftovers& leftovers() {
    static Leftovers instance;
    return instance;
}

std::string fresh_sqlite_url() {
    const auto dir = std::filesystem::temp_directory_path() / ("pitboss-test-" + random_suffix());
    std::filesystem::create_directories(dir);
    leftovers().add_directory(dir);
    return "sqlite://" + (dir / "test.db").string();
}

std::string postgres_base_url() {
    std::string url = env("PITBOSS_TEST_POSTGRES_URL");
    if (!url.empty()) return url;
    if (env("PITBOSS_REQUIRE_POSTGRES") == "1") {
        throw std::runtime_error(
            "PITBOSS_REQUIRE_POSTGRES=1 but PITBOSS_TEST_POSTGRES_URL is not set; run "
            "eval \"$(scripts/postgres.sh start)\"");
    }
    std::cerr << "PITBOSS_TEST_POSTGRES_URL is not set: skipping the PostgreSQL suite\n";
    std::exit(77);
}

std::string fresh_postgres_url() {
    const std::string base = postgres_base_url();
    const std::string schema = "t_" + random_suffix();
    auto db = storage::Database::open(base);
    db->run(storage::TxMode::kWrite,
            [&](storage::Transaction& tx) { tx.execute_script("CREATE SCHEMA " + schema); });
    leftovers().add_schema(schema);
    const char separator = base.find('?') == std::string::npos ? '?' : '&';
    return base + separator + "options=-csearch_path%3D" + schema;
}

}  // namespace

storage::Backend backend_under_test() {
    const std::string name = env("PITBOSS_TEST_BACKEND");
    if (name.empty() || name == "sqlite") return storage::Backend::kSqlite;
    if (name == "postgres" || name == "postgresql") return storage::Backend::kPostgres;
    throw std::runtime_error("PITBOSS_TEST_BACKEND must be sqlite or postgres, not " + name);
}

std::string fresh_database_url() {
    return backend_under_test() == storage::Backend::kSqlite ? fresh_sqlite_url()
                                                             : fresh_postgres_url();
}

}  // namespace pitboss::testing
