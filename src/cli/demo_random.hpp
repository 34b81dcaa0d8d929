#pragma once
// The demo's source of randomness. std::mt19937_64's output is fixed by the standard, but the
// std distributions are not (libstdc++ and libc++ differ), so the few distributions the demo
// needs are written here: the same seed gives the same casino with every standard library.

#include <cstdint>
#include <iterator>
#include <random>
#include <span>

namespace pitboss::cli {

/// Deterministic random choices from one seed.
class DemoRandom {
public:
    explicit DemoRandom(std::uint64_t seed) : engine_(seed) {}

    /// Uniform integer in [0, n); n must be positive. Rejection sampling, so unbiased.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t x = engine_();
        while (x >= limit) x = engine_();
        return x % n;
    }
    /// Uniform integer in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }
    /// Uniform in [0, 1), from the top 53 bits of one draw.
    double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    /// True with probability `p`.
    bool chance(double p) { return unit() < p; }
    /// An index drawn with the given integer weights (not all zero).
    std::size_t weighted(std::span<const int> weights) {
        std::uint64_t total = 0;
        for (int w : weights) total += static_cast<std::uint64_t>(w);
        std::uint64_t ticket = below(total);
        for (std::size_t i = 0; i < weights.size(); ++i) {
            const auto w = static_cast<std::uint64_t>(weights[i]);
            if (ticket < w) return i;
            ticket -= w;
        }
        return weights.size() - 1;
    }
    /// One element of a non-empty array or span, uniformly.
    template <class Range>
    const auto& pick(const Range& items) {
        return items[below(std::size(items))];
    }

private:
    std::mt19937_64 engine_;
};

}  // namespace pitboss::cli
