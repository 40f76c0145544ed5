"""convlib.fft (notebook 08): the DFT matrix, circular convolution and correlation, padded sizes,
kernels' frequency responses and the cost counts, against NumPy, SciPy and (where installed) PyTorch."""

import itertools

import numpy as np
import pytest
import scipy
import scipy.fft
import scipy.linalg
import scipy.ndimage
import scipy.signal
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import convlib
from convlib import kernels
from torch_oracle import torch_or_skip


def circular_by_definition(x, w, sign):
    """sum_k w[k] x[(n - k) % N] (sign -1, convolution) or x[(n + k) % N] (sign +1, correlation)."""
    x, w = np.atleast_2d(x), np.atleast_2d(w)
    y = sum(w[a, b] * np.roll(x, (-sign * a, -sign * b), axis=(0, 1)) for a, b in np.ndindex(w.shape))
    return y


SHAPES = [((7,), (3,)), ((8,), (8,)), ((6,), (1,)), ((5, 7), (3, 3)), ((6, 4), (2, 3)), ((4, 4), (4, 4))]


def five_smooth(m):
    for prime in (2, 3, 5):
        while m % prime == 0:
            m //= prime
    return m == 1


values = st.floats(-10, 10, allow_nan=False, width=64)


# Derandomized: the same examples on every run, so CI cannot fail by luck.
fast = settings(max_examples=30, deadline=None, derandomize=True)


def signal(min_side=1, max_side=8, ndim=2):
    return arrays(np.float64, st.tuples(*[st.integers(min_side, max_side)] * ndim), elements=values)


def _poisoned(shape, where, value, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape)
    x[where] = value
    return x


@pytest.mark.parametrize("n", [1, 2, 5, 8, 13])
def test_dft_matrix_is_numpys_fft_and_its_inverse_is_the_conjugate(n):
    x = np.random.default_rng(n).standard_normal(n)
    F = convlib.dft_matrix(n)
    np.testing.assert_allclose(F @ x, np.fft.fft(x), atol=1e-12)
    np.testing.assert_allclose(F.conj() / n @ F, np.eye(n), atol=1e-12)


@pytest.mark.parametrize("x_shape, w_shape", SHAPES, ids=str)
def test_circular_convolve_is_the_definition_and_the_theorem_holds(x_shape, w_shape):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    y = convlib.circular_convolve(x, w)
    np.testing.assert_allclose(np.atleast_2d(y), circular_by_definition(x, w, -1), atol=1e-12)
    np.testing.assert_allclose(np.fft.fftn(y), np.fft.fftn(x) * np.fft.fftn(w, x.shape, axes=range(x.ndim)), atol=1e-10)


@pytest.mark.parametrize("x_shape, w_shape", SHAPES, ids=str)
def test_circular_correlate_is_the_circulant_matrix_of_notebook_05(x_shape, w_shape):
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    y = convlib.circular_correlate(x, w)
    np.testing.assert_allclose(np.atleast_2d(y), circular_by_definition(x, w, +1), atol=1e-12)
    np.testing.assert_allclose(y.ravel(), convlib.circulant_matrix(x_shape, w) @ x.ravel(), atol=1e-12)


def test_circular_convolve_matches_scipy_ndimage_wrap():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((9, 11)), rng.standard_normal((3, 5))
    expected = scipy.ndimage.convolve(x, w, mode="wrap", origin=(-1, -2))
    np.testing.assert_allclose(convlib.circular_convolve(x, w), expected, atol=1e-12)


def test_circular_convolution_and_correlation_match_torch():
    torch = torch_or_skip()
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((6, 9)), rng.standard_normal((3, 4))
    xt = torch.tensor(x)[None, None]
    after = torch.nn.functional.pad(xt, (0, 3, 0, 2), mode="circular")     # reads x[n + k]
    before = torch.nn.functional.pad(xt, (3, 0, 2, 0), mode="circular")    # reads x[n - k]
    corr = torch.nn.functional.conv2d(after, torch.tensor(w)[None, None])[0, 0].numpy()
    conv = torch.nn.functional.conv2d(before, torch.tensor(np.flip(w).copy())[None, None])[0, 0].numpy()
    np.testing.assert_allclose(convlib.circular_correlate(x, w), corr, atol=1e-12)
    np.testing.assert_allclose(convlib.circular_convolve(x, w), conv, atol=1e-12)


