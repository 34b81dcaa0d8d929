#pragma once
// What `bo.events` is in Python: the back office's events::Ingestor together with the back
// office's clock, so that "as of" arguments can default to the clock's now.

#include "pitboss/backoffice.hpp"
#include "pitboss/events/ingestor.hpp"

namespace pitboss::python {

/// A view of one back office's ingestion service; the Python object keeps the back office alive.
class EventsService {
public:
    explicit EventsService(Backoffice& bo) : bo_(&bo) {}
    /// The ingestion service.
    [[nodiscard]] events::Ingestor& ingestor() const { return bo_->events(); }
    /// The back office's current time.
    [[nodiscard]] Timestamp now() const { return bo_->clock().now(); }

private:
    Backoffice* bo_;
};

}  // namespace pitboss::python
