"""The dask client of a sweep or a parallel year: the caller's, or a local cluster
started for the call (one single-threaded worker process per core — the solver
holds the GIL — and no more than there are tasks) and closed afterwards."""

from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator

from ..errors import InputError


@contextlib.contextmanager
def dask_client(client: Any, tasks: int, who: str) -> Iterator[Any]:
    """Yield a ``distributed.Client``: ``client`` itself, or (``client=None``) one of a
    local cluster of ``min(tasks, cores)`` workers, closed on exit. ``who`` names the
    caller in the messages."""
    try:
        import distributed
    except ImportError:
        raise ImportError(f"{who}: a dask cluster needs dask.distributed, an optional "
                          "dependency: pip install 'narvik_thermal[sweep]' (or "
                          "'dask[distributed]'), or run in this process with "
                          "client=False.") from None
    if client is None:
        n = max(1, min(tasks, os.cpu_count() or 1))
        try:
            cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1,
                                               processes=True, dashboard_address=None)
        except RuntimeError as exc:
            # worker processes are spawned: they import the caller's main module, and a
            # script that starts the cluster at import time cannot be imported that way
            raise InputError(
                f"{who}: the local dask cluster's worker processes did not start "
                f"({exc}). A script that calls {who}(client=None) must do it under "
                "'if __name__ == \"__main__\":' (worker processes import the script), or "
                "pass client=False to run in this process, or a distributed.Client of "
                "your own.") from None
        own = distributed.Client(cluster)
        try:
            yield own
        finally:
            own.close()
            cluster.close()
        return
    if not isinstance(client, distributed.Client):
        raise InputError(f"{who}: client={client!r} must be None (a local cluster), a "
                         "distributed.Client or False (in this process).")
    yield client
