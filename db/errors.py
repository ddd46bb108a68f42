"""The one domain exception family. Pages and the CLI show `str(error)` to the user."""


class DomainError(Exception):
    """A refused user intent, with a message fit to show as it is."""


class InvalidTransition(DomainError):
    """The item or message is not in a state that allows this step."""


class Conflict(DomainError):
    """Someone else changed the record since it was read."""


class PermissionDenied(DomainError):
    """The acting user's role or ownership does not allow this."""


class InvalidInput(DomainError):
    """A value given by the user is missing or malformed."""


class NotFound(DomainError):
    """The record asked for does not exist."""


def first_line(error: BaseException) -> str:
    """Return the first line of an error's message (its type name when it has none), for the
    one-line errors of the CLI."""
    return (str(error).splitlines() or [type(error).__name__])[0]
