"""What documentation generators may know about a release."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

TABLES = ("articles", "comments", "duplicates", "sources")


@dataclass(frozen=True)
class ReleaseContext:
    """Everything a generated document may quote.

    ``tables`` are the released tables (articles, comments, duplicates,
    sources), already anonymised; ``table_files`` lists, per table, the file
    names under the release directory that hold it, in row order (one file, or
    numbered shards: pipeline/shards.py); ``stage_reports`` are the runner's
    per-stage reports (figures only, never handles); ``key_fingerprint`` is the
    pseudonym key's public fingerprint; ``previous_release`` is the newest
    earlier version directory in dist/ (for the changelog), or None;
    ``contact`` is the maintainers' takedown address (``[tool.corpus]``), or None.
    """

    version: str
    date: str
    preview: bool
    key_fingerprint: str
    tables: Mapping[str, pa.Table]
    table_files: Mapping[str, tuple[str, ...]]
    stage_reports: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    previous_release: Path | None = None
    contact: str | None = None
    name: str = "news-comment-threads"
    title: str = "News comment threads corpus"