def test_the_dft_diagonalises_every_circulant_matrix_with_the_kernels_dft():
    w = np.array([2.0, -1.0, 0.5, 3.0])
    F = convlib.dft_matrix(7)
    padded = np.r_[w, np.zeros(3)]
    convolution = scipy.linalg.circulant(padded)
    np.testing.assert_allclose(F @ convolution @ np.linalg.inv(F), np.diag(np.fft.fft(padded)), atol=1e-10)
    correlation = convlib.circulant_matrix(7, w)
    np.testing.assert_allclose(F @ correlation @ np.linalg.inv(F), np.diag(np.fft.fft(padded).conj()), atol=1e-10)


def test_padding_to_n_plus_k_minus_1_turns_circular_into_linear():
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((10, 12)), rng.standard_normal((4, 3))
    padded = np.pad(x, ((0, 3), (0, 2)))
    np.testing.assert_allclose(convlib.circular_convolve(padded, w), scipy.signal.convolve(x, w), atol=1e-12)
    wraps = convlib.circular_convolve(x, w)
    assert not np.allclose(wraps, scipy.signal.convolve(x, w)[:10, :12])


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-10), (np.float32, 1e-4)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_correlate_fft_keeps_float32_and_matches_scipy(dtype, tolerance, mode):
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((17, 13)).astype(dtype), rng.standard_normal((5, 4)).astype(dtype)
    y = convlib.correlate_fft(x, w, mode)
    assert y.dtype == dtype
    expected = scipy.signal.correlate(x.astype(float), w.astype(float), mode)
    np.testing.assert_allclose(y, expected, atol=tolerance * np.abs(expected).max())


@pytest.mark.parametrize("n, k", list(itertools.product([1, 7, 64, 250, 256, 511], [1, 3, 31])))
def test_fft_size_is_the_smallest_product_of_2_3_5_large_enough(n, k):
    size = convlib.fft_size(n, k)
    assert size >= n + k - 1 and five_smooth(size)
    assert not any(five_smooth(m) for m in range(n + k - 1, size))
    assert convlib.fft_size(n, k, fast=False) == n + k - 1


@pytest.mark.parametrize("name", ["box blur", "gaussian", "sobel x", "sharpen", "asymmetric"])
def test_frequency_response_is_the_gain_on_waves(name):
    w = kernels.KERNELS[name]
    gain = convlib.frequency_response(w, 16)
    assert gain.shape == (16, 16)
    assert np.isclose(gain[8, 8], abs(w.sum()))                  # frequency 0: a flat image
    checker = (-1.0) ** np.add.outer(np.arange(12), np.arange(12))
    response = convlib.correlate(checker, w, "valid")
    assert np.allclose(np.abs(response), gain[0, 0] * np.abs(checker[1:-1, 1:-1]))   # the checkerboard


def test_frequency_response_does_not_depend_on_where_the_kernel_sits():
    w = kernels.asymmetric()
    shifted = np.zeros((6, 6))
    shifted[2:5, 1:4] = w
    np.testing.assert_allclose(convlib.frequency_response(w, 32), convlib.frequency_response(shifted, 32),
                               atol=1e-12)


