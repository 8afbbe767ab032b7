"""Release versions: exactly MAJOR.MINOR.PATCH (SemVer, no pre-release or build suffix).

Matched whole (``re.fullmatch``: "1.0.0\\n" is not a version) and at most
:data:`MAX_VERSION_CHARS` characters, because a version becomes a directory name.
"""

from __future__ import annotations

import re

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
MAX_VERSION_CHARS = 64


def is_version(name: str) -> bool:
    """Whether ``name`` is exactly MAJOR.MINOR.PATCH (nothing before or after, no newline)."""
    return len(name) <= MAX_VERSION_CHARS and SEMVER.fullmatch(name) is not None


def parse_version(version: str) -> tuple[int, int, int]:
    if len(version) > MAX_VERSION_CHARS:
        raise ValueError(
            f"version {version[:20]!r}... is {len(version)} characters long; a version is "
            f"MAJOR.MINOR.PATCH (e.g. 1.0.0) of at most {MAX_VERSION_CHARS} characters"
        )
    match = SEMVER.fullmatch(version)
    if match is None:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch
