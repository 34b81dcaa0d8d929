#include "pitboss/core/error.hpp"

#include <catch2/catch.hpp>
#include <string>

using pitboss::ErrorCode;

TEST_CASE("core: every error code has a stable lower-case name", "[core]") {
    CHECK(pitboss::to_string(ErrorCode::kInvalidArgument) == "invalid_argument");
    CHECK(pitboss::to_string(ErrorCode::kNotFound) == "not_found");
    CHECK(pitboss::to_string(ErrorCode::kConflict) == "conflict");
    CHECK(pitboss::to_string(ErrorCode::kPermissionDenied) == "permission_denied");
    CHECK(pitboss::to_string(ErrorCode::kFailedPrecondition) == "failed_precondition");
    CHECK(pitboss::to_string(ErrorCode::kUnavailable) == "unavailable");
    CHECK(pitboss::to_string(ErrorCode::kIntegrity) == "integrity");
    CHECK(pitboss::to_string(ErrorCode::kStorage) == "storage");
    CHECK(pitboss::to_string(ErrorCode::kInternal) == "internal");
}

TEST_CASE("core: ValidationError names its field in the message", "[core]") {
    const pitboss::ValidationError e("country", "\"XX\" is not an ISO 3166-1 code");
    CHECK(e.field() == "country");
    CHECK(std::string(e.what()) == "country: \"XX\" is not an ISO 3166-1 code");
    CHECK(e.code() == ErrorCode::kInvalidArgument);
    CHECK_FALSE(e.retryable());
}

TEST_CASE("core: each error class carries its code", "[core]") {
    CHECK(pitboss::NotFoundError("player 7").code() == ErrorCode::kNotFound);
    CHECK(pitboss::ConflictError("duplicate external_id").code() == ErrorCode::kConflict);
    CHECK(pitboss::AccessDenied("players.write").code() == ErrorCode::kPermissionDenied);
    CHECK(pitboss::PreconditionError("closed").code() == ErrorCode::kFailedPrecondition);
    CHECK(pitboss::IntegrityError("seq 12").code() == ErrorCode::kIntegrity);
    CHECK(pitboss::StorageError("disk full").code() == ErrorCode::kStorage);
    CHECK(pitboss::UnavailableError("postgres down").code() == ErrorCode::kUnavailable);
    CHECK(pitboss::Error(ErrorCode::kInternal, "bug").code() == ErrorCode::kInternal);
}

TEST_CASE("core: retryable is set only where repeating may succeed", "[core]") {
    CHECK(pitboss::UnavailableError("broker down").retryable());
    CHECK(pitboss::StorageError("serialization failure", true).retryable());
    CHECK_FALSE(pitboss::StorageError("syntax error").retryable());
    CHECK_FALSE(pitboss::NotFoundError("player 7").retryable());
    CHECK_FALSE(pitboss::IntegrityError("seq 12").retryable());
}

TEST_CASE("core: every error is catchable as pitboss::Error and std::runtime_error", "[core]") {
    CHECK_THROWS_AS(throw pitboss::AccessDenied("audit.read"), pitboss::Error);
    CHECK_THROWS_AS(throw pitboss::ValidationError("email", "malformed"), pitboss::Error);
    CHECK_THROWS_AS(throw pitboss::IntegrityError("seq 3"), std::runtime_error);
    CHECK_THROWS_WITH(throw pitboss::NotFoundError("player 42 not found"), "player 42 not found");
}
