#include "pitboss/core/error.hpp"

namespace pitboss {

std::string_view to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return "invalid_argument";
        case ErrorCode::kNotFound:
            return "not_found";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kPermissionDenied:
            return "permission_denied";
        case ErrorCode::kFailedPrecondition:
            return "failed_precondition";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kIntegrity:
            return "integrity";
        case ErrorCode::kStorage:
            return "storage";
        case ErrorCode::kInternal:
            return "internal";
    }
    return "unknown";
}

}  // namespace pitboss
