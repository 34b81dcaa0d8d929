#include "storage/backend_registry.hpp"

#include <algorithm>

#include "storage/sqlite/sqlite_backend.hpp"
#ifdef PITBOSS_WITH_POSTGRES
#include "storage/postgres/postgres_backend.hpp"
#endif

namespace pitboss::storage::detail {
namespace {

std::vector<BackendEntry> builtin_backends() {
    std::vector<BackendEntry> entries;
    entries.push_back(sqlite::backend_entry());
#ifdef PITBOSS_WITH_POSTGRES
    entries.push_back(postgres::backend_entry());
#endif
    return entries;
}

bool is_scheme_char(char c, bool first) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (first) return alpha;
    return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

std::string supported_schemes() {
    std::string list;
    for (const auto& entry : backend_registry()) {
        for (const auto& scheme : entry.schemes) list += (list.empty() ? "" : ", ") + scheme;
    }
    return list;
}

}  // namespace

const std::vector<BackendEntry>& backend_registry() {
    static const std::vector<BackendEntry> entries = builtin_backends();
    return entries;
}

std::string_view url_scheme(std::string_view url) {
    const auto colon = url.find(':');
    bool valid = colon != std::string_view::npos && colon > 0;
    for (std::size_t i = 0; valid && i < colon; ++i) valid = is_scheme_char(url[i], i == 0);
    if (!valid) {
        throw ValidationError("url", "no scheme; expected one of: " + supported_schemes());
    }
    return url.substr(0, colon);
}

const BackendEntry& backend_for(std::string_view url) {
    const std::string_view scheme = url_scheme(url);
    for (const auto& entry : backend_registry()) {
        if (std::find(entry.schemes.begin(), entry.schemes.end(), scheme) != entry.schemes.end()) {
            return entry;
        }
    }
    throw ValidationError("url", "unsupported scheme '" + std::string(scheme) +
                                     "'; this build supports: " + supported_schemes());
}

}  // namespace pitboss::storage::detail
