#include "pitboss/core/clock.hpp"

namespace pitboss {

Timestamp SystemClock::now() const {
    return std::chrono::floor<Duration>(std::chrono::system_clock::now());
}

std::shared_ptr<Clock> system_clock() {
    // One instance for the whole process: SystemClock is stateless, so sharing is free.
    static const std::shared_ptr<Clock> instance = std::make_shared<SystemClock>();
    return instance;
}

}  // namespace pitboss
