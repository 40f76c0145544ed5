"""convlib.backward (notebook 06): the backward pass read off the matrix and through im2col, finite
differences and the transposed convolution, against autograd where PyTorch is installed."""

import itertools

import numpy as np
import pytest
import scipy.linalg
import scipy.signal

import convlib
from layer_cases import GEOMETRIES
from torch_oracle import torch_or_skip


# (stride, padding, dilation, groups): ints, pairs and strings
CASES = [
    (1, 0, 1, 1), (2, 1, 1, 1), ((2, 1), (1, 2), 1, 1), (1, 1, 2, 1), (1, "valid", 1, 1),
    (1, "same", 1, 1), (1, "same", (2, 1), 2), (2, 0, (1, 2), 2), (1, 1, 1, 4),
]


def _numeric_gradient(f, array, eps=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        up = f()
        array[index] = saved - eps
        down = f()
        array[index] = saved
        grad[index] = (up - down) / (2 * eps)
    return grad


X, W = np.ones((1, 4, 6, 6)), np.ones((2, 4, 3, 3))


TORCH_CASES = [(1, 0, 1, 1), (2, 1, 1, 2), ((2, 1), (1, 2), (1, 2), 1), (1, "same", 2, 1), (1, "same", 1, 4), (1, "valid", 1, 1)]


TRANSPOSED = [dict(stride=s, padding=p, output_padding=op, groups=g, dilation=d)
              for s, p, op, g, d in itertools.product((1, 2, 3), (0, 1), (0, 1, 2), (1, 2), (1, 2))
              if op < max(s, d)]


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
     ValueError, r"`groups` must divide both the input channels and the output channels; got groups=2 with C_in=3"),
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


def test_backward_checks_the_gradient_shape():
    with pytest.raises(ValueError, match=r"`grad_out` must have the shape of conv2d's output \(1, 2, 4, 4\); got shape \(1, 2, 3, 3\)"):
        convlib.conv2d_backward(np.ones((1, 2, 3, 3)), X, W)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # torch notes its own copy
@pytest.mark.parametrize("stride, padding, dilation, groups", TORCH_CASES)
@pytest.mark.parametrize("kernel", [(3, 3), (2, 3)])
def test_conv2d_and_gradients_match_torch(stride, padding, dilation, groups, kernel):
    torch = torch_or_skip()
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    x, weight, bias = rng.standard_normal((2, 4, 8, 7)), rng.standard_normal((4, 4 // groups) + kernel), rng.standard_normal(4)
    tensors = [torch.tensor(a, requires_grad=True) for a in (x, weight, bias)]
    expected = F.conv2d(*tensors, stride=stride, padding=padding, dilation=dilation, groups=groups)
    grad_out = rng.standard_normal(tuple(expected.shape))
    expected.backward(torch.tensor(grad_out))
    np.testing.assert_allclose(convlib.conv2d(x, weight, bias, stride, padding, dilation, groups), expected.detach().numpy(), atol=1e-12)
    grads = convlib.conv2d_backward(grad_out, x, weight, stride, padding, dilation, groups)
    for mine, tensor in zip(grads, tensors):
        np.testing.assert_allclose(mine, tensor.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("stride, padding, dilation, groups", CASES)
def test_backward_matches_finite_differences(stride, padding, dilation, groups):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 4, 5, 6))
    weight = rng.standard_normal((4, 4 // groups, 2, 3))
    bias = rng.standard_normal(4)
    out = convlib.conv2d(x, weight, bias, stride, padding, dilation, groups)
    grad_out = rng.standard_normal(out.shape)
    loss = lambda: np.sum(convlib.conv2d(x, weight, bias, stride, padding, dilation, groups) * grad_out)  # noqa: E731
    grad_x, grad_weight, grad_bias = convlib.conv2d_backward(grad_out, x, weight, stride, padding, dilation, groups)
    np.testing.assert_allclose(grad_x, _numeric_gradient(loss, x), atol=1e-6)
    np.testing.assert_allclose(grad_weight, _numeric_gradient(loss, weight), atol=1e-6)
    np.testing.assert_allclose(grad_bias, _numeric_gradient(loss, bias), atol=1e-6)


def test_input_gradient_is_a_full_correlation_with_the_flipped_kernel():
    rng = np.random.default_rng(8)
    x, weight = rng.standard_normal((3, 6, 5)), rng.standard_normal((2, 3, 3, 2))
    grad_out = rng.standard_normal(convlib.conv2d(x, weight).shape)
    grad_x, grad_weight, _ = convlib.conv2d_backward(grad_out, x, weight)
    expected_x = [sum(scipy.signal.correlate2d(grad_out[o], np.flip(weight[o, c]), "full") for o in range(2)) for c in range(3)]
    np.testing.assert_allclose(grad_x, expected_x, atol=1e-12)
    expected_w = [[scipy.signal.correlate2d(x[c], grad_out[o], "valid") for c in range(3)] for o in range(2)]
    np.testing.assert_allclose(grad_weight, expected_w, atol=1e-12)
