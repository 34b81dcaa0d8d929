#include "pitboss/storage/migration.hpp"

#include <chrono>
#include <map>

namespace pitboss::storage {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module {{text}} NOT NULL,"
    " version {{bigint}} NOT NULL,"
    " description {{text}} NOT NULL,"
    " applied_at {{bigint}} NOT NULL,"
    " PRIMARY KEY (module, version))";

// Serialises concurrent migrators on PostgreSQL; any constant works, this one spells "pbmg".
constexpr std::int64_t kPostgresMigrationLock = 0x70626d67;

/// Checks that each module's migrations, in the order given, are numbered 1, 2, 3, ...
/// Returns the newest version of each module.
std::map<std::string, int> known_versions(std::span<const Migration> migrations) {
    std::map<std::string, int> newest;
    for (const Migration& migration : migrations) {
        int& last = newest[migration.module];
        if (migration.version != last + 1) {
            throw ValidationError("migrations", "module '" + migration.module + "': version " +
                                                    std::to_string(migration.version) +
                                                    " follows version " + std::to_string(last));
        }
        last = migration.version;
    }
    return newest;
}

bool table_exists(Transaction& tx) {
    const char* sql = tx.backend() == Backend::kSqlite
                          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            " AND name = 'schema_migrations'"
                          : "SELECT count(*) FROM pg_catalog.pg_tables"
                            " WHERE tablename = 'schema_migrations'"
                            " AND schemaname = current_schema()";
    return tx.query_single(sql).int64(0) > 0;
}

void create_table(Database& db) {
    // Two processes may race to create it; the loser's failure is harmless once it exists.
    try {
        db.run(TxMode::kWrite, [&](Transaction& tx) {
            if (!table_exists(tx)) tx.execute_script(db.translate_ddl(kCreateTable));
        });
    } catch (const Error&) {
        auto tx = db.begin(TxMode::kRead);
        if (!table_exists(tx)) throw;
    }
}

int recorded_version(Transaction& tx, const std::string& module) {
    return static_cast<int>(
        tx.query_single("SELECT coalesce(max(version), 0) FROM schema_migrations WHERE module = ?",
                        Params(module))
            .int64(0));
}

/// The wall-clock time of the bookkeeping row. Not a domain rule, so it does not go through the
/// injected Clock: it only records when an operator ran the upgrade.
std::int64_t now_millis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

/// Applies one migration unless already recorded; true when this call applied it.
bool apply_one(Database& db, const Migration& migration) {
    return db.run(TxMode::kWrite, [&](Transaction& tx) {
        if (tx.backend() == Backend::kPostgres) {
            tx.execute("SELECT pg_advisory_xact_lock(?)", Params(kPostgresMigrationLock));
        }
        if (recorded_version(tx, migration.module) >= migration.version) return false;
        tx.execute_script(db.translate_ddl(migration.sql));
        if (tx.backend() == Backend::kPostgres && !migration.postgres_only_sql.empty()) {
            tx.execute_script(db.translate_ddl(migration.postgres_only_sql));
        }
        if (tx.backend() == Backend::kSqlite && !migration.sqlite_only_sql.empty()) {
            tx.execute_script(db.translate_ddl(migration.sqlite_only_sql));
        }
        tx.execute(
            "INSERT INTO schema_migrations (module, version, description, applied_at)"
            " VALUES (?, ?, ?, ?)",
            Params(migration.module, migration.version, migration.description, now_millis()));
        return true;
    });
}

void refuse_newer(Database& db, const std::map<std::string, int>& known) {
    for (const auto& [module, version] : schema_versions(db)) {
        auto it = known.find(module);
        if (it != known.end() && version > it->second) {
            throw IntegrityError("schema of module '" + module + "' is at version " +
                                 std::to_string(version) + ", newer than version " +
                                 std::to_string(it->second) + " known to this build");
        }
    }
}

}  // namespace

int apply_migrations(Database& db, std::span<const Migration> migrations) {
    const std::map<std::string, int> known = known_versions(migrations);
    create_table(db);
    refuse_newer(db, known);
    int applied = 0;
    for (const Migration& migration : migrations) {
        try {
            if (apply_one(db, migration)) ++applied;
        } catch (const Error&) {
            // A concurrent migrator may have won the race (its DDL or its schema_migrations row
            // collided with ours): fine if the version is now recorded, a real failure if not.
            auto tx = db.begin(TxMode::kRead);
            if (recorded_version(tx, migration.module) < migration.version) throw;
        }
    }
    return applied;
}

std::vector<std::pair<std::string, int>> schema_versions(Database& db) {
    auto tx = db.begin(TxMode::kRead);
    std::vector<std::pair<std::string, int>> versions;
    if (!table_exists(tx)) return versions;
    for (const Row& row : tx.query("SELECT module, max(version) FROM schema_migrations"
                                   " GROUP BY module ORDER BY module")) {
        versions.emplace_back(row.text(0), static_cast<int>(row.int64(1)));
    }
    return versions;
}

}  // namespace pitboss::storage
