"""Keyed pseudonyms for commenter handles: where every ``author`` value comes from.

A pseudonym is ``"u_"`` plus 10 lowercase base32 characters of
HMAC-SHA256(key, canonical handle). The key is the maintainers' secret: with it
the same handle gets the same pseudonym in every release; without it nobody can
test a guessed handle against a pseudonym. A preview build uses a fresh random
key, so its pseudonyms match nothing.

Canonical handle (what is hashed): Unicode NFKC, then ``str.casefold``, then
every run of white space collapsed to one space and the ends stripped. So
"Jerry  Hamilton", "jerry hamilton" and "JERRY HAMILTON " are one commenter.

Key file: the bytes of the file, with ONE trailing line end (``\\n`` or
``\\r\\n``) stripped, because editors and ``echo`` add one. The key must be at
least 32 bytes after that. A binary key that happens to end in 0x0A loses that
byte - consistently, so its pseudonyms are still stable. The file must be a
regular file of at most 4 KiB (a device or a FIFO is refused, never read).

This module must never print, log, return or put into an exception message the
key bytes or anything derived from them except pseudonyms and the public
fingerprint. It never logs a raw handle either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MIN_KEY_BYTES = 32
MAX_KEY_FILE_BYTES = 4096
PSEUDONYM_PREFIX = "u_"
PSEUDONYM_CHARS = 10
_MAX_PSEUDONYM_CHARS = 52  # all of a base32-encoded SHA-256 digest


class KeyFileError(Exception):
    """The pseudonym key file cannot be used; the message names the path and why."""


@dataclass(frozen=True)
class PseudonymKey:
    """The secret behind the pseudonyms. Its repr and str never show the bytes."""

    secret: bytes = field(repr=False)
    is_preview: bool = False

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_KEY_BYTES:
            raise ValueError(f"a pseudonym key needs at least {MIN_KEY_BYTES} bytes")

    def __repr__(self) -> str:
        kind = "preview" if self.is_preview else "maintainers"
        return f"PseudonymKey({kind}, fingerprint={self.fingerprint()})"

    __str__ = __repr__

    @classmethod
    def random_preview(cls) -> PseudonymKey:
        """A fresh random key for preview builds: its pseudonyms match no release."""
        return cls(secrets.token_bytes(MIN_KEY_BYTES), is_preview=True)

    def fingerprint(self) -> str:
        """First 8 hex of HMAC-SHA256(key, b"fingerprint"): tells keys apart, reveals nothing."""
        return hmac.new(self.secret, b"fingerprint", hashlib.sha256).hexdigest()[:8]

    def digest(self, message: bytes) -> bytes:
        return hmac.new(self.secret, message, hashlib.sha256).digest()


def load_key(path: str | Path) -> PseudonymKey:
    """Read the maintainers' key file (see the module docstring for the format).

    The key file must be a regular file (a symbolic link to one is fine) of at
    most :data:`MAX_KEY_FILE_BYTES`; at most that many bytes (plus one) are
    ever read, so a device such as /dev/zero is refused, not read forever.
    """
    key_path = Path(path)
    raw = _read_key_file(key_path)
    if not raw:
        raise KeyFileError(f"pseudonym key file {key_path}: is empty")
    secret = _strip_one_line_end(raw)
    if len(secret) < MIN_KEY_BYTES:
        raise KeyFileError(
            f"pseudonym key file {key_path}: too short ({len(secret)} bytes, "
            f"need at least {MIN_KEY_BYTES}); generate one with "
            '`python -c "import secrets; print(secrets.token_hex(32))"`'
        )
    return PseudonymKey(secret)


def _read_key_file(key_path: Path) -> bytes:
    try:
        fd = os.open(key_path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise KeyFileError(f"pseudonym key file {key_path}: no such file") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise KeyFileError(f"pseudonym key file {key_path}: unreadable ({reason})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise KeyFileError(f"pseudonym key file {key_path}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError(f"pseudonym key file {key_path}: is not a regular file")
        if info.st_size > MAX_KEY_FILE_BYTES:
            raise KeyFileError(_too_large(key_path, info.st_size))
        raw = os.read(fd, MAX_KEY_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise KeyFileError(f"pseudonym key file {key_path}: unreadable ({reason})") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_KEY_FILE_BYTES:
        raise KeyFileError(_too_large(key_path, len(raw)))
    return raw


def _too_large(key_path: Path, size: int) -> str:
    return (
        f"pseudonym key file {key_path}: too large ({size} bytes; a key file holds at most "
        f"{MAX_KEY_FILE_BYTES} bytes)"
    )


def _strip_one_line_end(raw: bytes) -> bytes:
    if raw.endswith(b"\r\n"):
        return raw[:-2]
    if raw.endswith(b"\n"):
        return raw[:-1]
    return raw


def canonical_handle(handle: str) -> str:
    """NFKC, casefold, white space collapsed to single spaces and stripped."""
    folded = unicodedata.normalize("NFKC", handle).casefold()
    return " ".join(folded.split())


def _encoded_digest(key: PseudonymKey, canonical: str) -> str:
    digest = key.digest(canonical.encode("utf-8"))
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def pseudonym(key: PseudonymKey, handle: str) -> str:
    """``u_`` + PSEUDONYM_CHARS lowercase base32 characters of HMAC(key, canonical handle)."""
    return PSEUDONYM_PREFIX + _encoded_digest(key, canonical_handle(handle))[:PSEUDONYM_CHARS]


def pseudonym_map(key: PseudonymKey, handles: Iterable[str]) -> dict[str, str]:
    """Pseudonym of every handle, with truncation collisions resolved.

    Handles with the same canonical form share a pseudonym. When two different
    canonical handles get the same PSEUDONYM_CHARS-character id, every handle of
    that colliding group is extended to the shortest length at which the group's
    ids all differ. The result depends only on the key and the set of handles,
    never on their order.
    """
    by_canonical: dict[str, list[str]] = {}
    for handle in handles:
        by_canonical.setdefault(canonical_handle(handle), []).append(handle)
    encoded = {canonical: _encoded_digest(key, canonical) for canonical in sorted(by_canonical)}
    groups: dict[str, list[str]] = {}
    for canonical, code in encoded.items():
        groups.setdefault(code[:PSEUDONYM_CHARS], []).append(canonical)
    ids: dict[str, str] = {}
    for members in groups.values():
        length = _distinguishing_length([encoded[c] for c in members])
        for canonical in members:
            ids[canonical] = PSEUDONYM_PREFIX + encoded[canonical][:length]
    return {h: ids[c] for c, raw_handles in by_canonical.items() for h in raw_handles}


def _distinguishing_length(codes: list[str]) -> int:
    length = PSEUDONYM_CHARS
    while len({code[:length] for code in codes}) < len(codes):
        length += 1
        if length > _MAX_PSEUDONYM_CHARS:
            raise ValueError("two handles share a full HMAC digest")
    return length
