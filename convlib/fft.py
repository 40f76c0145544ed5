"""The convolution theorem: convolution in space is multiplication of spectra.

Taught in ``notebooks/08_fft.ipynb``. The discrete Fourier transform (DFT) of a
*circular* convolution is the product of the DFTs (:func:`dft_matrix` writes the
DFT as a matrix; every circulant matrix is diagonal in its basis). Multiplying
two spectra therefore gives a convolution that wraps around
(:func:`circular_convolve`); correlation multiplies by the complex conjugate
instead (:func:`circular_correlate`), the flip of notebook 07 in frequency
space. Zero-padding both arrays to at least N + M - 1 samples per axis makes the
wrap-around land on zeros, which gives the ordinary (linear) convolution; the
padded length is rounded up to a size the FFT handles fast
(:func:`scipy.fft.next_fast_len`, :func:`fft_size`).

`mode` gives the output length per axis: 'full' N+M-1, 'same' N, 'valid' N-M+1.

What it costs (:func:`flop_counts`, :func:`fft_layer_flops`): a direct
correlation does K^2 multiply-adds per output, K^2 N^2 for an N x N image and
a K x K kernel ('same'); the FFT route costs three transforms of P x P numbers,
about P^2 log2(P^2) each, whatever K is (P = N + K - 1, rounded up to a fast
size). Which one is faster on a machine is measured, not predicted:
:func:`race` times direct and FFT methods over image and kernel sizes, and
:data:`RECORDED_RACE` holds one such run (``benchmarks/bench_fft_race.py``).
"""

import datetime
import math
import os
import platform
import statistics
import time
from typing import NamedTuple

import numpy as np
import scipy
import scipy.fft

from .fft_race import RECORDED_RACE
from .flipping import _flip
from .im2col import correlate_im2col
from .modes import _output_shape, _pad_widths, prepare
from .sliding_window import correlate_windows
from .validation import as_array, as_int, as_positive_number, check_choice, check_memory

__all__ = ["ChoiceMistake", "FlopCounts", "LayerFlops", "RACE_METHODS", "RECORDED_RACE", "choice_mistakes",
           "circular_convolve", "circular_correlate", "correlate_fft", "dft_matrix", "fft_layer_flops", "fft_size",
           "flop_counts", "frequency_response", "race", "race_crossover", "race_winners"]


# --- The DFT and the theorem -------------------------------------------------------------

def dft_matrix(n):
    """The n x n DFT matrix F, with ``F @ x == np.fft.fft(x)``.

    ``F[f, t] = exp(-2j * pi * f * t / n)``: row f holds the wave of frequency f
    (f periods over the n samples), and ``F @ x`` takes the dot product of `x`
    with each wave. Its inverse is ``F.conj() / n``.

    Examples
    --------
    >>> F = dft_matrix(4)
    >>> F.round(10).real.astype(int)
    array([[ 1,  1,  1,  1],
           [ 1,  0, -1,  0],
           [ 1, -1,  1, -1],
           [ 1,  0, -1,  0]])
    >>> bool(np.allclose(F @ [1, 2, 3, 4], np.fft.fft([1, 2, 3, 4])))
    True
    """
    n = as_int(n, "n", minimum=1)
    check_memory((n, n), np.complex128, "the DFT matrix", "use scipy.fft.fft, which never builds it")
    t = np.arange(n)
    return np.exp(-2j * np.pi * np.outer(t, t) / n)


def _check_circular(x, kernel):
    x = as_array(x, "x", ndim=(1, 2))
    kernel = as_array(kernel, "kernel", ndim=x.ndim)
    if any(m > n for n, m in zip(x.shape, kernel.shape)):
        raise ValueError(
            f"`kernel` must not be larger than `x` for a circular convolution; "
            f"got kernel shape {kernel.shape} for x shape {x.shape}"
        )
    return x, kernel


def circular_convolve(x, kernel):
    """What multiplying unpadded spectra gives: convolution that wraps around.

    The kernel is zero-padded to the shape of `x` (not beyond), so outputs near
    the start mix in values from the end of `x`.

    Examples
    --------
    >>> circular_convolve([1, 2, 3, 4], [1, 1])
    array([5., 3., 5., 7.])
    """
    x, kernel = _check_circular(x, kernel)
    spectrum = scipy.fft.rfftn(x, x.shape) * scipy.fft.rfftn(kernel, x.shape)
    return scipy.fft.irfftn(spectrum, x.shape)


