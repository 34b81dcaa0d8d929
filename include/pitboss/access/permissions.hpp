#pragma once
/// @file
/// The permission catalogue: dotted names, one constant each. Modules add theirs here.

#include <array>
#include <string_view>

namespace pitboss::access::permission {

inline constexpr std::string_view kPlayersRead = "players.read";
inline constexpr std::string_view kPlayersWrite = "players.write";
inline constexpr std::string_view kPlayersStatus = "players.status";  ///< block, close, exclude
inline constexpr std::string_view kAuditRead = "audit.read";
inline constexpr std::string_view kAuditExport = "audit.export";
inline constexpr std::string_view kAccessRead = "access.read";
inline constexpr std::string_view kAccessManage = "access.manage";
inline constexpr std::string_view kPaymentsAdjust = "payments.adjust";

/// Every permission pitboss knows; granting an unknown one is a ValidationError.
inline constexpr std::array kAll = {kPlayersRead, kPlayersWrite, kPlayersStatus, kAuditRead,
                                    kAuditExport, kAccessRead,   kAccessManage,  kPaymentsAdjust};

}  // namespace pitboss::access::permission
