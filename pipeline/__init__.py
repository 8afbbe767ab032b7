"""Comment-corpus pipeline: raw news pages with reader comments -> a versioned,
validated, anonymised release (see ../shared/CONTRACT.md and README.md).

Data flows one way:

    seeds/ -> ingest -> parse -> dedupe -> anonymise -> publish -> dist/X.Y.Z/

Each stage lives in ``pipeline/stages/``; the runner (``pipeline/runner.py``)
owns all file I/O, ordering and schema checks.
"""

__version__ = "0.1.0"
