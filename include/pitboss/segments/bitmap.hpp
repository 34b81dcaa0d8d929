#pragma once
/// @file
/// A fixed-size set of row indexes, 64 rows per word: the result of evaluating a segment rule.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace pitboss::segments {

/// Index of a player's row in a PlayerTable (0-based, stable for the table's lifetime).
using RowIndex = std::uint32_t;

/// One bit per row; bits past size() are always zero.
class Bitmap {
public:
    /// An empty bitmap (size 0).
    Bitmap() = default;
    /// `size` rows, all set to `value`.
    explicit Bitmap(std::size_t size, bool value = false);

    /// Number of rows (bits).
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Grows or shrinks to `size` rows; new rows are clear.
    void resize(std::size_t size);
    /// True when row `row` is set; rows past size() read as clear.
    [[nodiscard]] bool test(std::size_t row) const noexcept {
        return row < size_ && ((words_[row >> 6] >> (row & 63)) & 1U) != 0;
    }
    /// Sets or clears row `row` (which must be < size()).
    void assign(std::size_t row, bool value) noexcept {
        const std::uint64_t bit = std::uint64_t{1} << (row & 63);
        words_[row >> 6] = value ? (words_[row >> 6] | bit) : (words_[row >> 6] & ~bit);
    }
    /// Sets row `row` (which must be < size()).
    void set(std::size_t row) noexcept { assign(row, true); }
    /// Clears row `row` (which must be < size()).
    void reset(std::size_t row) noexcept { assign(row, false); }
    /// Number of set rows.
    [[nodiscard]] std::size_t count() const noexcept;
    /// The set rows in increasing order.
    [[nodiscard]] std::vector<RowIndex> rows() const;

    /// The words, row r in bit (r % 64) of word r / 64.
    [[nodiscard]] std::span<const std::uint64_t> words() const noexcept { return words_; }
    /// Mutable words; callers must keep the bits past size() clear.
    [[nodiscard]] std::span<std::uint64_t> words() noexcept { return words_; }

    /// Same size and same bits.
    friend bool operator==(const Bitmap&, const Bitmap&) = default;

private:
    std::size_t size_ = 0;
    std::vector<std::uint64_t> words_;
};

}  // namespace pitboss::segments