def circular_correlate(x, kernel):
    """Correlation that wraps around, ``y[i] = sum_k kernel[k] x[(i + k) % N]``: the
    spectrum of `x` times the complex CONJUGATE of the kernel's spectrum.

    For a real kernel, conjugating its spectrum is reversing it around index 0
    (notebook 07's flip, done in frequency space). The result is
    ``circulant_matrix(x.shape, kernel) @ x.ravel()`` (notebook 05).

    Examples
    --------
    >>> circular_correlate([1, 2, 3, 4], [1, 10]).round(10)
    array([21., 32., 43., 14.])
    """
    x, kernel = _check_circular(x, kernel)
    spectrum = scipy.fft.rfftn(x, x.shape) * np.conj(scipy.fft.rfftn(kernel, x.shape))
    return scipy.fft.irfftn(spectrum, x.shape)


# --- Linear convolution: pad, multiply, crop ----------------------------------------------

def fft_size(n, kernel_size, fast=True):
    """The length to pad to along one axis so that the FFT's wrap-around lands on zeros.

    A full linear convolution has N + K - 1 outputs, so the transforms need at
    least that many samples. With `fast` (the default) the length is rounded up
    to the next size a real FFT handles fast, a product of 2, 3 and 5
    (:func:`scipy.fft.next_fast_len`).

    Examples
    --------
    >>> fft_size(250, 31, fast=False), fft_size(250, 31)
    (280, 288)
    """
    n, k = as_int(n, "n", minimum=1), as_int(kernel_size, "kernel_size", minimum=1)
    return _fft_size(n, k) if fast else n + k - 1


def _fft_size(n, k):
    return scipy.fft.next_fast_len(n + k - 1, real=True)


def _linear_convolve(x, kernel):
    """Full linear convolution: pad to a fast length >= N+M-1, multiply spectra."""
    full = [n + m - 1 for n, m in zip(x.shape, kernel.shape)]
    fast = [_fft_size(n, m) for n, m in zip(x.shape, kernel.shape)]
    check_memory(fast, np.complex128, "the padded spectra", "use a smaller input or kernel")
    spectrum = scipy.fft.rfftn(x, fast) * scipy.fft.rfftn(kernel, fast)
    return scipy.fft.irfftn(spectrum, fast)[tuple(slice(0, n) for n in full)]


def correlate_fft(x, kernel, mode="full"):
    """Correlation through the FFT: convolve with the flipped kernel, then crop.

    Correlating with a kernel is convolving with the kernel reversed along every
    axis, and convolution is what multiplying spectra computes. `mode` is
    'full' (N+M-1), 'same' (N) or 'valid' (N-M+1): the full result is cropped.

    Every output depends on every input through the transforms, so a NaN or
    inf anywhere in `x` spreads to every output (the direct methods keep it to
    the windows that read it).

    Examples
    --------
    >>> np.round(correlate_fft([1, 2, 3, 4], [5, 6, 7], mode="valid"), 10)
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    full = _linear_convolve(x, _flip(kernel))
    starts = [m - 1 - before for m, (before, _) in zip(kernel.shape, _pad_widths(kernel.shape, mode))]
    size = _output_shape(x.shape, kernel.shape, mode)
    return full[tuple(slice(s, s + n) for s, n in zip(starts, size))].astype(x.dtype, copy=False)


def frequency_response(kernel, size=64):
    """How much a kernel multiplies each frequency: ``|DFT|`` of the kernel
    zero-padded to size x size, with frequency 0 moved to the centre.

    The centre is the gain for a flat image (the sum of the weights); the
    borders are the highest frequencies, a pattern that alternates from one
    pixel to the next. A blur keeps the centre and damps the borders (a
    low-pass filter). Where the kernel sits does not matter: a shift changes
    the phase of the spectrum, never its magnitude.

    Examples
    --------
    >>> gain = frequency_response([[0, 1, 0], [1, 4, 1], [0, 1, 0]], size=4)
    >>> gain.round(10)
    array([[0., 2., 4., 2.],
           [2., 4., 6., 4.],
           [4., 6., 8., 6.],
           [2., 4., 6., 4.]])
    """
    kernel = as_array(kernel, "kernel", ndim=2)
    size = as_int(size, "size", minimum=max(kernel.shape))
    check_memory((size, size), np.complex128, "the spectrum", "use a smaller size")
    return np.abs(np.fft.fftshift(np.fft.fft2(kernel, (size, size))))


# --- What it costs: counts ----------------------------------------------------------------

class FlopCounts(NamedTuple):
    """Floating-point operations of one 'same' correlation of an N x N image with a K x K kernel."""

    direct: int     # 2 K^2 N^2: a multiply and an add per tap and output
    fft: int        # three real P x P transforms and one product of spectra
    padded: int     # P, the fast FFT size per axis


def _transform_flops(p):
    """FFTW's convention for a real 2-D transform of p x p numbers: 2.5 p^2 log2(p^2)."""
    return round(2.5 * p * p * math.log2(p * p))


