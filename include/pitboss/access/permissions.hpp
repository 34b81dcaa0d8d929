#pragma once
/// @file
/// The permission catalogue: dotted names, one constant each. Modules add theirs here.

#include <array>
#include <string_view>

namespace pitboss::access::permission {

inline constexpr std::string_view kPlayersRead = "players.read";      ///< view player profiles
inline constexpr std::string_view kPlayersWrite = "players.write";    ///< register, edit profiles
inline constexpr std::string_view kPlayersStatus = "players.status";  ///< block, close, exclude
inline constexpr std::string_view kAuditRead = "audit.read";      ///< read and verify the audit log
inline constexpr std::string_view kAuditExport = "audit.export";  ///< export the log for regulators
inline constexpr std::string_view kAccessRead = "access.read";    ///< view operators and roles
inline constexpr std::string_view kAccessManage = "access.manage";      ///< change operators, roles
inline constexpr std::string_view kPaymentsAdjust = "payments.adjust";  ///< manual balance fixes
inline constexpr std::string_view kEventsIngest =
    "events.ingest";  ///< feed platform events, set FX
inline constexpr std::string_view kEventsRead =
    "events.read";  ///< aggregates, quarantine, FX rates

inline constexpr std::string_view kHelpdeskRead =
    "helpdesk.read";  ///< read tickets, threads, history, KPIs
inline constexpr std::string_view kHelpdeskWrite =
    "helpdesk.write";  ///< open, answer, assign and move tickets
inline constexpr std::string_view kHelpdeskAdmin =
    "helpdesk.admin";  ///< queues, agents, SLA policies, templates, settings
inline constexpr std::string_view kSegmentsRead =
    "segments.read";  ///< evaluate rules, read segments and membership
inline constexpr std::string_view kSegmentsWrite =
    "segments.write";  ///< create, refresh and delete named segments

/// Every permission pitboss knows; granting an unknown one is a ValidationError.
inline constexpr std::array kAll = {kPlayersRead,   kPlayersWrite, kPlayersStatus, kAuditRead,
                                    kAuditExport,   kAccessRead,   kAccessManage,  kPaymentsAdjust,
                                    kEventsIngest,  kEventsRead,   kHelpdeskRead,  kHelpdeskWrite,
                                    kHelpdeskAdmin, kSegmentsRead, kSegmentsWrite};

}  // namespace pitboss::access::permission
