#pragma once
// The explicit registry that Database::open dispatches URLs through. Built-in backends are
// added once, by name, on first use; nothing registers itself from a static initialiser.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/storage/database.hpp"

namespace pitboss::storage::detail {

/// Makes one new connection of an opened database.
using ConnectionFactory = std::function<std::unique_ptr<Connection>()>;

/// What a backend makes of a URL: how to connect, and how to describe it safely.
struct BackendPlan {
    Backend backend;
    std::string redacted_url;
    ConnectionFactory factory;
    /// A cap the backend imposes on the pool (an in-memory SQLite database has one connection).
    std::optional<std::size_t> max_connections = std::nullopt;
};

/// A backend: the URL schemes it serves and how it plans an open. `plan` throws
/// ValidationError("url", ...) for a URL it cannot use.
struct BackendEntry {
    std::vector<std::string> schemes;
    std::function<BackendPlan(std::string_view url, const DatabaseOptions& options)> plan;
};

/// The built-in backends of this build.
[[nodiscard]] const std::vector<BackendEntry>& backend_registry();

/// The scheme of a URL ("sqlite", "postgresql"); ValidationError("url") when it has none.
[[nodiscard]] std::string_view url_scheme(std::string_view url);

/// The entry serving `url`'s scheme; ValidationError("url") naming the scheme when none does.
[[nodiscard]] const BackendEntry& backend_for(std::string_view url);

}  // namespace pitboss::storage::detail
