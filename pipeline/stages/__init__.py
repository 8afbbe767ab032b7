"""Pipeline stages, one module each: pure functions from Arrow tables to
Arrow tables plus a report (see pipeline/stage.py). No stage reads or writes
files; the runner does."""
