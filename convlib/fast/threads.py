"""The threads convlib.fast shares its tiles with, as one object with a clear lifetime.

Internal to :mod:`convlib.fast`. :data:`POOL` is created empty when the
package is imported; its first parallel call starts helper threads, which
then wait for work between calls; a call that needs more replaces them;
:meth:`Threads.close` stops them (Python also joins them at exit). A child
process made by fork starts with none (:meth:`Threads.forget`), so that
``multiprocessing``'s "fork" context never waits for threads that were not
copied. Calls from several threads at once take turns (one lock), since the
BLAS thread limit they set is one setting per process.
"""

import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

try:  # optional: without it one thread fills the columns, and BLAS multiplies with its own threads
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover (the tests monkeypatch Threads.blas instead)
    ThreadpoolController = None


class Threads:
    """Helper threads, and threadpoolctl's handle on NumPy's BLAS, whose threads they stand in for."""

    def __init__(self):
        self._lock = threading.Lock()   # one parallel call at a time: BLAS's thread count is one setting per process
        self._executor, self._size = None, 0
        self._blas = None

    def blas(self):
        """threadpoolctl's handle on NumPy's BLAS, or None without threadpoolctl."""
        if self._blas is None and ThreadpoolController is not None:
            self._blas = ThreadpoolController().select(user_api="blas")
        return self._blas

    def blas_threads(self):
        """The number of threads BLAS may use now (1 without threadpoolctl)."""
        blas = self.blas()
        return 1 if blas is None else max([lib["num_threads"] or 1 for lib in blas.info()] or [1])

    def workers(self):
        """Threads for the tiles: as many as BLAS may use (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or
        threadpoolctl's limits), at most one per core; one without threadpoolctl."""
        return 1 if self.blas() is None else max(1, min(os.cpu_count() or 1, self.blas_threads()))

    def run(self, work, tiles, plan):
        """Run ``work(queue)`` in plan.workers threads, this one included, that share one queue of tiles.

        BLAS is held to plan.blas_threads meanwhile: one thread with a pool, or for little work
        (on small tiles its threads cost more than they give, and they keep spinning after each
        call, slowing whatever runs next, PyTorch's threads for one).
        """
        queue = deque(range(tiles))               # popleft is atomic: each tile goes to exactly one thread
        blas = self.blas()
        if blas is None:
            return work(queue)
        with self._lock, blas.limit(limits=plan.blas_threads):
            if plan.workers == 1 or self.blas_threads() != 1:  # != 1: another Python thread controls OpenBLAS's
                return work(queue)                             # threads; work in this one, BLAS uses its own
            executor = self._helpers(plan.workers - 1)
            helpers = [executor.submit(work, queue) for _ in range(plan.workers - 1)]
            try:
                work(queue)
            finally:
                for helper in helpers:
                    helper.result()

    def _helpers(self, count):
        """An executor of at least `count` threads that wait for work between calls."""
        if self._size < count:
            self.close()
            self._executor, self._size = ThreadPoolExecutor(count, thread_name_prefix="convlib.fast"), count
        return self._executor

    def close(self):
        """Stop the helper threads (a later parallel call starts new ones)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self._executor, self._size = None, 0

    def forget(self):
        """In a child made by fork: the helper threads were not copied, and the lock may have been
        held by a thread that no longer exists; start afresh (a later call starts new threads)."""
        self._lock = threading.Lock()
        self._executor, self._size = None, 0


POOL = Threads()
"""The threads every call of :func:`convlib.fast.conv2d` shares."""

if hasattr(os, "register_at_fork"):  # POSIX; without it (Windows) there is no fork to survive
    os.register_at_fork(after_in_child=POOL.forget)
