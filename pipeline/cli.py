"""Command line, exactly as CONTRACT.md:

    python -m pipeline release --seeds DIR --dist DIR --version X.Y.Z [--key-file FILE]
        [--workers N | --scheduler tcp://HOST:PORT] [--partition-pages N]
    python -m pipeline validate DIST/X.Y.Z

``--workers N`` runs the per-page stages on a local Dask cluster of N worker
processes, ``--scheduler`` on an existing Dask cluster; the release is
byte-identical to the one built in process.

Exit 0 on success; non-zero with a one-line reason on stderr otherwise (1: the
data or release is wrong, or the file system failed; 2: the command line is
wrong). Details (which checks failed) are printed above the reason. What can
be checked before the stages run is: the version (exactly MAJOR.MINOR.PATCH,
at most 64 characters), the key file (a regular file of at most 4 KiB) and
BUILD and DIST (directories this run can write). A file-system failure
during the run (disk full, file too large, read-only, name too long,
permission denied) is one line naming the path and the reason, never a
traceback. Never prints the key or a commenter handle.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from rich.console import Console

from pipeline.errors import CorpusError

KEY_ENV = "CORPUS_PSEUDONYM_KEY_FILE"


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` shows each option's default, where it has one."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, argparse.SUPPRESS) or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Build and check releases of the news comment corpus.",
        formatter_class=_Help,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser(
        "release",
        formatter_class=_Help,
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
        "--key-file",
        type=Path,
        default=None,
        help=f"pseudonym key file (else ${KEY_ENV}; neither: a preview build)",
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
        formatter_class=_Help,
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
        help="seed files per partition of the per-page stages",
    )


def _key_path(arg: Path | None) -> Path | None:
    if arg is not None:
        return arg
    env = os.environ.get(KEY_ENV)
    return Path(env) if env else None


def _release(args: argparse.Namespace, console: Console) -> int:
    from pipeline.build import build_release, check_output_dirs
    from pipeline.executors import make_executor
    from pipeline.pseudonyms import load_key
    from pipeline.seeds import seed_entries
    from pipeline.versions import parse_version

    parse_version(args.version)
    key_path = _key_path(args.key_file)
    key = load_key(key_path) if key_path else None
    if args.partition_pages < 1:
        raise ValueError(f"--partition-pages must be at least 1, not {args.partition_pages}")
    seed_entries(args.seeds)
    check_output_dirs(args.build, None if key is None else args.dist)
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
        replaced = " (replacing the previous preview)" if outcome.status == "replaced" else ""
        console.print(
            f"[bold green]{kind} {args.version} written to {outcome.path}[/]{replaced} "
            f"(pseudonym key fingerprint {result.key_fingerprint}); its datasheet is "
            f"{outcome.path / 'DATASHEET.md'}"
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


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """The arguments; an unknown one is reported with its own command's usage."""
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        commands = next(
            a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
        )
        commands.choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    # soft_wrap: lines are never cut at 80 columns when stderr is not a terminal
    # (make, CI, a log file); a terminal wraps them itself.
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        if args.command == "release":
            return _release(args, console)
        return _validate(args, console)
    except ValueError as error:
        print(f"error: {_one_line(str(error))}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {os_error_line(error)}", file=sys.stderr)
        return 1
    except Exception as error:
        if not _user_facing(error):
            raise
        first, *details = str(error).splitlines() or [type(error).__name__]
        for line in details:
            console.print(line, markup=False)
        print(f"error: {first}", file=sys.stderr)
        return 1


_OS_ERROR_HINTS = {
    errno.ENOSPC: "free some space or choose another --build/--dist",
    errno.EDQUOT: "free some space or choose another --build/--dist",
    errno.EFBIG: "a file outgrew the file size limit (ulimit -f)",
    errno.EROFS: "choose a writable --build/--dist (or working directory)",
    errno.EACCES: "choose a writable --build/--dist (or working directory)",
    errno.EPERM: "choose a writable --build/--dist (or working directory)",
    errno.ENAMETOOLONG: "use a shorter path",
}


def os_error_line(error: OSError) -> str:
    """One line for a file-system failure: the path, the reason and what to do."""
    from pipeline.output_dirs import describe_os_error

    if error.filename is None:
        return _one_line(str(error) or describe_os_error(error))
    where = str(error.filename)
    if error.filename2 is not None:
        where += f" -> {error.filename2}"
    line = f"{where}: {describe_os_error(error)}"
    hint = _OS_ERROR_HINTS.get(error.errno) if error.errno else None
    return _one_line(f"{line}; {hint}" if hint else line)


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines) if lines else text


def _user_facing(error: Exception) -> bool:
    """Failures a user can act on (as opposed to bugs, which keep their traceback)."""
    from pipeline.pseudonyms import KeyFileError

    return isinstance(error, CorpusError | KeyFileError)
