"""Command line, exactly as CONTRACT.md:

    python -m pipeline release --seeds DIR --dist DIR --version X.Y.Z [--key-file FILE]
        [--workers N | --scheduler tcp://HOST:PORT] [--partition-pages N]
    python -m pipeline validate DIST/X.Y.Z

``--workers N`` runs the per-page stages on a local Dask cluster of N worker
processes, ``--scheduler`` on an existing Dask cluster; the release is
byte-identical to the one built in process.

Exit 0 on success; non-zero with a one-line reason on stderr otherwise (1: the
data or release is wrong; 2: the command line is wrong). Details (which
checks failed) are printed above the reason. Never prints the key or a
commenter handle.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from pipeline.errors import CorpusError

KEY_ENV = "CORPUS_PSEUDONYM_KEY_FILE"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Build and check releases of the news comment corpus.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser(
        "release",
        help="build a release from the seed pages",
        description=(
            "Parse, deduplicate and anonymise every file in --seeds and publish DIST/X.Y.Z. "
            f"Without --key-file (or {KEY_ENV}) this is a preview build written to "
            "BUILD/preview/X.Y.Z with pseudonyms from a random key."
        ),
    )
    release.add_argument("--seeds", type=Path, default=Path("seeds"), help="seed pages directory")
    release.add_argument("--dist", type=Path, default=Path("dist"), help="releases directory")
    release.add_argument("--version", required=True, help="release version, MAJOR.MINOR.PATCH")
    release.add_argument(
        "--key-file", type=Path, default=None, help=f"pseudonym key file (else ${KEY_ENV})"
    )
    release.add_argument(
        "--build", type=Path, default=Path("build"), help="stage outputs and previews go here"
    )
    release.add_argument(
        "--date", default=None, help="release date YYYY-MM-DD (default: kept, or today)"
    )
    _add_engine_options(release)
    validate = commands.add_parser(
        "validate",
        help="re-check a release on disk",
        description=(
            "Check a release directory: checksums, datapackage.json, pandera and Frictionless on "
            "every table, keys across tables, and the privacy audit when BUILD holds the stage "
            "outputs of the build that made this release (else the audit is skipped, and it "
            "says why). Lists every problem; exits non-zero if there is any."
        ),
    )
    validate.add_argument("release_dir", type=Path, help="DIST/X.Y.Z")
    validate.add_argument(
        "--build", type=Path, default=Path("build"), help="build dir with raw stage outputs"
    )
    return parser


def _add_engine_options(release: argparse.ArgumentParser) -> None:
    from pipeline.build import PARTITION_PAGES

    engine = release.add_mutually_exclusive_group()
    engine.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="run the per-page stages on a local Dask cluster of N worker processes",
    )
    engine.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run the per-page stages on the Dask cluster at ADDRESS (tcp://HOST:PORT)",
    )
    release.add_argument(
        "--partition-pages",
        type=int,
        default=PARTITION_PAGES,
        metavar="N",
        help=f"seed files per partition of the per-page stages (default {PARTITION_PAGES})",
    )


def _key_path(arg: Path | None) -> Path | None:
    if arg is not None:
        return arg
    env = os.environ.get(KEY_ENV)
    return Path(env) if env else None


def _release(args: argparse.Namespace, console: Console) -> int:
    from pipeline.build import build_release
    from pipeline.executors import make_executor
    from pipeline.pseudonyms import load_key

    key_path = _key_path(args.key_file)
    key = load_key(key_path) if key_path else None
    if args.partition_pages < 1:
        raise ValueError(f"--partition-pages must be at least 1, not {args.partition_pages}")
    executor = make_executor(args.workers, args.scheduler)
    try:
        console.print(f"per-page stages run on: {executor.describe()}", markup=False)
        result = build_release(
            args.seeds,
            args.dist,
            args.version,
            key,
            build_dir=args.build,
            date=args.date,
            console=console,
            executor=executor,
            partition_pages=args.partition_pages,
        )
    finally:
        executor.close()
    outcome = result.outcome
    kind = "preview release" if result.preview else "release"
    if outcome.status == "already released":
        console.print(f"{outcome.path}: already released, identical content; nothing to do")
    else:
        console.print(
            f"[bold green]{kind} {args.version} written to {outcome.path}[/] "
            f"(pseudonym key fingerprint {result.key_fingerprint})"
        )
    return 0


def _validate(args: argparse.Namespace, console: Console) -> int:
    from pipeline.validate import validate_release

    notes: list[str] = []
    problems, warnings = validate_release(args.release_dir, build_dir=args.build, notes=notes)
    for note in notes:
        console.print(note, markup=False)
    for warning in warnings:
        console.print(f"warning: {warning}", markup=False)
    for problem in problems:
        console.print(f"problem: {problem}", markup=False)
    if problems:
        print(
            f"error: {args.release_dir} failed validation: {len(problems)} problem(s)",
            file=sys.stderr,
        )
        return 1
    console.print(f"{args.release_dir}: valid", markup=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(stderr=True, highlight=False)
    try:
        if args.command == "release":
            return _release(args, console)
        return _validate(args, console)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        if not _user_facing(error):
            raise
        first, *details = str(error).splitlines() or [type(error).__name__]
        for line in details:
            console.print(line, markup=False)
        print(f"error: {first}", file=sys.stderr)
        return 1


def _user_facing(error: Exception) -> bool:
    """Failures a user can act on (as opposed to bugs, which keep their traceback)."""
    from pipeline.pseudonyms import KeyFileError

    return isinstance(error, CorpusError | KeyFileError)
