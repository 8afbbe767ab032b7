"""``python -m pipeline``: the command line (see pipeline/cli.py)."""

from pipeline.cli import main

raise SystemExit(main())
