#pragma once
/// @file
/// Deterministic A/B bucketing: the same player lands in the same bucket of the same split,
/// in every process and every version of pitboss.
///
/// The function is fixed and documented (docs/segments.md) so other systems can reproduce it:
/// h = fmix64(fnv1a64(split_name) XOR fnv1a64(external_player_id)) and the bucket is h mod n,
/// where fnv1a64 is 64-bit FNV-1a over the UTF-8 bytes and fmix64 is MurmurHash3's 64-bit
/// finaliser. Never std::hash, whose values may change between builds.

#include <cstdint>
#include <string_view>

namespace pitboss::segments {

/// 64-bit FNV-1a of the bytes of `text` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
[[nodiscard]] std::uint64_t fnv1a64(std::string_view text) noexcept;

/// MurmurHash3's 64-bit finaliser: a bijective mix with full avalanche.
[[nodiscard]] constexpr std::uint64_t fmix64(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/// The bucket in [0, n) from the two FNV-1a hashes; `n` must be >= 1.
[[nodiscard]] constexpr std::uint32_t ab_bucket_of_hashes(std::uint64_t split_hash,
                                                          std::uint64_t player_hash,
                                                          std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(fmix64(split_hash ^ player_hash) % n);
}

/// The bucket in [0, n) of a player (by the platform's external id) in the split
/// `split_name`; throws ValidationError("buckets") when n is 0.
[[nodiscard]] std::uint32_t ab_bucket(std::string_view split_name,
                                      std::string_view external_player_id, std::uint32_t n);

}  // namespace pitboss::segments
