"""One error tree for the whole program; the CLI maps each class to its exit code here."""

from __future__ import annotations


class CrmError(Exception):
    """A request that could not be done; shown as one `error:` line."""

    exit_code = 1


class NotFound(CrmError):
    """No record answers to the reference given."""


class Ambiguous(CrmError):
    """A reference matches several records; the message lists them."""

    def __init__(self, message: str, candidates: list[dict[str, object]] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class InvalidData(CrmError):
    """A value the user gave cannot be stored (bad date, amount, e-mail, stage...)."""


class Conflict(CrmError):
    """The data is not in a state that allows the change."""


class DuplicateContact(Conflict):
    """An e-mail or phone another contact already has (`--allow-duplicate` keeps both); names that one."""

    def __init__(self, message: str, contact_id: int, what: str, value: str) -> None:
        super().__init__(message)
        self.contact_id = contact_id
        self.what = what
        self.value = value


class FilterError(InvalidData):
    """A malformed filter; the message points at the bad term."""


class SchemaTooNew(CrmError):
    """The database was written by a newer tinycrm; it is left untouched."""


class Busy(CrmError):
    """Another process held the book's write lock for longer than the busy timeout; nothing was written."""


class UsageError(CrmError):
    """The command line itself is wrong."""

    exit_code = 2


class BadRow(InvalidData):
    """One record of an imported file from which nothing usable can be made.

    `line` is the 1-based line (CSV: the row's first physical line; vCard: its BEGIN line;
    JSON: the item's position) so `--rejects` and the error line can point at it.
    """

    def __init__(self, line: int, reason: str, raw: str = "", where: str | None = None) -> None:
        super().__init__(f"{where or f'line {line}'}: {reason}")
        self.line = line
        self.reason = reason
        self.raw = raw
