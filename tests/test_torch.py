"""The same comparisons against torch.nn.functional, where PyTorch is installed (optional)."""

import os

import numpy as np
import pytest

import convlib

if os.environ.get("CONVLIB_REQUIRE_TORCH"):  # CI installs PyTorch: a skip there would hide a failure
    import torch
else:
    torch = pytest.importorskip("torch", reason="PyTorch is optional; install the CPU build to run these")
F = torch.nn.functional

CASES = [(1, 0, 1, 1), (2, 1, 1, 2), ((2, 1), (1, 2), (1, 2), 1), (1, "same", 2, 1), (1, "same", 1, 4), (1, "valid", 1, 1)]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # torch notes its own copy
@pytest.mark.parametrize("stride, padding, dilation, groups", CASES)
@pytest.mark.parametrize("kernel", [(3, 3), (2, 3)])
def test_conv2d_and_gradients_match_torch(stride, padding, dilation, groups, kernel):
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


@pytest.mark.parametrize("stride, padding, dilation", [(1, 0, 1), (2, 1, 2), ((1, 2), (2, 0), (2, 1))])
def test_im2col_and_col2im_match_unfold_and_fold(stride, padding, dilation):
    x = np.random.default_rng(1).standard_normal((2, 3, 9, 8))
    cols = F.unfold(torch.tensor(x), (2, 3), dilation=dilation, padding=padding, stride=stride)
    np.testing.assert_array_equal(convlib.im2col(x, (2, 3), stride, padding, dilation), cols.numpy())
    folded = F.fold(cols, (9, 8), (2, 3), dilation=dilation, padding=padding, stride=stride)
    np.testing.assert_allclose(convlib.col2im(cols.numpy(), (9, 8), (2, 3), stride, padding, dilation), folded.numpy())


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
def test_valid_correlation_is_torch_conv(method):
    rng = np.random.default_rng(2)
    x, k = rng.standard_normal((9, 8)), rng.standard_normal((3, 2))
    expected = F.conv2d(torch.tensor(x)[None, None], torch.tensor(k)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(convlib.correlate(x, k, "valid", method=method), expected, atol=1e-12)
    x1, k1 = x[0], k[:, 0]
    expected1 = F.conv1d(torch.tensor(x1)[None, None], torch.tensor(k1)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(convlib.correlate(x1, k1, "valid", method=method), expected1, atol=1e-12)
