#pragma once
// The SQLite backend's entry in the registry, and its URL parsing (exposed for unit tests).

#include <string>
#include <string_view>

#include "storage/backend_registry.hpp"

namespace pitboss::storage::sqlite {

/// Where a SQLite URL points.
struct Target {
    std::string path;  ///< file path as given (absolute or relative); empty when in memory
    bool in_memory = false;
};

/// Parses `sqlite:///abs/path`, `sqlite://rel/path`, `sqlite::memory:`; ValidationError("url").
[[nodiscard]] Target parse_url(std::string_view url);

/// The registry entry for the `sqlite` scheme.
[[nodiscard]] detail::BackendEntry backend_entry();

}  // namespace pitboss::storage::sqlite
