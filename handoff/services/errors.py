"""Errors the use cases raise; the web layer maps each class to one HTTP status (see __init__ docstring)."""
from __future__ import annotations

from handoff.domain.states import InvalidTransition

__all__ = [
    "ServiceError", "NotFound", "Forbidden", "Conflict", "AlreadyClaimed", "ValidationError",
    "InvalidTransition", "AuthenticationFailed",
]


class ServiceError(Exception):
    """Base of every error a use case raises on purpose."""


class NotFound(ServiceError):
    """404: the thing does not exist (or the caller must not learn that it exists)."""


class Forbidden(ServiceError):
    """403: the caller is known but not allowed to do this (wrong token, not the assignee, wrong role)."""


class AuthenticationFailed(ServiceError):
    """401: login failed or session expired; the message is deliberately generic."""

    def __init__(self, message: str = "E-Mail oder Passwort ist falsch, oder das Konto ist gesperrt.") -> None:
        super().__init__(message)


class Conflict(ServiceError):
    """409: the request clashes with the current state (already rated, duplicate shortcut, ...)."""


class AlreadyClaimed(Conflict):
    """409: another agent claimed the conversation first."""


class ValidationError(ServiceError):
    """422: one input field is invalid; `message` is German and can be shown to the user."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
