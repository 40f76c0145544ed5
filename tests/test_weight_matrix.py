"""convlib.weight_matrix (notebook 05): the weight-tied matrix computes the correlation, its taps
tie the weights; circulant matrices wrap around."""


import numpy as np
import pytest
import scipy.linalg
import scipy.signal

import convlib
from torch_oracle import torch_or_skip


MODES = ("full", "same", "valid")


def test_the_learners_example_full_valid_same():
    x, w = np.array([1.0, 2, 3, 4]), np.array([5.0, 6, 7])
    assert np.array_equal(convlib.convolution_matrix(4, w, "full") @ x, np.convolve(x, w))
    assert np.array_equal(np.convolve(x, w), [5, 16, 34, 52, 45, 28])
    valid = convlib.correlation_matrix(4, w, "valid")
    assert valid.shape == (2, 4) and np.array_equal(valid @ x, [38, 56]) and 1 * 5 + 2 * 6 + 3 * 7 == 38
    full = convlib.correlation_matrix(4, w, "full")
    np.testing.assert_array_equal(convlib.correlation_matrix(4, w, "same"), full[1:5])  # rows cut
    np.testing.assert_array_equal(valid, full[2:4])


def test_2d_matrix_is_doubly_block_toeplitz():
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    M = convlib.correlation_matrix((4, 4), kernel, "valid")
    assert M.shape == (4, 16)
    blocks = M.reshape(2, 2, 4, 4).transpose(0, 2, 1, 3)   # (output row, input row, 2, 4)
    for r, c in np.ndindex(2, 4):
        expected = (convlib.correlation_matrix(4, kernel[c - r], "valid") if 0 <= c - r < 3 else np.zeros((2, 4)))
        np.testing.assert_array_equal(blocks[r, c], expected)


def test_circulant_is_scipy_circulant_transposed_and_wraps_around():
    w = np.array([5.0, 6, 7])
    C = convlib.circulant_matrix(6, w)
    np.testing.assert_array_equal(C, scipy.linalg.circulant(np.pad(w, (0, 3))).T)
    np.testing.assert_array_equal(C[:4], convlib.correlation_matrix(6, w, "valid"))
    x = np.arange(1.0, 7.0)
    np.testing.assert_allclose(C @ x, np.correlate(np.pad(x, (0, 2), mode="wrap"), w, "valid"))
    np.testing.assert_allclose(C @ np.roll(x, 1), np.roll(C @ x, 1))   # shift in, shift out


def test_2d_circulant_is_a_correlation_of_the_periodic_input():
    rng = np.random.default_rng(3)
    x, kernel = rng.standard_normal((4, 5)), rng.standard_normal((2, 3))
    C = convlib.circulant_matrix(x.shape, kernel)
    periodic = np.pad(x, ((0, 1), (0, 2)), mode="wrap")
    np.testing.assert_allclose(C @ x.ravel(), scipy.signal.correlate2d(periodic, kernel, "valid").ravel())


def test_circulant_matches_torch_circular_padding():
    torch = torch_or_skip()
    x, w = np.arange(1.0, 7.0), np.array([5.0, 6, 7])
    padded = torch.nn.functional.pad(torch.tensor(x).reshape(1, 1, -1), (0, 2), mode="circular")
    y = torch.nn.functional.conv1d(padded, torch.tensor(w).reshape(1, 1, -1))
    np.testing.assert_allclose(convlib.circulant_matrix(6, w) @ x, y.numpy().ravel())


def test_circulant_refuses_a_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match=r"`kernel` must not be larger than the input for a circulant matrix"):
        convlib.circulant_matrix(2, [1, 2, 3])


def test_bad_shapes_for_the_matrix():
    with pytest.raises(ValueError, match=r"`input_shape` must be an integer >= 1; got 0"):
        convlib.correlation_matrix((0, 3), np.ones((1, 1)))
    with pytest.raises(TypeError, match=r"`input_shape` must be an integer >= 1; got 2.5"):
        convlib.correlation_matrix(2.5, [1])
    with pytest.raises(ValueError, match=r"`kernel_shape` must have 2 entries; got 3"):
        convlib.weight_index((4, 4), 3)


def test_the_dense_matrix_costs_its_own_size_only():
    import tracemalloc

    tracemalloc.start()
    M = convlib.correlation_matrix((48, 48), np.ones((3, 3)), "full")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1.2 * M.nbytes, f"building M peaked at {peak / M.nbytes:.1f}x its size"


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
