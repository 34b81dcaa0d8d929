#include "pitboss/segments/bitmap.hpp"

#include <bit>

namespace pitboss::segments {

Bitmap::Bitmap(std::size_t size, bool value)
    : size_(size), words_((size + 63) / 64, value ? ~std::uint64_t{0} : 0) {
    if (value && size % 64 != 0) words_.back() = (std::uint64_t{1} << (size % 64)) - 1;
}

void Bitmap::resize(std::size_t size) {
    words_.resize((size + 63) / 64, 0);
    size_ = size;
    if (size % 64 != 0) words_.back() &= (std::uint64_t{1} << (size % 64)) - 1;
}

std::size_t Bitmap::count() const noexcept {
    std::size_t n = 0;
    for (const std::uint64_t w : words_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
}

std::vector<RowIndex> Bitmap::rows() const {
    std::vector<RowIndex> out;
    out.reserve(count());
    for (std::size_t i = 0; i < words_.size(); ++i) {
        std::uint64_t w = words_[i];
        while (w != 0) {
            out.push_back(
                static_cast<RowIndex>(i * 64 + static_cast<std::size_t>(std::countr_zero(w))));
            w &= w - 1;
        }
    }
    return out;
}

}  // namespace pitboss::segments