@pytest.mark.parametrize("n, k", [(64, 3), (256, 7), (512, 31)])
def test_flop_counts(n, k):
    counts = convlib.flop_counts(n, k)
    assert counts.direct == 2 * k**2 * n**2
    assert counts.padded == scipy.fft.next_fast_len(n + k - 1, real=True)
    p = counts.padded
    model = 3 * 2.5 * p * p * np.log2(p * p) + 6 * p * (p // 2 + 1)   # three transforms, one product
    assert abs(counts.fft - model) <= 2                                # each transform rounded


def test_the_flop_models_crossover_lies_between_small_and_large_kernels():
    for n in (64, 256, 1024):
        assert convlib.flop_counts(n, 3).fft > convlib.flop_counts(n, 3).direct
        assert convlib.flop_counts(n, 31).fft < convlib.flop_counts(n, 31).direct


def test_fft_layer_flops_against_the_layers_own_cost():
    f = convlib.fft_layer_flops(64, 32, 28, 5)
    assert f.direct == 2 * convlib.layer_cost(64, 32, 5, 28).multiplies    # 'same': N x N outputs
    assert f.fft == f.inputs + f.kernels + f.products + f.inverses
    assert f.fft_kernels_ready == f.fft - f.kernels
    single = convlib.flop_counts(28, 5)
    transform = (single.fft - 6 * single.padded * (single.padded // 2 + 1)) / 3
    assert abs(f.inputs - 64 * transform) <= 64 and abs(f.inverses - 32 * transform) <= 32
    assert f.kernels == 32 * f.inputs


def test_circular_convolution_needs_a_kernel_no_larger_than_x():
    with pytest.raises(ValueError, match=r"`kernel` must not be larger than `x`"):
        convlib.circular_convolve([1, 2], [1, 2, 3])


@fast
@given(signal(ndim=1, max_side=30), signal(ndim=1, max_side=10), st.sampled_from(["full", "same"]))
def test_fft_equals_direct(x, kernel, mode):
    expected = scipy.signal.correlate(x, kernel, mode, method="direct")
    np.testing.assert_allclose(convlib.correlate_fft(x, kernel, mode), expected, atol=1e-9 * (1 + np.abs(x).sum() * np.abs(kernel).max()))


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_fft_spreads_nan_as_its_docstring_says():
    x = _poisoned((6, 7), (2, 3), np.nan)
    assert np.isnan(convlib.correlate(x, np.ones((2, 2)), "valid", method="fft")).all()
    assert "spreads to every output" in convlib.correlate_fft.__doc__


def test_circular_convolution_wraps_around_and_padding_removes_it():
    rng = np.random.default_rng(4)
    x, kernel = rng.standard_normal(8), rng.standard_normal(3)
    # circular = linear result with the tail added onto the head
    linear = scipy.signal.convolve(x, kernel, "full")
    wrapped = linear[:8].copy()
    wrapped[:2] += linear[8:]
    np.testing.assert_allclose(convlib.circular_convolve(x, kernel), wrapped)


def _extreme(name, dtype):
    """Finite inputs whose direct correlation is finite but strains a transform: (x, kernel)."""
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((9, 8)), rng.standard_normal((3, 2))
    big = np.finfo(dtype).max / 16                      # x near the top of the range, results still finite
    cases = {
        "very large": (x / np.abs(x).max() * big, w / np.abs(w).max()),
        "large times tiny": (x * big / 8, w * np.finfo(dtype).tiny * 8),
        "cancelling": (np.where(np.indices(x.shape).sum(axis=0) % 2, -big, big), np.ones((2, 2))),
        "subnormal": (x * np.finfo(dtype).smallest_subnormal * 64, w),
        "huge kernel, tiny input": (x * np.finfo(dtype).tiny, w * big / 8),
    }
    x, w = cases[name]
    return x.astype(dtype), w.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("name", ["very large", "large times tiny", "cancelling", "subnormal", "huge kernel, tiny input"])
def test_fft_is_finite_where_the_direct_result_is_and_agrees_on_extreme_inputs(name, mode, dtype):
    x, kernel = _extreme(name, dtype)
    with np.errstate(all="ignore"):
        direct = {method: convlib.correlate(x, kernel, mode, method=method) for method in ("loop", "windows")}
        actual = convlib.correlate(x, kernel, mode, method="fft")
    for expected in direct.values():
        assert np.isfinite(expected).all()
        assert np.isfinite(actual).all(), f"the FFT gave {np.sum(~np.isfinite(actual))} non-finite outputs"
        # The FFT's error: a few epsilons of the largest product, times the number of taps
        scale = float(np.abs(x.astype(float)).max()) * float(np.abs(kernel.astype(float)).max()) * kernel.size
        rounding = kernel.size * float(np.finfo(dtype).smallest_subnormal)   # the direct sum's, below normal numbers
        np.testing.assert_allclose(actual, expected, rtol=0, atol=20 * float(np.finfo(dtype).eps) * scale + rounding)
