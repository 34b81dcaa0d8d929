#include "storage/url.hpp"

#include <algorithm>

namespace pitboss::storage::detail {
namespace {

std::string without_password_parameter(std::string_view query) {
    std::string kept;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        if (!item.empty() && item.substr(0, 9) != "password=") {
            if (!kept.empty()) kept.push_back('&');
            kept.append(item);
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return kept;
}

}  // namespace

std::string redact_url(std::string_view url) {
    const std::size_t authority = url.find("://");
    if (authority == std::string_view::npos) return std::string(url);
    const std::size_t start = authority + 3;
    const std::size_t query_at = url.find('?', start);
    std::string_view head = url.substr(0, query_at);
    std::string out(head);
    const std::size_t authority_end = std::min(head.find('/', start), head.size());
    const std::size_t at = head.rfind('@', authority_end);
    if (at != std::string_view::npos && at >= start) {
        const std::size_t colon = head.find(':', start);
        if (colon != std::string_view::npos && colon < at) {
            out.assign(head.substr(0, colon)).append(head.substr(at));
        }
    }
    if (query_at != std::string_view::npos) {
        const std::string query = without_password_parameter(url.substr(query_at + 1));
        if (!query.empty()) out.append("?").append(query);
    }
    return out;
}

}  // namespace pitboss::storage::detail