def flop_counts(n, kernel_size):
    """Count both routes for an n x n image and a k x k kernel, 'same' mode.

    Direct: 2 K^2 N^2 (a multiply and an add for each of the K^2 taps of each of
    the N^2 outputs). FFT: P = :func:`fft_size` per axis; two forward real
    transforms and one inverse, each 2.5 P^2 log2(P^2) (the convention FFTW's
    benchmarks use for real transforms), and one product of the two half
    spectra, P (P//2 + 1) complex multiplies of 6 operations. A model, not a
    timing: it ignores memory traffic, caches and vector units.

    Examples
    --------
    >>> flop_counts(256, 3)
    FlopCounts(direct=1179648, fft=9052317, padded=270)
    >>> flop_counts(256, 31).direct > flop_counts(256, 31).fft
    True
    """
    n, k = as_int(n, "n", minimum=1), as_int(kernel_size, "kernel_size", minimum=1)
    p = _fft_size(n, k)
    return FlopCounts(2 * k * k * n * n, 3 * _transform_flops(p) + 6 * p * (p // 2 + 1), p)


class LayerFlops(NamedTuple):
    """A layer of C_in -> C_out channels through the FFT, part by part, against direct."""

    direct: int     # 2 C_in C_out K^2 N^2
    inputs: int     # C_in forward transforms, each reused by all C_out filters
    kernels: int    # C_in C_out forward transforms of the kernels (once per weight update)
    products: int   # C_in C_out products of spectra, summed over input channels
    inverses: int   # C_out inverse transforms, one per output channel

    @property
    def fft(self):
        """Every part, the kernels' transforms included (training: the weights change every step)."""
        return self.inputs + self.kernels + self.products + self.inverses

    @property
    def fft_kernels_ready(self):
        """Without the kernels' transforms (inference: transformed once, stored)."""
        return self.inputs + self.products + self.inverses


def fft_layer_flops(c_in, c_out, n, kernel_size):
    """Count a C_in -> C_out layer on n x n maps ('same', stride 1) both ways.

    Through the FFT each input channel is transformed once and its spectrum
    reused by all C_out filters; each filter multiplies C_in pairs of spectra
    and adds them up (a complex multiply-add is 8 operations), then one inverse
    transform per output channel. The kernels' spectra are as large as the
    padded input: C_in C_out P (P//2 + 1) complex numbers instead of
    C_in C_out K^2 weights.

    Examples
    --------
    >>> f = fft_layer_flops(64, 64, 56, 3)
    >>> f.direct, f.fft_kernels_ready < f.direct < f.fft
    (231211008, True)
    """
    c_in, c_out = as_int(c_in, "c_in", minimum=1), as_int(c_out, "c_out", minimum=1)
    n, k = as_int(n, "n", minimum=1), as_int(kernel_size, "kernel_size", minimum=1)
    p = _fft_size(n, k)
    transform, half = _transform_flops(p), p * (p // 2 + 1)
    return LayerFlops(2 * c_in * c_out * k * k * n * n, c_in * transform, c_in * c_out * transform,
                      8 * c_in * c_out * half, c_out * transform)


# --- The race: direct against FFT, timed ---------------------------------------------------

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
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function(*args)
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def _machine():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()}"


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
        raise ValueError(f"`kernel_sizes` must be odd (so that 'same' has one centre); got {kernel_sizes}")
    methods = list(RACE_METHODS) if methods is None else [check_choice(m, "methods", tuple(RACE_METHODS))
                                                          for m in methods]
    repeat, direct_limit = as_int(repeat, "repeat", minimum=1), as_int(direct_limit, "direct_limit", minimum=1)
    rng = np.random.default_rng(seed)
    ms = {name: [[None] * len(kernel_sizes) for _ in image_sizes] for name in methods}
    choice = [[None] * len(kernel_sizes) for _ in image_sizes]
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
    return {"machine": _machine(), "date": datetime.date.today().isoformat(), "timing": timing,
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
