"""The convolution theorem: convolution in space is multiplication of spectra.

Taught in ``notebooks/08_fft.ipynb``. The discrete Fourier transform (DFT) of a
*circular* convolution is the product of the DFTs (:func:`dft_matrix` writes the
DFT as a matrix; every circulant matrix is diagonal in its basis). Multiplying
two spectra therefore gives a convolution that wraps around
(:func:`circular_convolve`); correlation multiplies by the complex conjugate
instead (:func:`circular_correlate`), the flip of notebook 07 in frequency
space. Zero-padding both arrays to at least N + K - 1 samples per axis makes the
wrap-around land on zeros, which gives the ordinary (linear) convolution; the
padded length is rounded up to a size the FFT handles fast
(:func:`scipy.fft.next_fast_len`, :func:`fft_size`).

`mode` gives the output length per axis: 'full' N+K-1, 'same' N, 'valid' N-K+1.

What it costs (:func:`flop_counts`, :func:`fft_layer_flops`): a direct
correlation does K^2 multiply-adds per output, K^2 N^2 for an N x N image and
a K x K kernel ('same'); the FFT route costs three transforms of P x P numbers,
about P^2 log2(P^2) each, whatever K is (P = N + K - 1, rounded up to a fast
size). Which one is faster on a machine is measured, not predicted: that is the race
of :mod:`convlib.fft_race`.
"""

import math
from typing import NamedTuple

import numpy as np
import scipy.fft

from .internal import flipped, mode_output_shape, mode_pad_widths
from .modes import prepare
from .validation import as_array, as_int, check_arrays, check_memory
from .i18n import _

__all__ = ["FlopCounts", "LayerFlops", "circular_convolve", "circular_correlate", "correlate_fft", "dft_matrix",
           "fft_layer_flops", "fft_size", "flop_counts", "frequency_response"]


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
    check_memory((n, n), np.complex128, _("the DFT matrix"), _("use scipy.fft.fft, which never builds it"))
    t = np.arange(n)
    return np.exp(-2j * np.pi * np.outer(t, t) / n)


def _check_circular(x, kernel):
    x = as_array(x, "x", ndim=(1, 2))
    kernel = as_array(kernel, "kernel", ndim=x.ndim)
    if any(m > n for n, m in zip(x.shape, kernel.shape)):
        raise ValueError(
            _("`kernel` must not be larger than `x` for a circular convolution; got kernel shape {kernel_shape} for "
              "x shape {x_shape}").format(kernel_shape=kernel.shape, x_shape=x.shape)
        )
    check_arrays([(x.shape, np.complex128)] * 2 + [(x.shape, np.float64)], _("the two spectra and the result"),
                 _("use a smaller input"))
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
    """Full linear convolution: pad to a fast length >= N+K-1, multiply spectra.

    Both arrays are first scaled by a power of two that brings their largest
    finite value near 1, and the result scaled back: the transforms then never
    overflow (huge inputs) nor lose precision in subnormal numbers (tiny ones),
    and scaling by a power of two is exact.
    """
    full = [n + m - 1 for n, m in zip(x.shape, kernel.shape)]
    fast = [_fft_size(n, m) for n, m in zip(x.shape, kernel.shape)]
    check_memory(fast, np.complex128, _("the padded spectra"), _("use a smaller input or kernel"))
    x_exp, kernel_exp = _exponent(x), _exponent(kernel)
    spectrum = scipy.fft.rfftn(np.ldexp(x, -x_exp), fast) * scipy.fft.rfftn(np.ldexp(kernel, -kernel_exp), fast)
    result = scipy.fft.irfftn(spectrum, fast)[tuple(slice(0, n) for n in full)]
    return np.ldexp(result, x_exp + kernel_exp)


def _exponent(a):
    """The power of two of `a`'s largest finite magnitude (0 if it has none but zeros)."""
    return int(np.frexp(np.max(np.abs(a), where=np.isfinite(a), initial=0))[1])


def correlate_fft(x, kernel, mode="full"):
    """Correlation through the FFT: convolve with the flipped kernel, then crop.

    Correlating with a kernel is convolving with the kernel reversed along every
    axis, and convolution is what multiplying spectra computes. `mode` is
    'full' (N+K-1), 'same' (N) or 'valid' (N-K+1): the full result is cropped.

    Every output depends on every input through the transforms, so a NaN or
    inf anywhere in `x` spreads to every output (the direct methods keep it to
    the windows that read it). Finite inputs are scaled by a power of two
    before transforming, so where the direct result is finite the FFT's is too,
    for huge, cancelling and subnormal values alike; its error is a few
    machine epsilons of ``max|x| * max|kernel|`` times the number of taps, so
    outputs much smaller than that (cancellation) keep only absolute accuracy.

    Examples
    --------
    >>> np.round(correlate_fft([1, 2, 3, 4], [5, 6, 7], mode="valid"), 10)
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    full = _linear_convolve(x, flipped(kernel))
    starts = [m - 1 - before for m, (before, _) in zip(kernel.shape, mode_pad_widths(kernel.shape, mode))]
    size = mode_output_shape(x.shape, kernel.shape, mode)
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
    check_arrays([((size, size), np.complex128), ((size, size), np.float64), ((size, size), np.float64)],
                 _("the spectrum and its magnitudes"), _("use a smaller size"))
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
