"""The race of notebook 08: direct methods against the FFT, timed on this machine.

Taught in ``notebooks/08_fft.ipynb``. :mod:`convlib.fft` counts what each route
costs; which one is faster is measured, not predicted: :func:`race` times
direct and FFT methods over image and kernel sizes. :data:`RECORDED_RACE` is
one such run (``benchmarks/bench_fft_race.py --record`` writes it to
``convlib/data/fft_race.json``, read here at import):
``RECORDED_RACE["ms"][method][i][j]`` is the median time in milliseconds of a
'same' correlation of an ``image_sizes[i]``-square float64 image with a
``kernel_sizes[j]``-square kernel (None: not run, too slow), and
``RECORDED_RACE["choice"]`` what ``scipy.signal.choose_conv_method`` picked.
:func:`race_winners`, :func:`race_crossover` and :func:`choice_mistakes` read
a record.
"""

import datetime
import json
import math
import platform
import statistics
import time
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import scipy

from . import machine
from .fft import correlate_fft
from .flattening import correlate_im2col
from .sliding_window import correlate_windows
from .validation import as_int, as_positive_number, check_arrays, check_choice
from .i18n import _

__all__ = ["ChoiceMistake", "RACE_METHODS", "RECORDED_RACE", "choice_mistakes", "race", "race_crossover",
           "race_winners"]



