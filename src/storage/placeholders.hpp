#pragma once
// Rewrites portable `?` placeholders into PostgreSQL's `$1, $2, ...`. Private to storage; a free
// function so the unit tests can reach it without a server.

#include <string>
#include <string_view>

namespace pitboss::storage::detail {

/// The statement with every `?` outside string literals, quoted identifiers, dollar-quoted
/// bodies and comments replaced by `$n`, numbered from 1 in order of appearance.
[[nodiscard]] std::string rewrite_placeholders(std::string_view sql);

}  // namespace pitboss::storage::detail
