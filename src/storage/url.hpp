#pragma once
// URL helpers shared by the backends.

#include <string>
#include <string_view>

namespace pitboss::storage::detail {

/// The URL without its password: `user:secret@host` becomes `user@host`, and a `password=`
/// query parameter is dropped. Safe to log.
[[nodiscard]] std::string redact_url(std::string_view url);

}  // namespace pitboss::storage::detail
