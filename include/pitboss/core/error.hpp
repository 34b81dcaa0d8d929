#pragma once
/// @file
/// The one error hierarchy of pitboss: a root with a code, and shallow subclasses.

#include <stdexcept>
#include <string>
#include <string_view>

namespace pitboss {

/// What kind of failure an Error is; stable, so callers and bindings can branch on it.
enum class ErrorCode {
    kInvalidArgument,     ///< input failed validation (ValidationError)
    kNotFound,            ///< the named thing does not exist (NotFoundError)
    kConflict,            ///< the change collides with existing state, e.g. a duplicate id
    kPermissionDenied,    ///< the actor may not do this (AccessDenied)
    kFailedPrecondition,  ///< the state does not allow the operation now
    kUnavailable,         ///< a backend is unreachable; usually retryable
    kIntegrity,           ///< stored data is corrupt or tampered with (IntegrityError)
    kStorage,             ///< the database failed (StorageError)
    kInternal,            ///< a bug in pitboss
};

/// Short lower-case name of a code, e.g. "not_found".
[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;

/// Root of every exception pitboss throws. Messages name ids and fields, never personal data.
class Error : public std::runtime_error {
public:
    /// An error of kind `code`; `retryable` tells callers a repeat may succeed.
    Error(ErrorCode code, const std::string& message, bool retryable = false)
        : std::runtime_error(message), code_(code), retryable_(retryable) {}

    /// The kind of failure.
    [[nodiscard]] ErrorCode code() const noexcept { return code_; }
    /// True when repeating the same call may succeed (lost connection, serialization failure).
    [[nodiscard]] bool retryable() const noexcept { return retryable_; }

private:
    ErrorCode code_;
    bool retryable_;
};

/// Input that breaks a rule; `field()` names the offending field ("country", "amount", ...).
class ValidationError : public Error {
public:
    /// Rejects input `field`; the message is prefixed with the field name.
    ValidationError(std::string field, const std::string& message)
        : Error(ErrorCode::kInvalidArgument, field + ": " + message), field_(std::move(field)) {}
    /// The input field at fault.
    [[nodiscard]] const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// The requested entity does not exist.
class NotFoundError : public Error {
public:
    /// `message` names the missing id, never personal data.
    explicit NotFoundError(const std::string& message) : Error(ErrorCode::kNotFound, message) {}
};

/// The change collides with existing state (duplicate key, stale version).
class ConflictError : public Error {
public:
    /// `message` names the colliding id or field.
    explicit ConflictError(const std::string& message) : Error(ErrorCode::kConflict, message) {}
};

/// The actor lacks the permission, or an attribute condition failed. Always audited.
class AccessDenied : public Error {
public:
    /// `message` names the actor and permission, never the resource's data.
    explicit AccessDenied(const std::string& message)
        : Error(ErrorCode::kPermissionDenied, message) {}
};

/// The operation is not allowed in the current state (e.g. an illegal status transition).
class PreconditionError : public Error {
public:
    /// `message` names the entity and the state that forbids the operation.
    explicit PreconditionError(const std::string& message)
        : Error(ErrorCode::kFailedPrecondition, message) {}
};

/// Stored data fails an integrity check (broken audit chain, corrupt row).
class IntegrityError : public Error {
public:
    /// `message` names the corrupt row or the broken link.
    explicit IntegrityError(const std::string& message) : Error(ErrorCode::kIntegrity, message) {}
};

/// A database operation failed; `retryable()` is set for serialization failures and lost
/// connections.
class StorageError : public Error {
public:
    /// A database failure; `retryable` when a repeat of the transaction may succeed.
    explicit StorageError(const std::string& message, bool retryable = false)
        : Error(ErrorCode::kStorage, message, retryable) {}
};

/// A backend service (database server, broker) cannot be reached.
class UnavailableError : public Error {
public:
    /// Always retryable: the service may come back.
    explicit UnavailableError(const std::string& message)
        : Error(ErrorCode::kUnavailable, message, true) {}
};

}  // namespace pitboss
