#include "pitboss/core/actor.hpp"

namespace pitboss {

Attributes& Attributes::set(std::string key, AttributeValue value) {
    for (auto& [k, v] : items_) {
        if (k == key) {
            v = std::move(value);
            return *this;
        }
    }
    items_.emplace_back(std::move(key), std::move(value));
    return *this;
}

const AttributeValue* Attributes::find(std::string_view key) const noexcept {
    for (const auto& [k, v] : items_) {
        if (k == key) return &v;
    }
    return nullptr;
}

}  // namespace pitboss
