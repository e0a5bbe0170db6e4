"""The numba decorators shared by every compiled kernel of the library.

Kernels live beside the physics they compute (``correlations/_*_kernels.py``,
``components/_hydraulic_kernels.py``, ``fluids/_table_kernels.py``,
``solvers/_*_kernels.py``); only the decorators are shared, so that every kernel
is compiled with the same options. Importing this module imports numba, so the
kernel modules are imported lazily by their callers: ``import narvik_thermal``
stays cheap, and the first call in a process loads the kernels from numba's
on-disk cache (compiling them once per installation).

- :func:`jit` — ``nogil=True`` (the solver runs its symbolic analysis on a
  second thread while the first evaluates kernels, and sweeps solve on
  threads), ``error_model="numpy"`` (float division by zero gives inf/nan as
  in NumPy instead of raising; the callers guard their own domains),
  ``cache=True`` (compiled once, kept on disk).
- :func:`pjit` — for loops whose iterations are independent (``prange``): the
  same options, compiled twice from the one source, with ``parallel=True`` and
  as a serial twin (where ``prange`` is ``range``); see :class:`ParallelKernel`.
  A parallel kernel is called from Python, not from another kernel.

Threads
    numba runs every ``parallel=True`` loop of the process on one threading
    layer: TBB, OpenMP or, when neither library loads, its own ``workqueue``.
    The workqueue layer aborts the whole process when two threads enter
    parallel loops at the same time ("Concurrent access has been detected"),
    and with OpenMP every concurrent call starts its own team of threads, more
    threads than cores. A :class:`ParallelKernel` therefore runs its parallel
    version only while no other parallel kernel of the library is running; a
    call that finds one running (another thread's solve) takes the serial twin
    instead. It never waits, the rule does not
    depend on the threading layer, and it costs one non-blocking lock
    acquisition per call. Other packages' ``parallel=True`` code running at
    the same time on other threads is outside this rule: under the workqueue
    layer numba forbids that whatever this library does.
"""

from __future__ import annotations

import functools
import threading
import types

import numba as nb

__all__ = ["jit", "pjit", "ParallelKernel"]

_OPTIONS = {"cache": True, "nogil": True, "error_model": "numpy"}


def jit(fn):
    """Compile ``fn`` with numba (``njit``) with the library's options."""
    return nb.njit(**_OPTIONS)(fn)


def pjit(fn):
    """Compile ``fn`` as a :class:`ParallelKernel` (parallel and serial twin)."""
    return ParallelKernel(fn)


#: held while a parallel kernel of the library runs (see "Threads" above);
#: only ever acquired without blocking, so it can neither deadlock nor stay
#: held in a forked child by a thread that does not exist there
_parallel_running = threading.Lock()


class ParallelKernel:
    """One kernel source compiled as ``parallel=True`` and as a serial twin.

    Calling the kernel runs :attr:`parallel` when no other parallel kernel of
    the library is running in the process, else :attr:`serial` (same
    arguments, same results; ``prange`` runs as ``range``).

    Attributes
    ----------
    parallel, serial : numba.core.registry.CPUDispatcher
        The two compiled versions. The serial twin is compiled (or loaded from
        the cache) the first time a call needs it.
    """

    def __init__(self, fn):
        self.parallel = nb.njit(parallel=True, **_OPTIONS)(fn)
        # a copy of the function under its own name: numba's cache files are
        # named after the function and its index ignores the compile options,
        # so the twin sharing the name would load the parallel machine code
        twin = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__,
                                  fn.__defaults__, fn.__closure__)
        twin.__qualname__ = fn.__qualname__ + ".serial"
        twin.__module__ = fn.__module__
        twin.__doc__ = fn.__doc__
        self.serial = nb.njit(**_OPTIONS)(twin)
        functools.update_wrapper(self, fn)

    def __call__(self, *args):
        if _parallel_running.acquire(blocking=False):
            try:
                return self.parallel(*args)
            finally:
                _parallel_running.release()
        return self.serial(*args)

    def __repr__(self) -> str:
        return f"<ParallelKernel {self.__module__}.{self.__qualname__}>"
