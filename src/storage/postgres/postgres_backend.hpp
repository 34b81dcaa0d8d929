#pragma once
// The PostgreSQL backend's entry in the registry.

#include <string>
#include <string_view>

#include "storage/backend_registry.hpp"

namespace pitboss::storage::postgres {

/// The registry entry for the `postgresql` and `postgres` schemes.
[[nodiscard]] detail::BackendEntry backend_entry();

}  // namespace pitboss::storage::postgres
