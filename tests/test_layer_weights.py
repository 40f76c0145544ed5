"""convlib.layer_weights (notebook 05): a layer's matrix with stride, padding, dilation and
channels, and its counts, against conv2d and (where installed) PyTorch."""

import itertools

import numpy as np
import pytest

import convlib
from layer_cases import GEOMETRIES
from torch_oracle import torch_or_skip


@pytest.mark.parametrize("stride, padding, dilation", GEOMETRIES)
def test_layer_matrix_is_conv2d(stride, padding, dilation):
    rng = np.random.default_rng(0)
    x, weight = rng.standard_normal((2, 6, 7)), rng.standard_normal((3, 2, 2, 3))
    M = convlib.layer_matrix(x.shape, weight, stride, padding, dilation)
    expected = convlib.conv2d_loop(x, weight, stride=stride, padding=padding, dilation=dilation)
    assert M.shape == (expected.size, x.size)
    np.testing.assert_allclose(M @ x.ravel(), expected.ravel(), atol=1e-12)


def test_layer_matrix_matches_torch():
    torch = torch_or_skip()
    rng = np.random.default_rng(1)
    x, weight = rng.standard_normal((2, 5, 6)), rng.standard_normal((3, 2, 3, 2))
    M = convlib.layer_matrix(x.shape, weight, stride=2, padding=1, dilation=(1, 2))
    y = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(weight), stride=2, padding=1, dilation=(1, 2))
    np.testing.assert_allclose(M @ x.ravel(), y.numpy().ravel(), atol=1e-12)


def test_several_filters_are_their_matrices_stacked():
    w = np.array([[5.0, 6, 7], [1, 0, -1]])
    M = convlib.layer_matrix((1, 1, 4), w[:, None, None, :])
    np.testing.assert_array_equal(M, np.vstack([convlib.correlation_matrix(4, k, "valid") for k in w]))


def test_stride_keeps_every_stride_th_row():
    for n, k, s, d in itertools.product((7, 8, 9), (2, 3), (2, 3), (1, 2)):
        every = convlib.layer_weight_index(n, k, 1, 1, d)
        strided = convlib.layer_weight_index(n, k, s, 1, d)
        np.testing.assert_array_equal(strided, every[::s][:strided.shape[0]])
        assert strided.shape[0] == convlib.output_size(n, k, s, 1, d)


def test_dilation_spreads_the_weights_of_a_row():
    for d in (1, 2, 3):
        row = convlib.layer_weight_index(9, 3, dilation=d)[0]
        assert np.array_equal(np.flatnonzero(row >= 0), [0, d, 2 * d])
        assert np.array_equal(row[row >= 0], [0, 1, 2])


@pytest.mark.parametrize("stride, padding, dilation", GEOMETRIES)
def test_padding_columns_meet_only_zeros(stride, padding, dilation):
    rng = np.random.default_rng(2)
    x, kernel = rng.standard_normal((6, 7)), rng.standard_normal((2, 3))
    over_padded = convlib.layer_weight_index(x.shape, kernel.shape, stride, padding, dilation, padded=True)
    index = convlib.layer_weight_index(x.shape, kernel.shape, stride, padding, dilation)
    (top, left), (bottom, right) = convlib.layer_padding(padding, kernel.shape, stride, dilation)
    padded_x = np.pad(x, ((top, bottom), (left, right)))
    inside = np.pad(np.ones(x.shape, bool), ((top, bottom), (left, right))).ravel()
    np.testing.assert_array_equal(over_padded[:, inside], index)
    M_padded = np.where(over_padded >= 0, kernel.ravel()[over_padded], 0)
    M = np.where(index >= 0, kernel.ravel()[index], 0)
    np.testing.assert_allclose(M_padded @ padded_x.ravel(), M @ x.ravel(), atol=1e-12)


def test_a_1d_layer_is_a_2d_layer_on_one_row():
    for s, p, d in itertools.product((1, 2), (0, 1, "same"), (1, 2)):
        if p == "same" and s > 1:
            continue
        np.testing.assert_array_equal(convlib.layer_weight_index(8, 3, s, p, d),
                                      convlib.layer_weight_index((1, 8), (1, 3), (1, s),
                                                                 p if isinstance(p, str) else (0, p), (1, d)))


@pytest.mark.parametrize("stride, padding, dilation", GEOMETRIES)
def test_counts_match_the_built_matrix(stride, padding, dilation):
    index = convlib.layer_weight_index((6, 7), (2, 3), stride, padding, dilation)
    counts = convlib.matrix_counts((6, 7), (2, 3), stride, padding, dilation)
    assert counts.shape == index.shape and counts.entries == index.size
    assert counts.nonzero == np.count_nonzero(index >= 0)
    assert np.isclose(counts.zero_fraction, np.mean(index < 0)) and counts.nbytes == 8 * index.size


def test_portrait_counts_are_the_multiplications_of_the_loop():
    counts = convlib.matrix_counts((256, 256), (3, 3))
    assert counts.shape == (254 * 254, 256 * 256)
    assert counts.nonzero == (256 - 3 + 1) ** 2 * 3 ** 2
    assert counts.nbytes > convlib.validation.MEMORY_LIMIT
    with pytest.raises(ValueError, match=r"the weight matrix M would need 33\.8 GB"):
        convlib.correlation_matrix((256, 256), np.ones((3, 3)))
