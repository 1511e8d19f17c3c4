"""The one family of errors a user is told about: a French message that says what to do, and its HTTP status.

The web app renders any ``SearchError`` with one handler (JSON under ``/api/``, an HTML page
elsewhere, the same ``{"error": …}`` shape); the command line prints ``erreur : <message>``
in one line. Anything else is a bug: logged with its traceback, never shown.

    >>> BadRequest("page doit être un nombre entier de 1 à 1000 (reçu : 'x')", param="page").status
    400
"""
from __future__ import annotations


class SearchError(Exception):
    """Base of every error with a message for the user."""

    status = 500

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param  # the request parameter at fault, when there is one

    @property
    def message(self) -> str:
        return str(self)


class BadRequest(SearchError):
    """A parameter the user can fix; its message says how."""

    status = 400


class NotFound(SearchError):
    """No such report, page or list."""

    status = 404


class Conflict(SearchError):
    """What is asked clashes with what is there (a saved search of the same name)."""

    status = 409


class Forbidden(SearchError):
    """A form posted from another site."""

    status = 403


class IndexUnavailable(SearchError):
    """The index cannot be read now; the message says why and what to run."""

    status = 503


class IndexMissing(IndexUnavailable):
    """No complete index in this folder yet."""


class IndexDamaged(IndexUnavailable):
    """Generations are here, but none is whole: nothing is served, nothing is deleted."""


class IndexBusy(SearchError):
    """Another rebuild or update holds the index."""

    status = 409


class IndexingFailed(SearchError):
    """A rebuild or update could not finish; the index in use is left as it was."""


class RemovalRefused(SearchError):
    """A rebuild or update would drop too many of the live index's reports (an emptied or unmounted
    folder looks just like that): nothing is published; ``--allow-removal`` publishes it anyway."""

    status = 409


class ReportsMissing(BadRequest):
    """Neither a reports folder nor a report file is there."""
