"""Exceptions that carry expected failures out of use cases.

Use cases raise these; the GraphQL layer turns them into `errors: [UserError!]!` entries
(field path, message, machine code). Anything else that escapes is unexpected: masked for
clients and logged once.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One expected failure: where in the input (path), what (code), and why (message)."""

    code: str
    message: str
    field: tuple[str | int, ...] = ()


@dataclass
class Rejected(Exception):
    """The input was refused as a whole; nothing was written. Carries every problem found."""

    issues: Sequence[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("; ".join(f"{i.code}: {i.message}" for i in self.issues))

    @classmethod
    def one(cls, code: str, message: str, *path: str | int) -> "Rejected":
        """A rejection with a single issue."""
        return cls([Issue(code=code, message=message, field=tuple(path))])


class NotFound(Rejected):
    """The thing named does not exist, or is not visible to the caller (never say which)."""
