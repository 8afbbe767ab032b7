"""Benchmarks: figures measured on this machine, printed, never timed tests.

Each module is runnable (``python -m pipeline.bench.<name>``) and measures
every contender in its own child process so peak memory is per contender.
Benchmarks may generate data and print; they never write into build/ or dist/.
"""
