#pragma once
// One function per module, each adding that module's classes and functions to `pitboss._native`.

#include <pybind11/pybind11.h>

namespace pitboss::python {

/// Errors, Money, Currency, clocks, actors.
void bind_core(pybind11::module_& m);
/// AuditLog, VerifyReport, verify_export.
void bind_audit(pybind11::module_& m);
/// AccessControl and its records.
void bind_access(pybind11::module_& m);
/// PlayerService, Player, Consents, PlayerStatus.
void bind_players(pybind11::module_& m);
/// Ingestor (bo.events), IngestCounts, QuarantinedEvent, FxRate.
void bind_events(pybind11::module_& m);
/// HelpdeskService (bo.helpdesk).
void bind_helpdesk(pybind11::module_& m);
/// KnowledgeBase (bo.knowledge_base).
void bind_knowledge_base(pybind11::module_& m);
/// SegmentService (bo.segments), Segment.
void bind_segments(pybind11::module_& m);
/// Backoffice and open().
void bind_backoffice(pybind11::module_& m);

}  // namespace pitboss::python
