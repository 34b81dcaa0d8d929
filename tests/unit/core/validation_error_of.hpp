#pragma once
// Test helper: capture the ValidationError an expression throws, to check its field and text.

#include <catch2/catch.hpp>
#include <stdexcept>

#include "pitboss/core/error.hpp"

namespace pitboss::testing {

/// Runs `action` and returns the ValidationError it throws; fails the case when it throws
/// nothing or any other exception.
template <class Action>
ValidationError validation_error_of(Action&& action) {
    try {
        action();
    } catch (const ValidationError& e) {
        return e;
    } catch (const std::exception& e) {
        FAIL("expected pitboss::ValidationError, got: " << e.what());
    }
    FAIL("expected pitboss::ValidationError, nothing was thrown");
    throw std::logic_error("unreachable");
}

}  // namespace pitboss::testing
