"""The project's top-level DATASHEET.md: the datasheet of the newest release in dist/.

It is the release's own DATASHEET.md with relative links (figures, files)
pointed into ``dist/X.Y.Z/``, so it can never drift from the data.

    python -m pipeline.docs.toplevel [DIST] [OUT]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_RELATIVE_LINK = re.compile(r"\]\((?!https?://|#|/)([^)]+)\)")


def newest_release(dist: Path) -> Path | None:
    versions = [p for p in dist.iterdir() if p.is_dir() and _VERSION.match(p.name)]
    if not versions:
        return None
    return max(versions, key=lambda p: tuple(int(part) for part in p.name.split(".")))


def toplevel_datasheet(release: Path, dist_prefix: str) -> str:
    text = (release / "DATASHEET.md").read_text(encoding="utf-8")
    return _RELATIVE_LINK.sub(lambda m: f"]({dist_prefix}/{release.name}/{m.group(1)})", text)


def main(argv: list[str]) -> int:
    dist = Path(argv[0]) if argv else Path("dist")
    out = Path(argv[1]) if len(argv) > 1 else Path("DATASHEET.md")
    release = newest_release(dist)
    if release is None or not (release / "DATASHEET.md").is_file():
        print(f"no release with a DATASHEET.md in {dist}; {out} left as it is", file=sys.stderr)
        return 0
    text = toplevel_datasheet(release, dist.as_posix())
    changed = not out.is_file() or out.read_text(encoding="utf-8") != text
    if changed:
        out.write_text(text, encoding="utf-8")
    state = "updated to" if changed else "unchanged,"
    print(
        f"{out}: {state} the datasheet of {release}, the newest release in {dist} "
        "(a preview's datasheet is in its own directory)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
