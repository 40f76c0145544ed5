"""Exercises that say "by hand" or "with the FFT": catch the library shortcut instead.

A check names the functions that would make its exercise trivial (``np.convolve``,
``scipy.signal``'s convolutions, ``convlib``'s methods). While the learner's function runs,
Python's profiler hook (:func:`sys.setprofile`) sees every call it makes, also under another
name (``from numpy import convolve as c``) or from a helper it calls; a call of a named
function is recorded, and the check answers with a hint instead of a point. Nothing is
patched, so the libraries work as usual everywhere else.

Examples
--------
>>> import numpy as np
>>> forbidden = shortcuts()
>>> "numpy.convolve" in forbidden and "numpy.fft.rfft" not in forbidden
True
>>> with Watch(forbidden) as watch:
...     _ = np.convolve([1, 2], [3, 4])
>>> watch.used
['numpy.convolve']
"""

import contextlib
import re
import signal
import sys
import threading
import types

from ..i18n import _
from .values import read_only

__all__ = ["TIME_LIMIT", "Watch", "shortcuts", "time_limit", "watched_call"]

_CONVOLUTION = re.compile(r"conv|correl")
# Libraries whose convolutions count as shortcuts, wherever the learner has imported them.
LIBRARIES = ("numpy", "scipy.signal", "scipy.ndimage", "convlib", "convlib.fast", "torch", "torch.nn.functional")
_setprofile = sys.setprofile  # captured: switching the watch off is itself recorded


def shortcuts(*modules, pattern=_CONVOLUTION):
    """The public functions of `modules` whose names match `pattern` (convolutions and
    correlations), as {shown name: function}. Without `modules`: those of the :data:`LIBRARIES`
    loaded so far, so a check also catches a library the learner imported in the answer cell."""
    modules = modules or [sys.modules[name] for name in LIBRARIES if name in sys.modules]
    found = {}
    for module in modules:
        for name, value in vars(module).items():
            if callable(value) and not isinstance(value, type) and not name.startswith("_") and pattern.search(name):
                found[f"{module.__name__}.{name}"] = value
    return found


TIME_LIMIT = 10.0
"""Seconds a learner's function may run inside a check before it is stopped."""


@contextlib.contextmanager
def time_limit(seconds):
    """Stop the block with a TimeoutError that says so after `seconds` (main thread on Unix;
    elsewhere it runs unbounded, as signals cannot reach it)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(*signal_arguments):
        raise TimeoutError(_("still running after {seconds:g} s, so the check stopped it: does a loop never end?")
                           .format(seconds=seconds))

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _code(function):
    """The code object Python runs for `function` (NumPy's dispatchers wrap a Python function)."""
    function = getattr(function, "_implementation", function)
    function = getattr(function, "__func__", function)
    return getattr(function, "__code__", None)


class Watch:
    """Record which of the `forbidden` functions ({name: function}) run inside the `with` block.

    ``used`` lists their names in the order of first use; a learner's function that touches the
    profiler (``sys.setprofile(None)``) is recorded as ``"sys.setprofile"``.
    """

    def __init__(self, forbidden):
        self.codes = {_code(f): name for name, f in forbidden.items() if _code(f) is not None}
        self.builtins = {id(f): name for name, f in forbidden.items() if isinstance(f, types.BuiltinFunctionType)}
        self.builtins[id(_setprofile)] = "sys.setprofile"
        self.used, self._leaving = [], False

    def _profile(self, frame, event, arg):
        if self._leaving:
            return
        if event == "call":
            name = self.codes.get(frame.f_code)
        elif event == "c_call":
            name = self.builtins.get(id(arg))
        else:
            return
        if name is not None and name not in self.used:
            self.used.append(name)

    def __enter__(self):
        self._previous = sys.getprofile()
        _setprofile(self._profile)
        return self

    def __exit__(self, *exc):
        self._leaving = True
        if sys.getprofile() != self._profile and "sys.setprofile" not in self.used:
            self.used.append("sys.setprofile")
        _setprofile(self._previous)
        return False


read_only(__name__)


def watched_call(function, args, forbidden):
    """The names of the `forbidden` functions that `function(*args)` calls, and its output,
    within the time limit."""
    with time_limit(TIME_LIMIT):
        if not forbidden:
            return [], function(*args)
        with Watch(forbidden) as watch:
            output = function(*args)
    return watch.used, output
