#pragma once
/// @file
/// The injectable clock every time-dependent rule reads.

#include <atomic>
#include <memory>

#include "pitboss/core/time.hpp"

namespace pitboss {

/// Source of the current UTC time. Implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    /// The current time.
    [[nodiscard]] virtual Timestamp now() const = 0;
};

/// The machine's real-time clock.
class SystemClock final : public Clock {
public:
    [[nodiscard]] Timestamp now() const override;
};

/// A clock that moves only when told: for tests, simulations and `pitboss --now`.
class ManualClock final : public Clock {
public:
    /// Starts at `start` and stays there until moved.
    explicit ManualClock(Timestamp start) noexcept : now_(to_unix_millis(start)) {}
    [[nodiscard]] Timestamp now() const override { return from_unix_millis(now_.load()); }
    /// Jumps to `t` (may go backwards, for what-if replays).
    void set(Timestamp t) noexcept { now_.store(to_unix_millis(t)); }
    /// Moves forward by `d`.
    void advance(Duration d) noexcept { now_.fetch_add(d.count()); }

private:
    std::atomic<std::int64_t> now_;
};

/// A shared system clock, the default when none is injected.
[[nodiscard]] std::shared_ptr<Clock> system_clock();

}  // namespace pitboss
