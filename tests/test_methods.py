"""Every method of METHODS against SciPy's signal functions and against every other:
values, properties (linearity, shifts), NaN and inf, dtypes and errors."""

import itertools

import numpy as np
import pytest
import scipy.signal
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import convlib
from torch_oracle import torch_or_skip


MODES = ("full", "same", "valid")


# (x shape, kernel shape): odd, even, non-square, 1x1 and kernel == input
SHAPES = [
    ((9,), (3,)), ((9,), (4,)), ((5,), (5,)), ((6,), (1,)),
    ((7, 8), (3, 3)), ((7, 8), (2, 4)), ((6, 5), (6, 5)), ((6, 7), (1, 1)), ((5, 9), (4, 1)),
]


# float64 agrees to rounding; float32 carries ~7 digits and the FFT spreads
# rounding over all outputs, so its tolerance is relative to the output scale.
TOLERANCE = {np.float64: 1e-10, np.float32: 2e-4, np.int64: 1e-10}


def _data(x_shape, k_shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == np.int64:
        return rng.integers(-5, 6, x_shape), rng.integers(-3, 4, k_shape)
    return rng.standard_normal(x_shape).astype(dtype), rng.standard_normal(k_shape).astype(dtype)


def _close(actual, expected, dtype):
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE[dtype] * scale)


values = st.floats(-10, 10, allow_nan=False, width=64)


# Derandomized: the same examples on every run, so CI cannot fail by luck.
fast = settings(max_examples=30, deadline=None, derandomize=True)


def signal(min_side=1, max_side=8, ndim=2):
    return arrays(np.float64, st.tuples(*[st.integers(min_side, max_side)] * ndim), elements=values)


DIRECT = ["loop", "dot", "im2col", "windows", "matrix"]


def _poisoned(shape, where, value, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape)
    x[where] = value
    return x


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("x, kernel, mode, error, message", [
    ([1, 2, 3], [1, 1], "vaild", ValueError, r"`mode` must be one of 'full', 'same', 'valid'; got 'vaild'"),
    (np.ones((2, 2, 2)), np.ones((2, 2, 2)), "full", ValueError, r"`x` must have 1 or 2 dimensions; got 3 dimensions"),
    ([1, 2, 3], [[1, 1]], "full", ValueError, r"same number of dimensions; got x.ndim = 1 and kernel.ndim = 2"),
    ([], [1], "full", ValueError, r"`x` must not be empty"),
    ([1, 2], [1j, 1], "full", TypeError, r"`kernel` must be an array of real numbers; got complex values"),
    (["a", "b"], [1], "full", TypeError, r"`x` must be an array of real numbers; got values of dtype <U1"),
    ([[1, 2], [3]], [1], "full", TypeError, r"`x` must be an array of real numbers; got \[\[1, 2\], \[3\]\]"),
    ([1, 2], [1, 2, 3], "valid", ValueError, r"in 'valid' mode `kernel` must fit inside `x`.*kernel shape \(3,\) for x shape \(2,\)"),
])
def test_method_errors(method, x, kernel, mode, error, message):
    with pytest.raises(error, match=message):
        convlib.METHODS[method](x, kernel, mode)


def test_unknown_method():
    with pytest.raises(ValueError, match=r"`method` must be one of 'loop', 'dot', 'im2col', 'windows', 'matrix', 'fft'; got 'fast'"):
        convlib.correlate([1, 2], [1], method="fast")


@fast
@given(signal(), signal(max_side=4), st.floats(-3, 3), st.sampled_from(sorted(convlib.METHODS)))
def test_linearity(x, kernel, a, method):
    y = np.random.default_rng(0).standard_normal(x.shape)
    left = convlib.correlate(a * x + y, kernel, "full", method)
    right = a * convlib.correlate(x, kernel, "full", method) + convlib.correlate(y, kernel, "full", method)
    np.testing.assert_allclose(left, right, atol=1e-8 * (1 + np.abs(left).max()))


@fast
@given(signal(min_side=4, max_side=9), signal(max_side=3), st.integers(1, 3), st.integers(0, 2))
def test_shift_equivariance_away_from_borders(x, kernel, down, right):
    shifted = np.roll(x, (down, right), axis=(0, 1))
    out, out_shifted = convlib.correlate(x, kernel, "valid"), convlib.correlate(shifted, kernel, "valid")
    # Outputs whose windows never wrapped around agree, shifted by the same amount.
    h, w = out.shape
    assume(down < h and right < w)
    np.testing.assert_allclose(out_shifted[down:, right:], out[:h - down, :w - right], atol=1e-9)


@fast
@given(signal(), signal())
def test_full_convolution_is_commutative(x, y):
    np.testing.assert_allclose(convlib.convolve(x, y, "full"), convlib.convolve(y, x, "full"), atol=1e-8 * (1 + np.abs(x).sum() * np.abs(y).max()))


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # NumPy notes 0 * inf, as SciPy's direct sum does
@pytest.mark.parametrize("method", DIRECT)
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("kernel", [np.array([[0.0]]), np.array([[1.0, 0.0], [0.0, -2.0]]), np.zeros((3, 2))],
                         ids=["zero 1x1", "2x2 with zeros", "all zero 3x2"])
