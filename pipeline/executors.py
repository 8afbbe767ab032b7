"""Executors: where the partitions of a per-page stage run.

The runner hands an executor a picklable top-level function, a stream of
partition tasks and optionally one ``common`` value every task needs (e.g.
the release's pseudonym map); the executor yields ``(index, func(task,
common))`` pairs, in any order. Dask sends ``common`` to each worker once,
not with every task.
The runner writes each outcome under its partition's own file name and merges
in partition order, so the result never depends on the executor or on which
partition finished first.

* :class:`LocalExecutor`: in this process, partitions one after another.
* :class:`DaskExecutor`: on a ``dask.distributed`` cluster, either an existing
  scheduler (``--scheduler tcp://HOST:PORT``) or a ``LocalCluster`` of worker
  processes it starts (``--workers N``). At most a few partitions per worker
  thread are in flight, so memory in this process stays bounded however large
  the corpus. Inputs are scattered straight to workers (not embedded in the
  task graph); results come back to this process, which does all file I/O, so
  workers need the ``pipeline`` package installed but no shared file system.

Traps: worker processes are spawned and re-import the caller's ``__main__``
module, so any script that builds a release must guard its entry point with
``if __name__ == "__main__":``; and only top-level functions and plain data
may be sent (no lambdas or closures).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from pipeline.errors import CorpusError

Task = TypeVar("Task")
Outcome = TypeVar("Outcome")

IN_FLIGHT_PER_THREAD = 2
LOCAL_WORKER_MEMORY = "4GiB"
CONNECT_TIMEOUT_SECONDS = 20


class ClusterUnavailable(CorpusError):
    """The Dask scheduler cannot be reached (or the local cluster did not start)."""


class Executor(Protocol):
    """Runs a function over a stream of partitions."""

    def describe(self) -> str:
        """One line for the run log, e.g. ``local`` or ``dask: 2 workers``."""
        ...

    def imap(
        self, func: Callable[[Task, Any], Outcome], tasks: Iterable[Task], common: Any = None
    ) -> Iterator[tuple[int, Outcome]]:
        """``(index, func(task, common))`` for every task, in any order."""
        ...

    def idle(self) -> None:
        """No more partitions will come: give back what the workers hold, if they are ours."""
        ...

    def close(self) -> None: ...


class LocalExecutor:
    """Partitions one after another, in this process."""

    def describe(self) -> str:
        return "local (in process)"

    def imap(
        self, func: Callable[[Task, Any], Outcome], tasks: Iterable[Task], common: Any = None
    ) -> Iterator[tuple[int, Outcome]]:
        for index, task in enumerate(tasks):
            yield index, func(task, common)

    def idle(self) -> None:
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskExecutor:
    """Partitions on a dask.distributed cluster, a bounded number in flight."""

    def __init__(self, client: Any, cluster: Any = None, label: str = "dask"):
        self.client = client
        self._cluster = cluster
        self._label = label

    @classmethod
    def local_cluster(cls, n_workers: int, memory_limit: str = LOCAL_WORKER_MEMORY) -> DaskExecutor:
        """Start a LocalCluster of ``n_workers`` single-threaded worker processes."""
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=None,
        )
        return cls(Client(cluster), cluster, f"dask LocalCluster: {n_workers} worker process(es)")

    @classmethod
    def connect(cls, address: str) -> DaskExecutor:
        """Use the running scheduler at ``address`` (e.g. tcp://HOST:8786)."""
        from distributed import Client

        try:
            client = Client(address, timeout=CONNECT_TIMEOUT_SECONDS)
        except (OSError, TimeoutError) as error:
            raise ClusterUnavailable(
                f"no Dask scheduler answers at {address} ({type(error).__name__}: {error}); "
                "start one (dask scheduler, dask-jobqueue, dask-kubernetes) or use --workers N"
            ) from None
        return cls(client, None, f"dask scheduler {address}")

    def describe(self) -> str:
        return f"{self._label} ({self._threads()} thread(s))"

    def _threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def imap(
        self, func: Callable[[Task, Any], Outcome], tasks: Iterable[Task], common: Any = None
    ) -> Iterator[tuple[int, Outcome]]:
        from distributed import as_completed

        stream = enumerate(tasks)
        # a one-element list: scattering a dict itself would scatter each value
        [shared] = self.client.scatter([common], broadcast=True, hash=False)
        limit = IN_FLIGHT_PER_THREAD * self._threads()
        running = as_completed()
        index_of: dict[str, int] = {}
        for _ in range(limit):
            if not self._submit(func, stream, shared, running, index_of):
                break
        for future in running:
            index = index_of.pop(future.key)
            outcome = future.result()
            future.release()
            self._submit(func, stream, shared, running, index_of)
            yield index, outcome
        shared.release()

    def _submit(
        self,
        func: Callable[[Task, Any], Outcome],
        stream: Iterator[tuple[int, Task]],
        shared: Any,
        running: Any,
        index_of: dict[str, int],
    ) -> bool:
        try:
            index, task = next(stream)
        except StopIteration:
            return False
        data = self.client.scatter(task, hash=False)
        future = self.client.submit(func, data, shared, pure=False)
        index_of[future.key] = index
        running.add(future)
        return True

    def idle(self) -> None:
        """Restart the workers of a cluster this executor started (--workers N): the
        whole-table steps that follow run in this process, and idle workers would
        keep the memory of their last partitions. A cluster the user runs is left as is."""
        if self._cluster is not None:
            nanny = logging.getLogger("distributed.nanny")
            level = nanny.level
            nanny.setLevel(logging.ERROR)  # "Restarting worker" is expected here, not a warning
            try:
                self.client.restart()
            finally:
                nanny.setLevel(level)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor the command line asks for: Dask if --scheduler or --workers, else local."""
    if workers is not None and scheduler is not None:
        raise ValueError("give --workers N or --scheduler ADDRESS, not both")
    if scheduler is not None:
        return DaskExecutor.connect(scheduler)
    if workers is not None:
        if workers < 1:
            raise ValueError(f"--workers must be at least 1, not {workers}")
        return DaskExecutor.local_cluster(workers)
    return LocalExecutor()
