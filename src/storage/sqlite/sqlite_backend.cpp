#include "storage/sqlite/sqlite_backend.hpp"

#include "storage/sqlite/sqlite_connection.hpp"

namespace pitboss::storage::sqlite {
namespace {

constexpr std::string_view kMemory = "sqlite::memory:";
constexpr std::string_view kPrefix = "sqlite://";

detail::BackendPlan plan(std::string_view url, const DatabaseOptions& options) {
    Target target = parse_url(url);
    detail::BackendPlan result{Backend::kSqlite, std::string(url), {}};
    if (target.in_memory) {
        // One handle, shared by every connection object the pool ever makes: all transactions
        // see the same data, and a discarded connection does not lose the database.
        auto session = std::make_shared<Session>("", true, options.busy_timeout);
        result.factory = [session]() -> std::unique_ptr<Connection> {
            session->rollback_quietly();
            return std::make_unique<SqliteConnection>(session);
        };
        result.max_connections = 1;
    } else {
        result.factory = [path = std::move(target.path),
                          timeout = options.busy_timeout]() -> std::unique_ptr<Connection> {
            return std::make_unique<SqliteConnection>(
                std::make_shared<Session>(path, false, timeout));
        };
    }
    return result;
}

}  // namespace

Target parse_url(std::string_view url) {
    if (url == kMemory) return Target{"", true};
    if (url.substr(0, kPrefix.size()) != kPrefix) {
        throw ValidationError("url",
                              "a sqlite URL is sqlite:///absolute/path, "
                              "sqlite://relative/path or sqlite::memory:");
    }
    std::string_view path = url.substr(kPrefix.size());
    if (path.empty() || path == "/") throw ValidationError("url", "the sqlite URL has no path");
    if (path.find('?') != std::string_view::npos) {
        throw ValidationError("url", "sqlite URLs take no query parameters");
    }
    return Target{std::string(path), false};
}

detail::BackendEntry backend_entry() { return detail::BackendEntry{{"sqlite"}, plan}; }

}  // namespace pitboss::storage::sqlite
