"""Notebooks 05 and 06: a layer's matrix with stride, padding and dilation; circulant matrices; the
backward pass read off the matrix; the transposed convolution; its pictures and widgets."""

import itertools
import os

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.signal  # noqa: E402

import convlib  # noqa: E402
from convlib import viz, widgets  # noqa: E402


def torch_or_skip():
    if os.environ.get("CONVLIB_REQUIRE_TORCH"):
        import torch
        return torch
    return pytest.importorskip("torch")


GEOMETRIES = [(1, 0, 1), (2, 0, 1), (1, 1, 1), (2, 1, 2), (3, 2, 1), (1, "same", 2), (1, "valid", 1),
              ((2, 1), (0, 2), (1, 2))]


# --- the learner's example, from independent definitions ----------------------------------

def test_the_learners_example_full_valid_same():
    x, w = np.array([1.0, 2, 3, 4]), np.array([5.0, 6, 7])
    assert np.array_equal(convlib.convolution_matrix(4, w, "full") @ x, np.convolve(x, w))
    assert np.array_equal(np.convolve(x, w), [5, 16, 34, 52, 45, 28])
    valid = convlib.correlation_matrix(4, w, "valid")
    assert valid.shape == (2, 4) and np.array_equal(valid @ x, [38, 56]) and 1 * 5 + 2 * 6 + 3 * 7 == 38
    full = convlib.correlation_matrix(4, w, "full")
    np.testing.assert_array_equal(convlib.correlation_matrix(4, w, "same"), full[1:5])  # rows cut
    np.testing.assert_array_equal(valid, full[2:4])


# --- a layer's matrix ----------------------------------------------------------------------

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


def test_2d_matrix_is_doubly_block_toeplitz():
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    M = convlib.correlation_matrix((4, 4), kernel, "valid")
    assert M.shape == (4, 16)
    blocks = M.reshape(2, 2, 4, 4).transpose(0, 2, 1, 3)   # (output row, input row, 2, 4)
    for r, c in np.ndindex(2, 4):
        expected = (convlib.correlation_matrix(4, kernel[c - r], "valid") if 0 <= c - r < 3 else np.zeros((2, 4)))
        np.testing.assert_array_equal(blocks[r, c], expected)


# --- circulant ---------------------------------------------------------------------------------

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


# --- the backward pass ---------------------------------------------------------------------

@pytest.mark.parametrize("stride, padding, dilation", GEOMETRIES)
def test_matrix_backward_equals_conv2d_backward_and_finite_differences(stride, padding, dilation):
    rng = np.random.default_rng(4)
    x, weight = rng.standard_normal((2, 6, 7)), rng.standard_normal((3, 2, 2, 3))
    grad_out = rng.standard_normal(convlib.conv2d(x, weight, None, stride, padding, dilation).shape)
    by_matrix = convlib.matrix_backward(grad_out, x, weight, stride, padding, dilation)
    by_layer = convlib.conv2d_backward(grad_out, x, weight, stride, padding, dilation)
    for a, b in zip(by_matrix, by_layer):
        np.testing.assert_allclose(a, b, atol=1e-12)
    def loss(x_, w_):
        return np.sum(grad_out * convlib.conv2d(x_, w_, None, stride, padding, dilation))
    np.testing.assert_allclose(by_matrix[0], convlib.finite_difference_gradient(lambda v: loss(v, weight), x),
                               atol=1e-7)
    np.testing.assert_allclose(by_matrix[1], convlib.finite_difference_gradient(lambda v: loss(x, v), weight),
                               atol=1e-7)


def test_matrix_backward_matches_torch_autograd():
    torch = torch_or_skip()
    rng = np.random.default_rng(5)
    x, weight, bias = rng.standard_normal((2, 5, 6)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, weight, bias))
    y = torch.nn.functional.conv2d(tx, tw, tb, stride=2, padding=1)
    grad_out = rng.standard_normal(tuple(y.shape))
    y.backward(torch.tensor(grad_out))
    for ours, theirs in zip(convlib.matrix_backward(grad_out, x, weight, 2, 1), (tx, tw, tb)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), atol=1e-12)


def test_the_learners_backward_numbers():
    grad_x, grad_w, grad_b = convlib.matrix_backward([[[-2.0, 6.0]]], [[[1.0, 2, 3, 4]]], [[[[5.0, 6, 7]]]])
    np.testing.assert_array_equal(grad_x.ravel(), np.convolve([-2, 6], [5, 6, 7]))     # full convolution
    np.testing.assert_array_equal(grad_w.ravel(), np.correlate([1, 2, 3, 4], [-2, 6], "valid"))  # no flip
    assert grad_b.tolist() == [4.0]


def test_input_gradient_at_stride_2_is_a_full_convolution_of_the_dilated_gradient():
    rng = np.random.default_rng(6)
    x, kernel = rng.standard_normal((9, 9)), rng.standard_normal((3, 3))
    grad_out = rng.standard_normal((4, 4))
    grad_x, _, _ = convlib.conv2d_backward(grad_out[None], x[None], kernel[None, None], stride=2)
    dilated = np.zeros((7, 7))
    dilated[::2, ::2] = grad_out                                        # zeros inserted
    np.testing.assert_allclose(grad_x[0], scipy.signal.convolve2d(dilated, kernel, "full"), atol=1e-12)


