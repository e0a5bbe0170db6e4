"""The numba decorators shared by every compiled kernel of the library.

Kernels live beside the physics they compute (``correlations/_*_kernels.py``,
``components/_hydraulic_kernels.py``, ``fluids/_table_kernels.py``,
``solvers/_*_kernels.py``); only the decorators are shared, so that every kernel
is compiled with the same options. Importing this module imports numba, so the
kernel modules are imported lazily by their callers: ``import narvik_thermal``
stays cheap, and the first call in a process loads the kernels from numba's
on-disk cache (compiling them once per installation). Callers reach them through
their package's ``_kernel_modules`` (``kernels.hydraulic()`` and the like: one
``functools.cache``'d loader per kernel module, holding its import statement): an
import statement in the caller's body ran at every call, about 1.4 µs each and some
270 times an operating point of the 290 MW campus.

- :func:`jit` — ``nogil=True`` (the solver runs its symbolic analysis on a
  second thread while the first evaluates kernels, and sweeps solve on
  threads), ``error_model="numpy"`` (float division by zero gives inf/nan as
  in NumPy instead of raising; the callers guard their own domains), cached
  on disk (see "Cache" below).
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
    layer numba forbids that whatever this library does. A process forked
    from one that has run OpenMP loops (``multiprocessing`` with ``fork``)
    cannot run them at all, so there every call takes the serial twin.

Cache
    numba keeps compiled kernels in ``NUMBA_CACHE_DIR`` when it is set, else
    next to the sources (``__pycache__``), else in the user-wide cache
    (``~/.cache/numba``), the first of these it can write; when it can write
    none (a read-only installation and an unwritable home) it refuses to
    compile a ``cache=True`` function at all ("cannot cache function …: no
    locator available"). The kernels here then go to a private directory in
    the temporary directory, ``<tmp>/narvik_thermal-numba-<uid>`` (mode 0700;
    refused when someone else owns it or may write it, since a cache is code
    that gets run), and when that fails too they compile without a cache.
    Either fallback warns once per process with a
    :class:`~narvik_thermal.errors.KernelCacheWarning` that names the place
    and the fix (set ``NUMBA_CACHE_DIR``). The fallback is a cache locator
    for this library's kernels only: numba's configuration and the caching of
    other packages are left alone.
"""

from __future__ import annotations

import functools
import getpass
import os
import stat
import tempfile
import threading
import types
import warnings

import numba as nb
import numpy as np
from numba.core import caching as _caching

from .errors import KernelCacheWarning

__all__ = ["jit", "jit_inline", "pjit", "ParallelKernel", "broadcast_call"]

_OPTIONS = {"nogil": True, "error_model": "numpy"}


def broadcast_call(kernel, *args, dtypes=None):
    """Call ``kernel``, a compiled loop over 1-D arrays of one length, on ``args``
    broadcast as NumPy broadcasts them: each passed as a contiguous 1-D array of
    float (or of its entry of ``dtypes``); the output, or each of a tuple of outputs,
    reshaped to the broadcast shape (0-d where every argument is a scalar). The NumPy
    functions of the API that call the compiled laws go through it."""
    dtypes = dtypes if dtypes is not None else (float,) * len(args)
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=t) for a, t in zip(args, dtypes)))
    shape = arrays[0].shape
    res = kernel(*(np.ascontiguousarray(a).ravel() for a in arrays))
    if isinstance(res, tuple):
        return tuple(r.reshape(shape) for r in res)
    return res.reshape(shape)


def jit(fn):
    """Compile ``fn`` with numba (``njit``) with the library's options and cache."""
    return _with_cache(nb.njit(**_OPTIONS)(fn))


def jit_inline(fn):
    """Compile ``fn`` with numba to be inlined where a kernel calls it (``njit`` with
    ``inline="always"`` and the library's options): a helper called once per
    supernode, block or node of a loop, whose call would cost more than its work
    (every array argument is reference-counted at each call). Not cached on its
    own: it is compiled into the kernels that call it, which are."""
    return nb.njit(inline="always", **_OPTIONS)(fn)


def pjit(fn=None, *, min_parallel: int = 4096):
    """Compile ``fn`` as a :class:`ParallelKernel` (parallel and serial twin).

    ``@pjit`` or ``@pjit(min_parallel=n)``: calls whose first argument has fewer
    than ``n`` elements run the serial twin (see :attr:`ParallelKernel.min_parallel`).
    """
    if fn is None:
        return lambda f: ParallelKernel(f, min_parallel)
    return ParallelKernel(fn, min_parallel)


#: held while a parallel kernel of the library runs (see "Threads" above);
#: only ever acquired without blocking, so it can neither deadlock nor stay
#: held in a forked child by a thread that does not exist there (see :class:`ParallelKernel`)
PARALLEL_LOCK = threading.Lock()


