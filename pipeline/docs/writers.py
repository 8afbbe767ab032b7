"""Put each generated document into a release directory.

The publisher calls every writer in :data:`DOCUMENT_WRITERS` with the release
context and the directory being built, after the Parquet files are written
(Croissant records their sha256). The changelog writer also enforces SemVer:
a version number smaller than the changes demand stops the release.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pipeline.docs.card import dataset_card
from pipeline.docs.changelog import changelog, version_satisfies
from pipeline.docs.citation import citation_cff, license_text
from pipeline.docs.context import ReleaseContext
from pipeline.docs.croissant import croissant
from pipeline.docs.datasheet import FIGURE_DIR, render_datasheet
from pipeline.docs.figures import render_figures
from pipeline.errors import VersionTooSmall


def _sha256(path: Path) -> str:
    from pipeline.publish import sha256_file

    return sha256_file(path)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def write_datasheet(ctx: ReleaseContext, out_dir: Path) -> None:
    for name, png in sorted(render_figures(ctx).items()):
        target = out_dir / FIGURE_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
    write_text(out_dir / "DATASHEET.md", render_datasheet(ctx))


def write_croissant(ctx: ReleaseContext, out_dir: Path) -> None:
    hashes = {name: _sha256(out_dir / name) for files in ctx.table_files.values() for name in files}
    document = croissant(ctx, hashes)
    write_text(out_dir / "croissant.json", json.dumps(document, indent=2, ensure_ascii=False))


def write_card(ctx: ReleaseContext, out_dir: Path) -> None:
    write_text(out_dir / "README.md", dataset_card(ctx))


def write_citation_and_licence(ctx: ReleaseContext, out_dir: Path) -> None:
    write_text(out_dir / "CITATION.cff", citation_cff(ctx))
    write_text(out_dir / "LICENSE-DATA.md", license_text(ctx))


def write_changelog(ctx: ReleaseContext, out_dir: Path) -> None:
    text, bump = changelog(ctx)
    previous = ctx.previous_release
    if previous is not None and not version_satisfies(previous.name, ctx.version, bump):
        raise VersionTooSmall(
            f"version {ctx.version} is too small: the changes since {previous.name} "
            f"demand a {bump} version bump (see the changelog rules in pipeline/docs/changelog.py)"
        )
    write_text(out_dir / "CHANGELOG.md", text)


DOCUMENT_WRITERS: tuple[Callable[[ReleaseContext, Path], None], ...] = (
    write_changelog,
    write_datasheet,
    write_croissant,
    write_card,
    write_citation_and_licence,
)
