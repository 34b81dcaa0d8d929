#pragma once
// The canonical encoding of an audit entry, built from text views so that verification can hash
// rows straight from the database without parsing their JSON.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pitboss::audit::detail {

/// The hashed fields of one entry; `before_json`/`after_json` are canonical JSON text.
struct EntryView {
    std::int64_t seq = 0;
    std::int64_t at_ms = 0;
    std::string_view actor;
    std::string_view action;
    std::string_view target;
    std::string_view before_json;
    std::string_view after_json;
    std::string_view prev_hash;
};

/// The canonical encoding of `entry`: the fields in the order above, each as a netstring
/// "<decimal length>:<bytes>,". Written into `scratch` (grown when needed, so a caller that
/// keeps it allocates only a few times); the view is valid until `scratch` is used again.
std::string_view encode(const EntryView& entry, std::vector<char>& scratch);

}  // namespace pitboss::audit::detail