def test_zero_entries_get_a_gradient_in_dense_form_but_are_no_parameters():
    x, g = np.array([1.0, 2, 3, 4]), np.array([-2.0, 6])
    index = convlib.weight_index(4, 3, "valid")
    grad_M = np.outer(g, x)
    assert np.all(grad_M[index < 0] != 0)      # a dense layer would move its zeros
    _, grad_w, _ = convlib.matrix_backward(g[None, None], x[None, None], np.ones((1, 1, 1, 3)))
    np.testing.assert_array_equal(grad_w.ravel(), [grad_M[index == k].sum() for k in range(3)])


def test_finite_differences_errors():
    with pytest.raises(TypeError, match=r"`f` must be a function of one array that returns a number; got 3"):
        convlib.finite_difference_gradient(3, [1.0])
    with pytest.raises(TypeError, match=r"`f` must return a number \(the loss\); got an array of shape \(2,\)"):
        convlib.finite_difference_gradient(lambda v: v, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"`eps` must be a finite number > 0; got 0"):
        convlib.finite_difference_gradient(np.sum, [1.0], eps=0)


def test_finite_differences_leave_the_input_alone():
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(convlib.finite_difference_gradient(lambda v: v @ v, x), 2 * x, atol=1e-8)
    assert x.tolist() == [1.0, 2.0]


# --- the transposed convolution --------------------------------------------------------------

TRANSPOSED = [dict(stride=s, padding=p, output_padding=op, groups=g, dilation=d)
              for s, p, op, g, d in itertools.product((1, 2, 3), (0, 1), (0, 1, 2), (1, 2), (1, 2))
              if op < max(s, d)]