def _read_only(value):
    """`value` (parsed JSON) with every dict a read-only mapping and every list a tuple."""
    if isinstance(value, dict):
        return MappingProxyType({key: _read_only(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_read_only(item) for item in value)
    return value


RECORDED_RACE = _read_only(json.loads((resources.files("convlib") / "data" / "fft_race.json").read_text()))
"""A recorded run of :func:`race` (see the module's notes); read-only, as it is every function's default."""


def _signal():
    import scipy.signal  # imported when a race runs: `import convlib` stays light

    return scipy.signal


def _ndimage(x, w):
    import scipy.ndimage

    return scipy.ndimage.correlate(x, w, mode="constant")


RACE_METHODS = {
    # direct: every output is a sum over its window
    "ndimage": ("direct", _ndimage),
    "im2col": ("direct", lambda x, w: correlate_im2col(x, w, "same")),
    "windows": ("direct", lambda x, w: correlate_windows(x, w, "same")),
    "signal direct": ("direct", lambda x, w: _signal().correlate(x, w, "same", method="direct")),
    # through the FFT: the flipped kernel's spectrum times the image's
    "convlib fft": ("fft", lambda x, w: correlate_fft(x, w, "same")),
    "fftconvolve": ("fft", lambda x, w: _signal().fftconvolve(x, w[::-1, ::-1], "same")),
    "oaconvolve": ("fft", lambda x, w: _signal().oaconvolve(x, w[::-1, ::-1], "same")),
}
"""Name -> (kind, f(x, w)) computing ``scipy.signal.correlate(x, w, 'same')`` for odd kernels."""

_GENERIC = ("im2col", "windows", "signal direct")   # direct methods skipped above `direct_limit`


def _median_seconds(function, args, repeat, min_seconds=2e-3):
    """Median time of one call ``function(*args)``, over `repeat` samples of enough calls to
    last `min_seconds` each (short calls are repeated, so that the clock's resolution does not matter)."""
    start = time.perf_counter()
    function(*args)                                      # warm up, and a first estimate
    number = max(1, int(min_seconds / max(time.perf_counter() - start, 1e-7)))
    samples = []
    for _sample in range(repeat):
        start = time.perf_counter()
        for _call in range(number):
            function(*args)
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def race(image_sizes=(64, 128, 256, 512), kernel_sizes=(3, 5, 7, 9, 11, 15, 21, 31), methods=None, repeat=5,
         direct_limit=2**25, seed=0):
    """Time every method of :data:`RACE_METHODS` on N x N float64 images and K x K kernels, 'same' mode.

    Returns a record like :data:`RECORDED_RACE`: ``record["ms"][method][i][j]``
    is the median time in milliseconds for ``image_sizes[i]`` and
    ``kernel_sizes[j]`` (None where the method was skipped: the generic direct
    methods above `direct_limit` multiply-adds, K^2 N^2), and
    ``record["choice"][i][j]`` is what ``scipy.signal.choose_conv_method``
    picks there. Kernel sizes must be odd (every method then agrees on 'same').
    """
    image_sizes = [as_int(n, "image_sizes", minimum=1) for n in image_sizes]
    kernel_sizes = [as_int(k, "kernel_sizes", minimum=1) for k in kernel_sizes]
    if any(k % 2 == 0 for k in kernel_sizes):
        raise ValueError(_("`kernel_sizes` must be odd (so that 'same' has one centre); got {kernel_sizes}").format(
                             kernel_sizes=kernel_sizes))
    methods = list(RACE_METHODS) if methods is None else [check_choice(m, "methods", tuple(RACE_METHODS))
                                                          for m in methods]
    repeat, direct_limit = as_int(repeat, "repeat", minimum=1), as_int(direct_limit, "direct_limit", minimum=1)
    rng = np.random.default_rng(seed)
    ms = {name: [[None] * len(kernel_sizes) for _size in image_sizes] for name in methods}
    choice = [[None] * len(kernel_sizes) for _size in image_sizes]
    for n, k in ((n, k) for n in image_sizes for k in kernel_sizes):   # the image, the result, the FFT's spectra
        check_arrays([((n, n), np.float64)] * 2 + [((n + k, n + k), np.complex128)] * 2,
                     _("a race at N={n}, K={k}").format(n=n, k=k), _("use smaller image_sizes"))
    for i, n in enumerate(image_sizes):
        x = rng.random((n, n))
        for j, k in enumerate(kernel_sizes):
            w = rng.standard_normal((k, k))
            choice[i][j] = _signal().choose_conv_method(x, w, "same")
            for name in methods:
                if name not in _GENERIC or k * k * n * n <= direct_limit:
                    ms[name][i][j] = round(1e3 * _median_seconds(RACE_METHODS[name][1], (x, w), repeat), 4)
    return _record(image_sizes, kernel_sizes, methods, ms, choice, f"medians of {repeat} samples")


def _record(image_sizes, kernel_sizes, methods, ms, choice, timing):
    """A race's timings with where, when and with what they were measured."""
    return {"machine": machine.description(), "date": datetime.date.today().isoformat(), "timing": timing,
            "versions": f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}",
            "dtype": "float64", "mode": "same", "image_sizes": image_sizes, "kernel_sizes": kernel_sizes,
            "kinds": {name: RACE_METHODS[name][0] for name in methods}, "ms": ms, "choice": choice}


def _fastest(record, i, j, kind=None):
    """(name, ms) of the fastest method of `kind` (any if None) at cell (i, j), or (None, inf)."""
    timed = [(ms[i][j], name) for name, ms in record["ms"].items()
             if ms[i][j] is not None and kind in (None, record["kinds"][name])]
    return min(timed, default=(math.inf, None))[::-1]


def race_winners(record=RECORDED_RACE):
    """The fastest method's name at every (image size, kernel size) of a race record.

    Examples
    --------
    >>> record = {"image_sizes": [64], "kernel_sizes": [3, 5],
    ...           "kinds": {"a": "direct", "b": "fft"}, "ms": {"a": [[1, 5]], "b": [[2, 3]]}}
    >>> race_winners(record)
    [['a', 'b']]
    """
    return [[_fastest(record, i, j)[0] for j in range(len(record["kernel_sizes"]))]
            for i in range(len(record["image_sizes"]))]


def race_crossover(record=RECORDED_RACE):
    """For each image size, the smallest kernel size from which an FFT method is
    fastest at that size and every larger one of the record (None if never).

    Examples
    --------
    >>> record = {"image_sizes": [64], "kernel_sizes": [3, 5, 7, 9],
    ...           "kinds": {"a": "direct", "b": "fft"}, "ms": {"a": [[1, 5, 2, 9]], "b": [[2, 3, 3, 3]]}}
    >>> race_crossover(record)
    {64: 9}
    """
    crossover = {}
    for n, winners in zip(record["image_sizes"], race_winners(record)):
        fft_wins = [record["kinds"][name] == "fft" for name in winners]
        losses = [j for j, wins in enumerate(fft_wins) if not wins]
        first = losses[-1] + 1 if losses else 0
        crossover[n] = record["kernel_sizes"][first] if first < len(fft_wins) else None
    return crossover


class ChoiceMistake(NamedTuple):
    """A cell of a race where SciPy's choice of method was not the fastest."""

    image_size: int
    kernel_size: int
    picked: str      # 'fft' or 'direct', choose_conv_method's answer
    picked_ms: float  # the time of SciPy's own method for that answer
    fastest: str
    fastest_ms: float


def choice_mistakes(record=RECORDED_RACE, margin=1.1):
    """Where ``scipy.signal.choose_conv_method``'s pick was not the fastest way.

    Its 'fft' means ``fftconvolve`` and its 'direct' SciPy's generic direct code
    (``signal direct``). Lists every cell of the record where a method of the
    other kind ran faster than SciPy's pick, by more than `margin` times (less
    is timing noise), with both times: ``fastest`` is over every method raced,
    so a compiled direct filter (``ndimage``) counts.

    Examples
    --------
    >>> record = {"image_sizes": [64], "kernel_sizes": [3, 31], "choice": [["fft", "fft"]],
    ...           "kinds": {"ndimage": "direct", "signal direct": "direct", "fftconvolve": "fft"},
    ...           "ms": {"ndimage": [[0.1, 9]], "signal direct": [[0.5, 50]], "fftconvolve": [[0.2, 0.3]]}}
    >>> choice_mistakes(record)
    [ChoiceMistake(image_size=64, kernel_size=3, picked='fft', picked_ms=0.2, fastest='ndimage', fastest_ms=0.1)]
    """
    margin = as_positive_number(margin, "margin")
    found = []
    for i, n in enumerate(record["image_sizes"]):
        for j, k in enumerate(record["kernel_sizes"]):
            picked = record["choice"][i][j]
            own = record["ms"].get("fftconvolve" if picked == "fft" else "signal direct")
            other_kind = "direct" if picked == "fft" else "fft"
            name, ms = _fastest(record, i, j, other_kind)
            if own is not None and own[i][j] is not None and ms * margin < own[i][j]:
                found.append(ChoiceMistake(n, k, picked, own[i][j], name, ms))
    return found