def test_nan_and_inf_poison_exactly_the_windows_that_read_them(method, value, mode, kernel):
    x = _poisoned((6, 7), (2, 3), value)
    expected = scipy.signal.correlate(x, kernel, mode, method="direct")
    actual = convlib.correlate(x, kernel, mode, method=method)
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    np.testing.assert_array_equal(np.isinf(actual), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(actual[finite], expected[finite], atol=1e-12)


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
def test_each_method_checks_the_mode_once(method, monkeypatch):
    import convlib.modes as modes

    calls = []
    original = modes._check_mode
    monkeypatch.setattr(modes, "_check_mode", lambda mode: calls.append(mode) or original(mode))
    convlib.correlate(np.ones(6), np.ones(3), "same", method=method)
    assert calls == ["same"]


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
def test_valid_correlation_is_torch_conv(method):
    torch = torch_or_skip()
    F = torch.nn.functional
    rng = np.random.default_rng(2)
    x, k = rng.standard_normal((9, 8)), rng.standard_normal((3, 2))
    expected = F.conv2d(torch.tensor(x)[None, None], torch.tensor(k)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(convlib.correlate(x, k, "valid", method=method), expected, atol=1e-12)
    x1, k1 = x[0], k[:, 0]
    expected1 = F.conv1d(torch.tensor(x1)[None, None], torch.tensor(k1)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(convlib.correlate(x1, k1, "valid", method=method), expected1, atol=1e-12)


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: d.__name__)
def test_correlate_matches_scipy(method, mode, shapes, dtype):
    x, kernel = _data(*shapes, dtype)
    expected = scipy.signal.correlate(x.astype(float), kernel.astype(float), mode)
    actual = convlib.correlate(x, kernel, mode, method=method)
    assert actual.shape == expected.shape
    assert actual.dtype == (np.float32 if dtype == np.float32 else np.float64)
    _close(actual, expected, dtype)


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_convolve_matches_scipy(method, mode, shapes):
    x, kernel = _data(*shapes, np.float64, seed=1)
    expected = scipy.signal.convolve(x, kernel, mode)
    _close(convlib.convolve(x, kernel, mode, method=method), expected, np.float64)


@pytest.mark.parametrize("first, second", list(itertools.combinations(sorted(convlib.METHODS), 2)))
@pytest.mark.parametrize("mode", MODES)
def test_every_method_agrees_with_every_other(first, second, mode):
    x, kernel = _data((11, 10), (4, 3), np.float64, seed=2)
    _close(convlib.METHODS[first](x, kernel, mode), convlib.METHODS[second](x, kernel, mode), np.float64)


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
def test_correlate_calls_the_method_it_names(method, monkeypatch):
    calls = []
    original = convlib.METHODS[method]
    monkeypatch.setitem(convlib.METHODS, method, lambda *args: calls.append(args) or original(*args))
    convlib.correlate(np.ones(5), np.ones(2), "valid", method=method)
    assert len(calls) == 1, "correlate must not fall back silently to another method"


def test_convolve_is_correlate_with_the_flipped_kernel():
    x, kernel = _data((6, 6), (3, 2), np.float64, seed=3)
    np.testing.assert_array_equal(convlib.convolve(x, kernel), convlib.correlate(x, convlib.flip(kernel)))
    assert not np.allclose(convlib.convolve(x, kernel), convlib.correlate(x, kernel))


def test_the_course_example():
    x, w = [1, 2, 3, 4], [5, 6, 7]
    np.testing.assert_allclose(convlib.convolve(x, w, "full"), np.convolve(x, w, "full"))
    np.testing.assert_allclose(convlib.correlate(x, w, "valid"), np.correlate(x, w, "valid"))


@pytest.mark.parametrize("name", ["windows", "fft"])
def test_float32_stays_float32(name):
    x = np.ones((8, 8), np.float32)
    assert convlib.correlate(x, np.ones((3, 3), np.float32), method=name).dtype == np.float32


def _correlate_by_definition(x, kernel, mode):
    """y[o] = sum of x[o + k - before] * w[k] over the taps k that lie over x: no term for the padding."""
    before = [b for b, _ in convlib.pad_widths(kernel.shape, mode)]
    out = np.zeros(convlib.output_shape(x.shape, kernel.shape, mode))
    for o in np.ndindex(*out.shape):
        for k in np.ndindex(*kernel.shape):
            i = tuple(a + b - c for a, b, c in zip(o, k, before))
            if all(0 <= j < n for j, n in zip(i, x.shape)):
                out[o] += x[i] * kernel[k]
    return out


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # 0 * inf inside the input is NaN, by the rule
@pytest.mark.parametrize("method", DIRECT)
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("x_shape", "k_shape", "tap"), [((7,), (3,), (0,)), ((7,), (4,), (3,)), ((6, 7), (3, 2), (2, 1)),
                                                      ((6, 7), (2, 3), (0, 2))])
def test_a_nonfinite_kernel_tap_over_the_padding_adds_no_term(method, value, mode, x_shape, k_shape, tap):
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    x[(2,) * len(x_shape)] = 0.0                     # inside the input 0 * inf is NaN, as the definition says
    kernel[tap] = value
    expected = _correlate_by_definition(x, kernel, mode)
    actual = convlib.correlate(x, kernel, mode, method=method)
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    np.testing.assert_array_equal(np.isposinf(actual), np.isposinf(expected))
    np.testing.assert_array_equal(np.isneginf(actual), np.isneginf(expected))
    finite = np.isfinite(expected)
    assert (~finite).any() and (mode != "full" or finite.any())   # in 'full' some outputs hang the tap over zeros
    np.testing.assert_allclose(actual[finite], expected[finite], atol=1e-12)
    if len(x_shape) == 1:                             # SciPy's 1-D direct result follows the same rule
        reference = scipy.signal.correlate(x, kernel, mode, method="direct")
        np.testing.assert_array_equal(np.isfinite(actual), np.isfinite(reference))
