#pragma once
/// @file
/// Versioned schema migrations: one schema for every backend, written with portable DDL tokens.

#include <span>
#include <string>
#include <vector>

#include "pitboss/storage/database.hpp"

namespace pitboss::storage {

/// One step of one module's schema. Versions of a module start at 1 and never change once
/// released; a new need is a new version.
struct Migration {
    std::string module;       ///< owning module, e.g. "players"
    int version;              ///< 1, 2, 3 ... within the module
    std::string description;  ///< one line, recorded in schema_migrations
    std::string sql;          ///< `;`-separated DDL with tokens (see Database::translate_ddl)
    /// Backend-specific extra statements (e.g. PostgreSQL triggers); run after `sql`.
    std::string postgres_only_sql = {};
    /// SQLite-only extra statements (e.g. FTS5 virtual tables and their triggers); run after
    /// `sql`.
    std::string sqlite_only_sql = {};
};

/// Applies, each in its own transaction, every migration not yet recorded in
/// `schema_migrations`; returns how many ran. Refuses (IntegrityError) a database whose
/// recorded version of a module is newer than this build knows.
int apply_migrations(Database& db, std::span<const Migration> migrations);

/// The recorded version of each module (module, version), for `pitboss init` to report.
[[nodiscard]] std::vector<std::pair<std::string, int>> schema_versions(Database& db);

}  // namespace pitboss::storage
