"""pitboss: an online casino's back office and CRM, scripted from Python.

    import pitboss
    bo = pitboss.open("sqlite://casino.db")
    admin = bo.access.system_actor("bootstrap")
    player = bo.players.register_player(admin, external_id="p-1", country="MT",
                                        birth_date="1990-05-17", currency="EUR")
    assert bo.audit.verify().ok

The work is done by the C++ library through the native module ``pitboss._native``; this
package re-exports it and adds the pandas helpers (``bo.players.frame``, ``bo.events.frame``).
Every call that touches the database releases the GIL.
"""

from ._native import (
    ALL_PERMISSIONS as ALL_PERMISSIONS,
    AccessControl as AccessControl,
    AccessDenied as AccessDenied,
    Actor as Actor,
    ActorKind as ActorKind,
    AuditLog as AuditLog,
    Backoffice as Backoffice,
    Clock as Clock,
    ConflictError as ConflictError,
    Consents as Consents,
    Currency as Currency,
    Decision as Decision,
    Error as Error,
    FxRate as FxRate,
    IngestCounts as IngestCounts,
    Ingestor as Ingestor,
    IntegrityError as IntegrityError,
    ManualClock as ManualClock,
    Money as Money,
    NotFoundError as NotFoundError,
    Operator as Operator,
    OperatorStatus as OperatorStatus,
    Player as Player,
    PlayerService as PlayerService,
    PlayerStatus as PlayerStatus,
    PreconditionError as PreconditionError,
    QuarantinedEvent as QuarantinedEvent,
    Role as Role,
    RoleAssignment as RoleAssignment,
    RolePermission as RolePermission,
    StorageError as StorageError,
    SystemClock as SystemClock,
    UnavailableError as UnavailableError,
    ValidationError as ValidationError,
    VerifyReport as VerifyReport,
    __version__ as __version__,
    open as open,
    verify_export as verify_export,
)

__all__ = [
    "ALL_PERMISSIONS",
    "AccessControl",
    "AccessDenied",
    "Actor",
    "ActorKind",
    "AuditLog",
    "Backoffice",
    "Clock",
    "ConflictError",
    "Consents",
    "Currency",
    "Decision",
    "Error",
    "FxRate",
    "IngestCounts",
    "Ingestor",
    "IntegrityError",
    "ManualClock",
    "Money",
    "NotFoundError",
    "Operator",
    "OperatorStatus",
    "Player",
    "PlayerService",
    "PlayerStatus",
    "PreconditionError",
    "QuarantinedEvent",
    "Role",
    "RoleAssignment",
    "RolePermission",
    "StorageError",
    "SystemClock",
    "UnavailableError",
    "ValidationError",
    "VerifyReport",
    "open",
    "verify_export",
]