@pytest.mark.parametrize("options", TRANSPOSED, ids=str)
def test_conv_transpose2d_matches_torch(options):
    torch = torch_or_skip()
    rng = np.random.default_rng(7)
    x, weight, bias = rng.standard_normal((2, 4, 4, 5)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(
        3 * options["groups"])
    expected = torch.nn.functional.conv_transpose2d(torch.tensor(x), torch.tensor(weight), torch.tensor(bias),
                                                    **options).numpy()
    np.testing.assert_allclose(convlib.conv_transpose2d(x, weight, bias, **options), expected, atol=1e-12)


@pytest.mark.parametrize("options", TRANSPOSED[::3], ids=str)
def test_conv_transpose2d_is_the_input_gradient_and_its_size_is_the_formula(options):
    rng = np.random.default_rng(8)
    groups = options["groups"]
    x, weight = rng.standard_normal((4, 4, 5)), rng.standard_normal((4, 6 // groups, 3, 2))
    out = convlib.conv_transpose2d(x, weight, **options)
    s, p, op, d = (options[k] for k in ("stride", "padding", "output_padding", "dilation"))
    assert out.shape[1:] == (convlib.transposed_output_size(4, 3, s, p, op, d),
                             convlib.transposed_output_size(5, 2, s, p, op, d))
    # the conv2d with that input size maps back to x's size, and its input gradient is `out`
    back = convlib.conv2d(np.zeros((6,) + out.shape[1:]), weight, stride=s, padding=p, dilation=d, groups=groups)
    assert back.shape == x.shape
    grad_x, _, _ = convlib.conv2d_backward(x, np.zeros((6,) + out.shape[1:]), weight, s, p, d, groups)
    np.testing.assert_allclose(out, grad_x, atol=1e-12)


def test_conv_transpose2d_is_multiplication_by_the_transpose():
    rng = np.random.default_rng(9)
    weight, z = rng.standard_normal((2, 3, 3, 3)), rng.standard_normal((2, 3, 3))
    M = convlib.layer_matrix((3, 7, 7), weight, stride=2)                # (2*3*3, 3*7*7)
    np.testing.assert_allclose(convlib.conv_transpose2d(z, weight, stride=2).ravel(), M.T @ z.ravel(), atol=1e-12)
    M8 = convlib.layer_matrix((3, 8, 8), weight, stride=2)               # 8x8 also gives 3x3 outputs
    np.testing.assert_allclose(convlib.conv_transpose2d(z, weight, stride=2, output_padding=1).ravel(),
                               M8.T @ z.ravel(), atol=1e-12)


def test_checkerboard_counts_when_the_kernel_size_is_not_divisible_by_the_stride():
    ones = np.ones((1, 12, 12))
    odd = convlib.conv_transpose2d(ones, np.ones((1, 1, 3, 3)), stride=2)[0]
    even = convlib.conv_transpose2d(ones, np.ones((1, 1, 4, 4)), stride=2, padding=1)[0]
    assert set(np.unique(odd[2:-2, 2:-2])) == {1.0, 2.0, 4.0}
    assert np.all(even[2:-2, 2:-2] == 4.0)


def test_float32_stays_float32():
    out = convlib.conv_transpose2d(np.ones((1, 3, 3), np.float32), np.ones((1, 1, 2, 2), np.float32), stride=2)
    assert out.dtype == np.float32


@pytest.mark.parametrize("call, error, match", [
    (lambda: convlib.conv_transpose2d(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), stride=2, output_padding=2),
     ValueError, r"`output_padding` must be smaller than the stride or the dilation \(as in PyTorch\); got "
                 r"output_padding=2 with stride=2 and dilation=1"),
    (lambda: convlib.conv_transpose2d(np.ones((2, 3, 3)), np.ones((1, 1, 3, 3))),
     ValueError, r"`weight` must have shape \(C_in, C_out // groups, kH, kW\) with C_in = 2"),
    (lambda: convlib.conv_transpose2d(np.ones((3, 3, 3)), np.ones((3, 1, 3, 3)), groups=2),
     ValueError, r"`groups` must divide the input channels; got groups=2 with C_in=3"),
    (lambda: convlib.conv_transpose2d(np.ones((1, 3, 3)), np.ones((1, 2, 3, 3)), bias=[1.0]),
     ValueError, r"`bias` must have shape \(2,\), one value per output channel; got shape \(1,\)"),
    (lambda: convlib.conv_transpose2d(np.ones((1, 2, 2)), np.ones((1, 1, 3, 3)), padding=3),
     ValueError, r"the padding removes the whole output: the transposed convolution's height"),
    (lambda: convlib.transposed_output_size(3, 3, stride=0), ValueError, r"`stride` must be an integer >= 1; got 0"),
    (lambda: convlib.layer_matrix((2, 4, 4), np.ones((1, 3, 2, 2))),
     ValueError, r"`weight` must have shape \(C_out, C_in, kH, kW\) with C_in = 2, the input's channels"),
    (lambda: convlib.matrix_backward(np.ones((1, 2, 2)), np.ones((1, 4, 4)), np.ones((1, 1, 3, 3)), stride=2),
     ValueError, r"`grad_out` must have the shape of the layer's output \(1, 1, 1\); got shape \(1, 2, 2\)"),
    (lambda: convlib.layer_weight_index(4, 3, dilation=3),
     ValueError, r"the kernel does not fit: its dilated width dilation\*\(kernel_size-1\)\+1 is 7"),
    (lambda: convlib.layer_weight_index(4, (3, 3)), ValueError, r"`kernel_shape` must have 1 entries"),
])
def test_errors_name_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- pictures and widgets ------------------------------------------------------------------------

X8, W3 = np.arange(1.0, 9.0), np.array([5.0, 6.0, 7.0])
GRID = 10 * np.arange(4)[:, None] + np.arange(4)[None, :]


def pixels(picture):
    assert isinstance(picture, viz.Picture) and picture.image.mode == "RGB"
    return picture.pixels()


@pytest.mark.parametrize("render, first, second", [
    (lambda v: viz.row_and_column(X8, W3, "valid", output=v), 0, 5),
    (lambda v: viz.row_and_column(X8, W3, "valid", column=v), 0, 7),
    (lambda v: viz.row_and_column(GRID, np.arange(9.0).reshape(3, 3), "valid", column=v), 0, 15),
    (lambda v: viz.row_and_column(X8, W3, "full", output=v), 0, 9),
    (lambda v: viz.strided_matrix(7, W3, stride=v), 1, 3),
    (lambda v: viz.strided_matrix(7, W3, padding=v), 0, 2),
    (lambda v: viz.tied_weights(4, W3, v, x=[1, 2, 3, 4]), "full", "valid"),
    (lambda v: viz.tied_weights(4, W3, "full", convolution=v), False, True),
])
def test_pictures_change_with_their_arguments(render, first, second):
    a, b = pixels(render(first)), pixels(render(second))
    assert a.shape != b.shape or np.any(a != b)


def test_impossible_layer_is_explained_not_raised():
    assert pixels(viz.strided_matrix(3, W3, dilation=3)).shape[2] == 3


def test_circulant_picture_and_legend_colours():
    picture = viz.circulant_vs_toeplitz(6, W3)
    colours = {tuple(c) for c in pixels(picture).reshape(-1, 3)}
    assert set(viz.TAP_COLOURS[:3]) <= colours and viz.TAP_COLOURS[3] not in colours


EXPLORERS = {
    "row_and_column": lambda: widgets.explore_row_and_column(X8, W3, grad_out=np.arange(6.0) - 2),
    "row_and_column_2d": lambda: widgets.explore_row_and_column(GRID, np.arange(9.0).reshape(3, 3), "same"),
    "strided": lambda: widgets.explore_strided_matrix(),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_redraws_at_both_ends_without_figures(name, every_control_redraws):
    every_control_redraws(EXPLORERS[name](), name)


def test_row_and_column_sliders_span_every_output_and_input():
    explorer = widgets.explore_row_and_column(GRID, np.ones((3, 3)), "full")
    assert explorer.controls["output"].max == 6 * 6 - 1 and explorer.controls["column"].max == 15
