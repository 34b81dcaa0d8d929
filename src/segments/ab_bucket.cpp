#include "pitboss/segments/ab_bucket.hpp"

#include "pitboss/core/error.hpp"

namespace pitboss::segments {

std::uint64_t fnv1a64(std::string_view text) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::uint32_t ab_bucket(std::string_view split_name, std::string_view external_player_id,
                        std::uint32_t n) {
    if (n == 0) throw ValidationError("buckets", "an A/B split needs at least 1 bucket");
    return ab_bucket_of_hashes(fnv1a64(split_name), fnv1a64(external_player_id), n);
}

}  // namespace pitboss::segments
