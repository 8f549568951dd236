"""Domain errors: each has a stable code for the UI and a message id with its arguments,
which the catalogue (core.i18n) turns into a sentence a cashier can read."""

from __future__ import annotations

from typing import Any

from ..core import i18n


class DomainError(Exception):
    """A request the rules refuse. Nothing has been written when one is raised.

    ``message`` is the message id: the English template, e.g. "only {have} points"; the
    keyword arguments fill it (and stay readable as ``details``). ``plural`` with ``n``
    gives the plural form gettext picks by ``n`` (the template sees {n}). ``str()`` is
    the English sentence, for logs; ``text(language)`` the translated one.
    """

    code = "domain_error"

    def __init__(self, message: str, /, *, plural: str | None = None, n: int | None = None,
                 **args: Any) -> None:
        self.message_id = message
        self.plural_id = plural
        self.count = n
        self.args_dict = args
        self.details = args
        self.message = i18n.message("en", message, args, plural_id=plural, count=n)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def like(cls, error: DomainError | i18n.Phrase) -> DomainError:
        """An error of this kind with ``error``'s message (one layer's refusal reworded
        as another's, or a sentence passed on as a refusal)."""
        if isinstance(error, i18n.Phrase):
            return cls(error.message_id, plural=error.plural_id, n=error.n, **error.args)
        return cls(error.message_id, plural=error.plural_id, n=error.count, **error.args_dict)

    def text(self, language: str | None) -> str:
        """The message in ``language`` (English when the catalogue has none)."""
        return i18n.message(language, self.message_id, self.args_dict,
                            plural_id=self.plural_id, count=self.count)


class InvalidInput(DomainError):
    code = "invalid_input"


class RuleError(InvalidInput, ValueError):
    """A programme rule that cannot hold (core.rules): ``key`` names the settings key it
    is about ("discount_percent") and ``item`` which of a list (the 2nd tier: 2), so the
    settings file's reader can say where it is."""

    def __init__(self, message: str, /, *, key: str | None = None, item: int | None = None,
                 plural: str | None = None, n: int | None = None, **args: Any) -> None:
        super().__init__(message, plural=plural, n=n, **args)
        self.key = key
        self.item = item


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
    REPLACED = "replaced"  # a lost card, replaced by a new one
    MERGED = "merged"  # a second record of the person, merged into their first

    def __init__(self, reason: str, message: str, /, **args: Any) -> None:
        super().__init__(message, reason=reason, **args)
        self.reason = reason
