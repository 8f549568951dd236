"""Domain errors: each has a stable code for the UI and a message a cashier can read."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. Nothing has been written when one is raised."""

    code = "domain_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class DuplicatePhone(Conflict):
    code = "duplicate_phone"


class InsufficientPoints(DomainError):
    code = "insufficient_points"


class PointsRuleViolation(DomainError):
    code = "points_rule"


class InsufficientStoredValue(DomainError):
    code = "insufficient_stored_value"


class PaymentError(DomainError):
    code = "payment"


class CouponError(DomainError):
    code = "coupon"


class PunchCardError(DomainError):
    code = "punch_card"


class RefundError(DomainError):
    code = "refund"


class PermissionDenied(DomainError):
    code = "permission_denied"


class MemberCodeError(DomainError):
    """A scanned or typed member code that cannot be accepted; ``reason`` says why."""

    code = "member_code"
    MALFORMED = "malformed"
    TAMPERED = "tampered"
    FOREIGN = "foreign_installation"
    EXPIRED = "expired"
    UNKNOWN_MEMBER = "unknown_member"
    ERASED = "erased"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, reason=reason)
        self.reason = reason
