"""The weight-tied matrix: it computes the correlation, its taps tie the weights."""

import numpy as np
import pytest
import scipy.linalg

import convlib

MODES = ("full", "same", "valid")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("x_shape, k_shape", [((7,), (3,)), ((8,), (4,)), ((5, 6), (3, 2)), ((4, 4), (2, 2))])
def test_matrix_times_input_is_the_correlation(mode, x_shape, k_shape):
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    M = convlib.correlation_matrix(x_shape, kernel, mode)
    expected = convlib.correlate(x, kernel, mode, method="loop")
    np.testing.assert_allclose((M @ x.ravel()).reshape(expected.shape), expected, atol=1e-12)


@pytest.mark.parametrize("mode", MODES)
def test_adjoint_identity(mode):
    rng = np.random.default_rng(1)
    M = convlib.correlation_matrix((5, 6), rng.standard_normal((3, 2)), mode)
    x, y = rng.standard_normal(M.shape[1]), rng.standard_normal(M.shape[0])
    assert np.isclose((M @ x) @ y, x @ (M.T @ y))


def test_full_convolution_matrix_matches_scipy_linalg():
    w = np.array([5.0, 6.0, 7.0])
    expected = scipy.linalg.convolution_matrix(w, 4, mode="full")
    np.testing.assert_array_equal(convlib.convolution_matrix(4, w, "full"), expected)
    np.testing.assert_allclose(expected @ [1, 2, 3, 4], np.convolve([1, 2, 3, 4], w))


@pytest.mark.parametrize("mode", MODES)
def test_taps_say_which_weight_each_entry_holds(mode):
    kernel = np.arange(1.0, 7.0).reshape(2, 3)  # distinct, non-zero weights
    M = convlib.correlation_matrix((4, 5), kernel, mode)
    taps = convlib.weight_index((4, 5), kernel.shape, mode)
    assert taps.shape == M.shape
    np.testing.assert_array_equal(M[taps >= 0], kernel.ravel()[taps[taps >= 0]])
    assert np.all(M[taps < 0] == 0)


def test_in_valid_mode_every_weight_is_used_once_per_output():
    taps = convlib.weight_index((5, 6), (3, 2), "valid")
    counts = np.bincount(taps[taps >= 0], minlength=6)
    np.testing.assert_array_equal(counts, np.full(6, taps.shape[0]))


def test_kernel_larger_than_input_in_valid_mode_is_refused():
    with pytest.raises(ValueError, match=r"in 'valid' mode `kernel` must fit inside `x`"):
        convlib.weight_index(3, 4, "valid")
