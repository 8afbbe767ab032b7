"""One exception type per kind of failure a user can act on.

Every message names the file or directory concerned, what went wrong and what
to do. The CLI turns these into a one-line reason on stderr and a non-zero
exit code; only a bug produces a traceback.
"""

from __future__ import annotations


class CorpusError(Exception):
    """Base class: a failure the user can act on."""


class SeedsNotFound(CorpusError):
    """The seeds directory is missing or holds no files."""


class ReleaseConflict(CorpusError):
    """A version already exists in DIST with different content."""


class VersionTooSmall(CorpusError):
    """The version number is smaller than the changes demand (SemVer)."""


class LeakFound(CorpusError):
    """The privacy audit found a commenter handle in the release."""


class ReleaseInvalid(CorpusError):
    """A release on disk failed validation."""


class OutputDirUnusable(CorpusError):
    """BUILD or DIST is not a directory this run can create, write or lock."""
