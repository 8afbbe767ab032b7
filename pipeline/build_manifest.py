"""Which release a build directory made: ``BUILD/release-manifest.json``.

The leak audit needs the raw handles, which only the build's stage outputs
hold (``BUILD/dedupe/comments``). A checkout builds many releases over time
(previews, synthetic corpora, real ones) into the same ``build/``, so
``validate DIST/X.Y.Z`` must audit a release against the handles of the build
that made it, and of no other: another build's handles would both miss this
release's commenters and flag its ordinary words.

The build writes the manifest once the release is published (or found
identical to one already released) and removes it when a new build starts,
so a manifest never vouches for stage outputs it did not see. It records the
version and the sha256 of the release's SHA256SUMS, which pins every file of
the release; :func:`matching_build` compares that with the release on disk.
The manifest holds no handle and no key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.publish import CHECKSUMS, sha256_file

MANIFEST = "release-manifest.json"


@dataclass(frozen=True)
class BuildMatch:
    """Whether ``build_dir`` made ``release_dir``, and if not, why not (one line)."""

    matches: bool
    reason: str


def clear_manifest(build_dir: Path) -> None:
    """A build starts: its outputs no longer belong to any release."""
    (build_dir / MANIFEST).unlink(missing_ok=True)


def write_manifest(build_dir: Path, release_dir: Path, version: str, preview: bool) -> None:
    """The build in ``build_dir`` made the release in ``release_dir``."""
    record = {
        "version": version,
        "preview": preview,
        "release_sha256sums": sha256_file(release_dir / CHECKSUMS),
    }
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / MANIFEST).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def matching_build(release_dir: Path, build_dir: Path | None) -> BuildMatch:
    """Did the build in ``build_dir`` make the release in ``release_dir``?"""
    if build_dir is None:
        return BuildMatch(False, "no build directory given")
    path = build_dir / MANIFEST
    if not path.is_file():
        return BuildMatch(
            False, f"{path} is missing (no finished build there); rebuild this release to audit it"
        )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        made = str(record["release_sha256sums"])
    except (OSError, ValueError, KeyError, TypeError):
        return BuildMatch(False, f"{path} is unreadable; rebuild this release to audit it")
    sums = release_dir / CHECKSUMS
    if not sums.is_file() or sha256_file(sums) != made:
        kind = "preview " if record.get("preview") else ""
        return BuildMatch(
            False,
            f"{build_dir} holds the stage outputs of another build ({kind}release "
            f"{record.get('version')!s}), not of this release; rebuild this release to audit it",
        )
    return BuildMatch(True, f"against {build_dir}, the build that made this release")
