// Evaluates a compiled rule: as a columnar scan producing a bitmap, or for one row.
//
// The scan works in blocks of kBlockWords words (4096 rows, so temporaries stay in L1). Each
// leaf fills 64 result bits per word from a tight, vectorisable loop over its column (a range
// check per interval, compared as unsigned after subtracting the lower bound), then packs the
// 64 bytes into a word. An and-node hands its running result to the next child as a mask, so
// words that are already zero are skipped; an or-node skips words that are already full.
// Children are ordered per evaluation by cost / selectivity measured on a sample of rows.

#include <algorithm>
#include <bit>
#include <cstring>
#include <type_traits>

#include "pitboss/segments/ab_bucket.hpp"
#include "segments/program.hpp"

namespace pitboss::segments {
namespace detail {
namespace {

constexpr std::size_t kBlockWords = 64;
constexpr std::size_t kSampleRows = 1024;

/// Packs 64 bytes (each 0 or 1) into a word, byte j to bit j.
inline std::uint64_t pack64(const std::uint8_t* bytes) noexcept {
    std::uint64_t word = 0;
    for (unsigned k = 0; k < 8; ++k) {
        std::uint64_t x;
        std::memcpy(&x, bytes + 8 * k, 8);
        word |= ((x * 0x0102040810204080ULL) >> 56) << (8 * k);
    }
    return word;
}

/// Bits of the `n` (<= 64) values at `p` lying in [lo, hi] (already in T's range, lo <= hi).
template <class T>
inline std::uint64_t range_word(const T* p, std::size_t n, T lo, T hi) noexcept {
    using U = std::make_unsigned_t<T>;
    const U ulo = static_cast<U>(lo);
    const U span = static_cast<U>(static_cast<U>(hi) - ulo);
    if (n == 64) {
        alignas(64) std::uint8_t tmp[64];
        for (std::size_t j = 0; j < 64; ++j) {
            tmp[j] = static_cast<std::uint8_t>(static_cast<U>(static_cast<U>(p[j]) - ulo) <= span);
        }
        return pack64(tmp);
    }
    std::uint64_t word = 0;
    for (std::size_t j = 0; j < n; ++j) {
        word |= static_cast<std::uint64_t>(static_cast<U>(static_cast<U>(p[j]) - ulo) <= span) << j;
    }
    return word;
}

inline std::uint64_t low_bits(std::size_t n) noexcept {
    return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

/// Intervals clamped to what a column of T can hold besides its null value (the minimum for
/// signed columns, 0 for dictionary codes); empty ones dropped.
template <class T>
std::vector<Interval> clamp_to(const std::vector<Interval>& set) {
    std::int64_t min = 1;
    if constexpr (std::is_signed_v<T>) {
        min = static_cast<std::int64_t>(std::numeric_limits<T>::min()) + 1;
    }
    const auto max = static_cast<std::int64_t>(std::numeric_limits<T>::max());
    std::vector<Interval> out;
    for (const Interval& i : set) {
        const std::int64_t lo = std::max(i.lo, min);
        const std::int64_t hi = std::min(i.hi, max);
        if (lo <= hi) out.push_back({lo, hi});
    }
    return out;
}

template <class T>
constexpr T null_of() noexcept {
    if constexpr (std::is_signed_v<T>) {
        return std::numeric_limits<T>::min();
    } else {
        return T{0};
    }
}

/// What a leaf reads at one evaluation instant: intervals in stored units.
struct Bound {
    const Leaf* leaf = nullptr;
    std::vector<Interval> set;  // stored units (minutes for timestamps)
    struct Edge {               // a minute only partly inside: check the millisecond
        std::int64_t minute;
        std::int64_t lo_ms;
        std::int64_t hi_ms;
    };
    std::vector<Edge> edges;
    std::vector<std::uint8_t> lut;  // kString with many codes: byte per code
    std::vector<Interval> clamped;  // `set` clamped to the column's current width
};

class Scanner {
public:
    Scanner(const Program& program, const Columns& columns, const EvalTime& time)
        : p_(program),
          c_(columns),
          time_(time),
          bound_(program.leaves.size()),
          order_(program.nodes.size()) {
        for (std::size_t i = 0; i < program.leaves.size(); ++i) bind(i);
        for (std::size_t i = 0; i < program.nodes.size(); ++i) order_[i] = p_.nodes[i].children;
        if (c_.rows >= 8 * kSampleRows) order_children();
    }

    void run(Bitmap& out) {
        out.resize(c_.rows);
        std::span<std::uint64_t> words = out.words();
        const std::size_t total_words = words.size();
        std::uint64_t mask[kBlockWords];
        for (std::size_t first = 0; first < total_words; first += kBlockWords) {
            const std::size_t n = std::min(kBlockWords, total_words - first);
            for (std::size_t w = 0; w < n; ++w) mask[w] = valid_word(first + w);
            eval(p_.root, first, n, mask, words.data() + first);
        }
    }

private:
    std::uint64_t valid_word(std::size_t word) const noexcept {
        const std::size_t start = word * 64;
        return low_bits(c_.rows - start);
    }

    void bind(std::size_t index) {
        const Leaf& l = p_.leaves[index];
        Bound& b = bound_[index];
        b.leaf = &l;
        switch (l.kind) {
            case LeafKind::kAge: {
                // age in [lo, hi]  <=>  birth day in [latest(hi + 1) + 1, latest(lo)].
                for (const Interval& i : l.set) {
                    const std::int64_t lo =
                        i.hi == kPosInf ? kNegInf : latest_birth_day(sat_add(i.hi, 1), time_) + 1;
                    const std::int64_t hi =
                        i.lo == kNegInf ? kPosInf : latest_birth_day(i.lo, time_);
                    b.set.push_back({lo, hi});
                }
                std::sort(b.set.begin(), b.set.end(),
                          [](const Interval& a, const Interval& z) { return a.lo < z.lo; });
                break;
            }
            case LeafKind::kDaysSince: {
                // floor((now - t) / D) in [lo, hi]  <=>  t in [now - (hi+1)D + 1, now - lo D].
                const std::int64_t now = time_.now_ms();
                for (const Interval& i : l.set) {
                    const std::int64_t lo_ms =
                        i.hi == kPosInf
                            ? kNegInf
                            : sat_add(sat_sub(now, sat_mul(sat_add(i.hi, 1), kMillisPerDay)), 1);
                    const std::int64_t hi_ms =
                        i.lo == kNegInf ? kPosInf : sat_sub(now, sat_mul(i.lo, kMillisPerDay));
                    if (lo_ms > hi_ms) continue;
                    add_ms_interval(b, lo_ms, hi_ms);
                }
                std::sort(b.set.begin(), b.set.end(),
                          [](const Interval& a, const Interval& z) { return a.lo < z.lo; });
                break;
            }
            case LeafKind::kString: {
                b.set = l.set;
                const auto& codes = c_.strings[l.slot].codes();
                if (l.set.size() > 8 && codes.index() < 2) {
                    b.lut.assign(codes.index() == 0 ? 256 : 65536, 0);
                    for (const Interval& i : l.set) {
                        for (std::int64_t c = i.lo; c <= i.hi; ++c) {
                            b.lut[static_cast<std::size_t>(c)] = 1;
                        }
                    }
                }
                break;
            }
            case LeafKind::kTimeDay:
                // Whole UTC days: [first minute of lo, last minute of hi].
                for (const Interval& i : l.set) {
                    b.set.push_back({i.lo == kNegInf ? kNegInf : sat_mul(i.lo, kMinutesPerDay),
                                     i.hi == kPosInf
                                         ? kPosInf
                                         : sat_add(sat_mul(sat_add(i.hi, 1), kMinutesPerDay), -1)});
                }
                break;
            default:
                b.set = l.set;
                break;
        }
        const auto clamp = [&b](const auto& column) {
            b.clamped = clamp_to<typename std::decay_t<decltype(column)>::value_type>(b.set);
        };
        switch (l.kind) {
            case LeafKind::kInt:
            case LeafKind::kAge:
                std::visit(clamp, c_.ints[l.slot].data());
                break;
            case LeafKind::kTimeDay:
            case LeafKind::kDaysSince:
                std::visit(clamp, c_.times[l.slot].minutes.data());
                break;
            case LeafKind::kString:
                std::visit(clamp, c_.strings[l.slot].codes());
                break;
            default:
                break;
        }
    }

    // Splits a millisecond interval into whole minutes (checked on the minute column alone)
    // and partial first/last minutes (checked on the millisecond too).
    static void add_ms_interval(Bound& b, std::int64_t lo_ms, std::int64_t hi_ms) {
        constexpr std::int64_t kUnit = kMillisPerMinute;
        const std::int64_t lo_min = lo_ms == kNegInf ? kNegInf : floor_div(lo_ms, kUnit);
        const std::int64_t hi_min = hi_ms == kPosInf ? kPosInf : floor_div(hi_ms, kUnit);
        const bool lo_partial = lo_ms != kNegInf && lo_ms - lo_min * kUnit != 0;
        const bool hi_partial = hi_ms != kPosInf && hi_ms - hi_min * kUnit != kUnit - 1;
        std::int64_t first = lo_min;
        std::int64_t last = hi_min;
        if (lo_partial) {
            b.edges.push_back({lo_min, lo_ms, hi_ms});
            first = lo_min + 1;
        }
        if (hi_partial && !(lo_partial && hi_min == lo_min)) {
            b.edges.push_back({hi_min, lo_ms, hi_ms});
            last = hi_min - 1;
        } else if (hi_partial) {
            last = hi_min - 1;
        }
        if (first <= last) b.set.push_back({first, last});
    }

    // ---- per-row evaluation, for sampling (the same logic as CompiledRule::matches) ----

    void order_children() {
        std::vector<double> selectivity(p_.nodes.size(), -1.0);
        std::vector<double> cost(p_.nodes.size(), 0.0);
        for (std::size_t i = 0; i < p_.nodes.size(); ++i) cost[i] = node_cost(i);
        const std::size_t stride = c_.rows / kSampleRows;
        const auto sample = [&](std::uint32_t node) {
            if (selectivity[node] >= 0) return selectivity[node];
            std::size_t hits = 0;
            for (std::size_t k = 0; k < kSampleRows; ++k) {
                if (node_matches(p_, c_, node, k * stride + k % stride, time_)) ++hits;
            }
            selectivity[node] = static_cast<double>(hits) / static_cast<double>(kSampleRows);
            return selectivity[node];
        };
        for (std::size_t i = 0; i < p_.nodes.size(); ++i) {
            const PNode& n = p_.nodes[i];
            if (n.kind != PNode::Kind::kAnd && n.kind != PNode::Kind::kOr) continue;
            const bool is_and = n.kind == PNode::Kind::kAnd;
            std::vector<std::pair<double, std::uint32_t>> ranked;
            for (const std::uint32_t child : n.children) {
                const double s = sample(child);
                // Cheapest per row eliminated (and) or per row accepted (or) first.
                const double useful = std::max(is_and ? 1.0 - s : s, 0.001);
                ranked.emplace_back(cost[child] / useful, child);
            }
            std::stable_sort(ranked.begin(), ranked.end(),
                             [](const auto& a, const auto& z) { return a.first < z.first; });
            for (std::size_t k = 0; k < ranked.size(); ++k) order_[i][k] = ranked[k].second;
        }
    }

    double node_cost(std::size_t node) const {
        const PNode& n = p_.nodes[node];
        if (n.kind == PNode::Kind::kLeaf) return p_.leaves[n.leaf].cost;
        double total = 0.0;
        for (const std::uint32_t c : n.children) total += node_cost(c);
        return total;
    }

    // ---- the scan ----

    void eval(std::uint32_t node, std::size_t first, std::size_t n, const std::uint64_t* mask,
              std::uint64_t* out) {
        const PNode& pn = p_.nodes[node];
        switch (pn.kind) {
            case PNode::Kind::kConst:
                for (std::size_t w = 0; w < n; ++w) out[w] = pn.value ? mask[w] : 0;
                return;
            case PNode::Kind::kLeaf:
                eval_leaf(bound_[pn.leaf], first, n, mask, out);
                for (std::size_t w = 0; w < n; ++w) out[w] &= mask[w];
                return;
            case PNode::Kind::kAnd: {
                const auto& children = order_[node];
                eval(children[0], first, n, mask, out);
                std::uint64_t tmp[kBlockWords];
                for (std::size_t k = 1; k < children.size(); ++k) {
                    std::uint64_t any = 0;
                    for (std::size_t w = 0; w < n; ++w) any |= out[w];
                    if (any == 0) return;
                    eval(children[k], first, n, out, tmp);
                    for (std::size_t w = 0; w < n; ++w) out[w] &= tmp[w];
                }
                return;
            }
            case PNode::Kind::kOr: {
                const auto& children = order_[node];
                eval(children[0], first, n, mask, out);
                std::uint64_t rest[kBlockWords];
                std::uint64_t tmp[kBlockWords];
                for (std::size_t k = 1; k < children.size(); ++k) {
                    std::uint64_t any = 0;
                    for (std::size_t w = 0; w < n; ++w) {
                        rest[w] = mask[w] & ~out[w];
                        any |= rest[w];
                    }
                    if (any == 0) return;
                    eval(children[k], first, n, rest, tmp);
                    for (std::size_t w = 0; w < n; ++w) out[w] |= tmp[w];
                }
                return;
            }
        }
    }

    void eval_leaf(const Bound& b, std::size_t first, std::size_t n, const std::uint64_t* mask,
                   std::uint64_t* out) const {
        const Leaf& l = *b.leaf;
        switch (l.kind) {
            case LeafKind::kInt:
            case LeafKind::kAge:
                std::visit([&](const auto& v) { ranges(v.data(), b, first, n, mask, out); },
                           c_.ints[l.slot].data());
                return;
            case LeafKind::kTimeDay:
            case LeafKind::kDaysSince:
                std::visit([&](const auto& v) { ranges(v.data(), b, first, n, mask, out); },
                           c_.times[l.slot].minutes.data());
                if (!b.edges.empty()) edges(b, first, n, mask, out);
                return;
            case LeafKind::kString:
                std::visit(
                    [&](const auto& v) {
                        if (b.lut.empty()) {
                            ranges(v.data(), b, first, n, mask, out);
                        } else {
                            lookup(v.data(), b, first, n, mask, out);
                        }
                    },
                    c_.strings[l.slot].codes());
                return;
            case LeafKind::kIsNull:
                is_null(l, first, n, mask, out);
                return;
            case LeafKind::kSegment:
                segment(l, first, n, out);
                return;
            case LeafKind::kAbBucket:
                ab_bucket(b, first, n, mask, out);
                return;
        }
    }

    template <class T>
    void ranges(const T* data, const Bound& b, std::size_t first, std::size_t n,
                const std::uint64_t* mask, std::uint64_t* out) const {
        const bool negate = b.leaf->negate;
        const T null_value = null_of<T>();
        for (std::size_t w = 0; w < n; ++w) {
            if (mask[w] == 0) {
                out[w] = 0;
                continue;
            }
            const std::size_t row = (first + w) * 64;
            const std::size_t count = std::min<std::size_t>(64, c_.rows - row);
            const T* p = data + row;
            std::uint64_t bits = 0;
            for (const Interval& i : b.clamped) {
                bits |= range_word<T>(p, count, static_cast<T>(i.lo), static_cast<T>(i.hi));
            }
            if (negate) {
                bits = ~bits & ~range_word<T>(p, count, null_value, null_value) & low_bits(count);
            }
            out[w] = bits;
        }
    }

    // Days only partly in range: the rows on that day pass when their millisecond does. Two
    // passes per block: find the rows on the day (sequential, vectorised), then load their
    // milliseconds in a tight loop so the scattered cache misses overlap.
    void edges(const Bound& b, std::size_t first, std::size_t n, const std::uint64_t* mask,
               std::uint64_t* out) const {
        const TimeColumn& col = c_.times[b.leaf->slot];
        const std::uint16_t* millis = col.millis_of_minute.data();
        for (const Bound::Edge& e : b.edges) {
            std::uint64_t on_day[kBlockWords];
            const bool any = std::visit(
                [&](const auto& v) {
                    using T = typename std::decay_t<decltype(v)>::value_type;
                    if constexpr (sizeof(T) < sizeof(std::int64_t)) {
                        if (e.minute > std::numeric_limits<T>::max()) return false;
                    }
                    if (e.minute <= std::numeric_limits<T>::min()) return false;
                    const auto minute = static_cast<T>(e.minute);
                    std::uint64_t seen = 0;
                    for (std::size_t w = 0; w < n; ++w) {
                        const std::size_t row = (first + w) * 64;
                        const std::size_t count = std::min<std::size_t>(64, c_.rows - row);
                        on_day[w] =
                            mask[w] == 0 ? 0 : range_word<T>(v.data() + row, count, minute, minute);
                        seen |= on_day[w];
                    }
                    return seen != 0;
                },
                col.minutes.data());
            if (!any) continue;
            const std::int64_t start = e.minute * kMillisPerMinute;
            const std::int64_t lo = e.lo_ms == kNegInf ? kNegInf : e.lo_ms - start;
            const std::int64_t hi = e.hi_ms == kPosInf ? kPosInf : e.hi_ms - start;
            for (std::size_t w = 0; w < n; ++w) {
                std::uint64_t bits = on_day[w];
                std::uint64_t in = 0;
                const std::uint16_t* base = millis + (first + w) * 64;
                while (bits != 0) {
                    const auto j = static_cast<unsigned>(std::countr_zero(bits));
                    bits &= bits - 1;
                    const std::int64_t ms = base[j];
                    in |= static_cast<std::uint64_t>(ms >= lo && ms <= hi) << j;
                }
                // Negated leaves were complemented by ranges(): undo for these rows.
                out[w] = b.leaf->negate ? (out[w] & ~in) : (out[w] | in);
            }
        }
    }

    template <class T>
    void lookup(const T* data, const Bound& b, std::size_t first, std::size_t n,
                const std::uint64_t* mask, std::uint64_t* out) const {
        const std::uint8_t* lut = b.lut.data();
        const bool negate = b.leaf->negate;
        for (std::size_t w = 0; w < n; ++w) {
            if (mask[w] == 0) {
                out[w] = 0;
                continue;
            }
            const std::size_t row = (first + w) * 64;
            const std::size_t count = std::min<std::size_t>(64, c_.rows - row);
            const T* p = data + row;
            std::uint64_t bits = 0;
            for (std::size_t j = 0; j < count; ++j) {
                bits |= static_cast<std::uint64_t>(lut[p[j]]) << j;
            }
            if (negate) bits = ~bits & ~range_word<T>(p, count, 0, 0) & low_bits(count);
            out[w] = bits;
        }
    }

    void is_null(const Leaf& l, std::size_t first, std::size_t n, const std::uint64_t* mask,
                 std::uint64_t* out) const {
        const auto nulls = [&](const auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            const T null_value = null_of<T>();
            for (std::size_t w = 0; w < n; ++w) {
                if (mask[w] == 0) {
                    out[w] = 0;
                    continue;
                }
                const std::size_t row = (first + w) * 64;
                const std::size_t count = std::min<std::size_t>(64, c_.rows - row);
                const std::uint64_t bits =
                    range_word<T>(v.data() + row, count, null_value, null_value);
                out[w] = l.want_null ? bits : (~bits & low_bits(count));
            }
        };
        switch (l.storage) {
            case Storage::kString:
                std::visit(nulls, c_.strings[l.slot].codes());
                return;
            case Storage::kInt:
            case Storage::kAge:
                std::visit(nulls, c_.ints[l.slot].data());
                return;
            case Storage::kTime:
            case Storage::kDaysSince:
                std::visit(nulls, c_.times[l.slot].minutes.data());
                return;
        }
    }

    void segment(const Leaf& l, std::size_t first, std::size_t n, std::uint64_t* out) const {
        const auto words = l.segment->words();
        for (std::size_t w = 0; w < n; ++w) {
            const std::size_t index = first + w;
            const std::uint64_t member = index < words.size() ? words[index] : 0;
            out[w] = l.negate ? ~member & valid_word(index) : member;
        }
    }

    void ab_bucket(const Bound& b, std::size_t first, std::size_t n, const std::uint64_t* mask,
                   std::uint64_t* out) const {
        const Leaf& l = *b.leaf;
        for (std::size_t w = 0; w < n; ++w) {
            if (mask[w] == 0) {
                out[w] = 0;
                continue;
            }
            const std::size_t row = (first + w) * 64;
            const std::size_t count = std::min<std::size_t>(64, c_.rows - row);
            std::uint64_t bits = 0;
            for (std::size_t j = 0; j < count; ++j) {
                const std::uint32_t bucket =
                    ab_bucket_of_hashes(l.split_hash, c_.external_hash[row + j], l.buckets);
                bits |= static_cast<std::uint64_t>(in_set(b.set, bucket) != l.negate) << j;
            }
            out[w] = bits;
        }
    }

public:
    static bool leaf_matches(const Leaf& l, const Columns& c, std::size_t row,
                             const EvalTime& time) {
        const auto check = [&](std::optional<std::int64_t> v) {
            return v.has_value() && in_set(l.set, *v) != l.negate;
        };
        switch (l.kind) {
            case LeafKind::kInt:
                return check(c.ints[l.slot].get(row));
            case LeafKind::kTimeDay: {
                const auto minute = c.times[l.slot].minutes.get(row);
                if (!minute) return false;
                return check(floor_div(*minute, kMinutesPerDay));
            }
            case LeafKind::kDaysSince: {
                const auto ms = c.times[l.slot].get_ms(row);
                if (!ms) return false;
                return check(floor_div(time.now_ms() - *ms, kMillisPerDay));
            }
            case LeafKind::kAge: {
                const auto birth = c.ints[l.slot].get(row);
                if (!birth) return false;
                return check(age_at(*birth, time.year(), time.month(), time.day()));
            }
            case LeafKind::kString: {
                const std::uint32_t code = c.strings[l.slot].code(row);
                if (code == 0) return false;
                const bool listed = code / 64 < l.code_bits.size() &&
                                    ((l.code_bits[code / 64] >> (code % 64)) & 1U) != 0;
                return listed != l.negate;
            }
            case LeafKind::kIsNull: {
                bool null = false;
                switch (l.storage) {
                    case Storage::kString:
                        null = c.strings[l.slot].code(row) == 0;
                        break;
                    case Storage::kInt:
                    case Storage::kAge:
                        null = !c.ints[l.slot].get(row).has_value();
                        break;
                    case Storage::kTime:
                    case Storage::kDaysSince:
                        null = !c.times[l.slot].minutes.get(row).has_value();
                        break;
                }
                return null == l.want_null;
            }
            case LeafKind::kSegment:
                return l.segment->test(row) != l.negate;
            case LeafKind::kAbBucket:
                return check(ab_bucket_of_hashes(l.split_hash, c.external_hash[row], l.buckets));
        }
        return false;
    }

    static bool node_matches(const Program& p, const Columns& c, std::uint32_t node,
                             std::size_t row, const EvalTime& time) {
        const PNode& n = p.nodes[node];
        switch (n.kind) {
            case PNode::Kind::kConst:
                return n.value;
            case PNode::Kind::kLeaf:
                return leaf_matches(p.leaves[n.leaf], c, row, time);
            case PNode::Kind::kAnd:
                for (const std::uint32_t child : n.children) {
                    if (!node_matches(p, c, child, row, time)) return false;
                }
                return true;
            case PNode::Kind::kOr:
                for (const std::uint32_t child : n.children) {
                    if (node_matches(p, c, child, row, time)) return true;
                }
                return false;
        }
        return false;
    }

    // The row program: pre-order ops, `pc` advanced past the node evaluated.
    static bool row_matches(const Program& p, const Columns& c, std::uint32_t& pc, std::size_t row,
                            const EvalTime& time) {
        const RowOp& op = p.row_ops[pc];
        switch (op.kind) {
            case RowOp::Kind::kConst:
                ++pc;
                return op.value;
            case RowOp::Kind::kAnd:
                ++pc;
                while (pc < op.end) {
                    if (!row_matches(p, c, pc, row, time)) {
                        pc = op.end;
                        return false;
                    }
                }
                return true;
            case RowOp::Kind::kOr:
                ++pc;
                while (pc < op.end) {
                    if (row_matches(p, c, pc, row, time)) {
                        pc = op.end;
                        return true;
                    }
                }
                return false;
            case RowOp::Kind::kLeaf:
                break;
        }
        ++pc;
        if (!op.simple) return leaf_matches(p.leaves[op.leaf], c, row, time);
        const auto in = [&op](std::int64_t v) { return (v >= op.lo && v <= op.hi) != op.negate; };
        switch (op.leaf_kind) {
            case LeafKind::kInt: {
                const auto v = c.ints[op.slot].get(row);
                return v.has_value() && in(*v);
            }
            case LeafKind::kString: {
                const std::uint32_t code = c.strings[op.slot].code(row);
                if (code == 0) return false;
                const bool listed = code < 256 && ((op.codes[code / 64] >> (code % 64)) & 1U) != 0;
                return listed != op.negate;
            }
            case LeafKind::kDaysSince: {
                const auto ms = c.times[op.slot].get_ms(row);
                return ms.has_value() && in(floor_div(time.now_ms() - *ms, kMillisPerDay));
            }
            case LeafKind::kAge: {
                const auto birth = c.ints[op.slot].get(row);
                return birth.has_value() &&
                       in(age_at(*birth, time.year(), time.month(), time.day()));
            }
            default:
                return leaf_matches(p.leaves[op.leaf], c, row, time);
        }
    }

private:
    const Program& p_;
    const Columns& c_;
    const EvalTime& time_;
    std::vector<Bound> bound_;
    std::vector<std::vector<std::uint32_t>> order_;
};

void explain_node(const Program& p, std::uint32_t node, int depth, std::string& out) {
    const PNode& n = p.nodes[node];
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
    switch (n.kind) {
        case PNode::Kind::kConst:
            out += n.value ? "true\n" : "false\n";
            return;
        case PNode::Kind::kLeaf:
            out += p.leaves[n.leaf].text + "\n";
            return;
        case PNode::Kind::kAnd:
        case PNode::Kind::kOr:
            out += n.kind == PNode::Kind::kAnd ? "and\n" : "or\n";
            for (const std::uint32_t c : n.children) explain_node(p, c, depth + 1, out);
            return;
    }
}

}  // namespace
}  // namespace detail

EvalTime::EvalTime(Timestamp now) noexcept : now_ms_(to_unix_millis(now)) {
    const Date today = utc_date(now);
    year_ = static_cast<int>(today.year());
    month_ = static_cast<unsigned>(today.month());
    day_ = static_cast<unsigned>(today.day());
}

CompiledRule::CompiledRule(std::shared_ptr<const detail::Program> program) noexcept
    : program_(std::move(program)) {}

namespace {
void require_table(const detail::Program& p, const PlayerTable& table) {
    if (p.columns != &table.columns()) {
        throw PreconditionError("the rule was compiled against another player table");
    }
}
}  // namespace

void CompiledRule::evaluate_into(const PlayerTable& table, Timestamp now, Bitmap& out) const {
    require_table(*program_, table);
    const EvalTime time(now);
    detail::Scanner scanner(*program_, table.columns(), time);
    scanner.run(out);
}

Bitmap CompiledRule::evaluate(const PlayerTable& table, Timestamp now) const {
    Bitmap out;
    evaluate_into(table, now, out);
    return out;
}

std::size_t CompiledRule::count(const PlayerTable& table, Timestamp now) const {
    return evaluate(table, now).count();
}

bool CompiledRule::matches(const PlayerTable& table, RowIndex row, const EvalTime& time) const {
    require_table(*program_, table);
    std::uint32_t pc = 0;
    return detail::Scanner::row_matches(*program_, table.columns(), pc, row, time);
}

const Rule& CompiledRule::rule() const noexcept { return program_->rule; }

std::string CompiledRule::explain() const {
    std::string out;
    detail::explain_node(*program_, program_->root, 0, out);
    return out;
}

}  // namespace pitboss::segments