class ParallelKernel:
    """One kernel source compiled as ``parallel=True`` and as a serial twin.

    Calling the kernel runs :attr:`parallel` when its first (array) argument
    has at least :attr:`min_parallel` elements and no other parallel kernel of
    the library is running in the process, else :attr:`serial` (same
    arguments, same results; ``prange`` runs as ``range``).

    Attributes
    ----------
    parallel, serial : numba.core.registry.CPUDispatcher
        The two compiled versions. The serial twin is compiled (or loaded from
        the cache) the first time a call needs it.
    """

    def __init__(self, fn, min_parallel: int = 4096):
        #: calls whose first argument (the array the loop runs over, or a larger
        #: one) has fewer elements run the serial twin: starting the threads costs
        #: 10–15 µs on an idle machine (milliseconds when the cores are busy with
        #: other work), more than a serial pass over that many elements takes
        self.min_parallel = int(min_parallel)
        self.parallel = _with_cache(nb.njit(parallel=True, **_OPTIONS)(fn))
        # a copy of the function under its own name: numba's cache files are
        # named after the function and its index ignores the compile options,
        # so the twin sharing the name would load the parallel machine code
        twin = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__,
                                  fn.__defaults__, fn.__closure__)
        twin.__qualname__ = fn.__qualname__ + ".serial"
        twin.__module__ = fn.__module__
        twin.__doc__ = fn.__doc__
        self.serial = _with_cache(nb.njit(**_OPTIONS)(twin))
        functools.update_wrapper(self, fn)

    def __call__(self, *args):
        if getattr(args[0], "size", 0) < self.min_parallel:
            return self.serial(*args)
        if PARALLEL_LOCK.acquire(blocking=False):
            try:
                return self.parallel(*args)
            finally:
                PARALLEL_LOCK.release()
        return self.serial(*args)

    def __repr__(self) -> str:
        return f"<ParallelKernel {self.__module__}.{self.__qualname__}>"


def _after_fork_in_child() -> None:
    # GNU OpenMP cannot start threads in a child forked from a process that
    # used it (numba terminates the child: "fork() called from a process
    # already using GNU OpenMP, this is unsafe"): such a child keeps the lock
    # for good, so that its kernels take their serial twins
    try:
        layer = nb.threading_layer()
    except ValueError:                      # no parallel loop has run in the parent
        return
    if layer == "omp":
        PARALLEL_LOCK.acquire(blocking=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# -- cache location -----------------------------------------------------------

def _private_temp_root() -> str | None:
    """``<tmp>/narvik_thermal-numba-<uid>``, created with mode 0700; None when
    it cannot be created or is not a directory private to this user (a cache
    someone else can write is code someone else can run)."""
    try:
        uid = os.getuid()
    except AttributeError:                     # Windows: the temp dir is per user
        uid = None
    try:
        root = os.path.join(tempfile.gettempdir(),
                            f"narvik_thermal-numba-{getpass.getuser() if uid is None else uid}")
        os.makedirs(root, mode=0o700, exist_ok=True)
        st = os.lstat(root)
    except (OSError, KeyError):                 # no temp dir, or getuser() found no name
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    if uid is not None and (st.st_uid != uid or st.st_mode & 0o022):
        return None
    return root


class _TempDirCacheLocator(_caching._SourceFileBackedLocatorMixin, _caching._CacheLocator):
    """Cache in :func:`_private_temp_root`, laid out as numba's ``NUMBA_CACHE_DIR``."""

    def __init__(self, py_func, py_file, root):
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = os.path.join(root, self.get_suitable_cache_subpath(py_file))

    def get_cache_path(self):
        return self._cache_path

    @classmethod
    def from_function(cls, py_func, py_file):
        root = _private_temp_root()
        if root is None or not os.path.exists(py_file):
            return None
        self = cls(py_func, py_file, root)
        try:
            self.ensure_cache_path()
        except OSError:
            return None
        return self


class _CacheImpl(_caching.CompileResultCacheImpl):
    # numba's own locators first, in numba's order; the temporary directory last
    _locator_classes = [*_caching.CompileResultCacheImpl._locator_classes, _TempDirCacheLocator]


class _FunctionCache(_caching.FunctionCache):
    _impl_class = _CacheImpl


_warned: set[str] = set()
_warned_lock = threading.Lock()


def _warn_once(kind: str, message: str) -> None:
    with _warned_lock:
        if kind in _warned:
            return
        _warned.add(kind)
    warnings.warn(message, KernelCacheWarning, stacklevel=2)


_FIX = ("To choose where they are kept, set the environment variable NUMBA_CACHE_DIR "
        "to a writable directory that persists (a project or scratch volume) before "
        "starting Python.")


def _with_cache(disp):
    """Give the dispatcher ``disp`` an on-disk cache (``cache=True`` with the
    fallbacks described in the module documentation) and return it."""
    try:
        cache = _FunctionCache(disp.py_func)
    except RuntimeError as exc:                 # "cannot cache function …: no locator available"
        _warn_once("none", (
            "numba cannot write a cache for narvik_thermal's compiled kernels: "
            "not next to the sources, not in the user-wide cache and not in a private "
            f"directory of the temporary directory ({exc}). The kernels are compiled "
            "without a cache, again in every new process (about 25 s on 2 cores). " + _FIX))
        return disp
    if isinstance(cache._impl.locator, _TempDirCacheLocator):
        given = f" nor in NUMBA_CACHE_DIR ({nb.config.CACHE_DIR})" if nb.config.CACHE_DIR else ""
        _warn_once("temp", (
            "numba cannot write its cache next to narvik_thermal's sources nor in the "
            f"user-wide cache directory{given}; the compiled kernels are cached in "
            f"{os.path.dirname(cache.cache_path)} instead, which the system may clear "
            "(then the next process compiles them again, about 25 s on 2 cores). " + _FIX))
    disp._cache = cache
    return disp
