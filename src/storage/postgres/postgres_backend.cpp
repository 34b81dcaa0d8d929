#include "storage/postgres/postgres_backend.hpp"

#include <libpq-fe.h>

#include "storage/postgres/pg_connection.hpp"
#include "storage/url.hpp"

namespace pitboss::storage::postgres {
namespace {

/// libpq checks the port only when it connects; a typo there is bad input, not an outage.
bool valid_port(const PQconninfoOption* options) {
    for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
        if (std::string_view(option->keyword) != "port" || option->val == nullptr) continue;
        for (const char* c = option->val; *c != '\0'; ++c) {
            if ((*c < '0' || *c > '9') && *c != ',') return false;
        }
    }
    return true;
}

/// Lets libpq judge the URL's syntax before any connection is attempted.
void check_syntax(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (options != nullptr) {
        const bool port_ok = valid_port(options);
        PQconninfoFree(options);
        if (!port_ok) throw ValidationError("url", "the port of a postgresql URL is a number");
        return;
    }
    std::string reason = error != nullptr ? error : "malformed";
    PQfreemem(error);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    // libpq may quote the offending part, which could be the password.
    if (detail::redact_url(url) != url) reason = "libpq cannot parse it";
    throw ValidationError("url", "invalid postgresql URL: " + reason);
}

detail::BackendPlan plan(std::string_view url, const DatabaseOptions&) {
    std::string conninfo(url);
    check_syntax(conninfo);
    std::string redacted = detail::redact_url(url);
    detail::BackendPlan result{Backend::kPostgres, redacted, {}};
    result.factory = [conninfo = std::move(conninfo),
                      redacted = std::move(redacted)]() -> std::unique_ptr<Connection> {
        return std::make_unique<PgConnection>(conninfo, redacted);
    };
    return result;
}

}  // namespace

detail::BackendEntry backend_entry() {
    return detail::BackendEntry{{"postgresql", "postgres"}, plan};
}

}  // namespace pitboss::storage::postgres
