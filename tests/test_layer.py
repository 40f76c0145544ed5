"""convlib.layer (notebooks 03, 04): conv2d against its loops, SciPy and its errors."""

import itertools

import numpy as np
import pytest
import scipy.signal

import convlib


# (stride, padding, dilation, groups): ints, pairs and strings
CASES = [
    (1, 0, 1, 1), (2, 1, 1, 1), ((2, 1), (1, 2), 1, 1), (1, 1, 2, 1), (1, "valid", 1, 1),
    (1, "same", 1, 1), (1, "same", (2, 1), 2), (2, 0, (1, 2), 2), (1, 1, 1, 4),
]


def reference_loop(x, weight, bias, stride, padding, dilation, groups):
    """Reference: the definition, one output value at a time (pairs and per-side padding)."""
    (sh, sw), (dh, dw) = stride, dilation
    top, bottom, left, right = padding
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    oh, ow = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, c_out, oh, ow))
    per_group = c_out // groups
    for b, o, i, j in itertools.product(range(n), range(c_out), range(oh), range(ow)):
        first = (o // per_group) * c_group
        window = x[b, first:first + c_group, i * sh:i * sh + dh * (kh - 1) + 1:dh, j * sw:j * sw + dw * (kw - 1) + 1:dw]
        out[b, o, i, j] = np.sum(window * weight[o]) + (0 if bias is None else bias[o])
    return out


def _pairs(stride, padding, dilation, kernel):
    """Per-side padding for the reference loop. 'same' is found by search, from
    PyTorch's documented promise (the output keeps the input's size) and its
    implementation note (an odd total puts the extra zero at the bottom/right),
    not from convlib's own rule."""
    pair = lambda v: v if isinstance(v, tuple) else (v, v)  # noqa: E731
    stride, dilation = pair(stride), pair(dilation)
    if padding == "valid":
        return stride, (0, 0, 0, 0), dilation
    if padding == "same":
        sides = []
        for n, k, d in zip((7, 6), kernel, dilation):  # the input's (H, W) in _layer
            (before, after), = [(b, a) for b in range(k * d) for a in (b, b + 1)
                                if n + b + a - d * (k - 1) == n]
            sides += [before, after]
        return stride, tuple(sides), dilation
    ph, pw = pair(padding)
    return stride, (ph, ph, pw, pw), dilation


def _layer(groups, kernel=(3, 2), seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 4, 7, 6)).astype(dtype)
    weight = rng.standard_normal((4, 4 // groups) + kernel).astype(dtype)
    return x, weight, rng.standard_normal(4).astype(dtype)


X, W = np.ones((1, 4, 6, 6)), np.ones((2, 4, 3, 3))


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(x=np.ones((6, 6))), ValueError, r"`x` must have 3 or 4 dimensions; got 2 dimensions"),
    (dict(weight=np.ones((2, 4, 3))), ValueError, r"`weight` must have 4 dimensions; got 3"),
    (dict(weight=np.ones((2, 3, 3, 3))), ValueError, r"`weight` must have shape \(C_out, C_in // groups, kH, kW\).*C_in=4.*got weight shape \(2, 3, 3, 3\)"),
    (dict(weight=np.ones((2, 4, 3, 3)), groups=3), ValueError, r"`groups` must divide both.*got groups=3 with C_in=4 and C_out=2"),
    (dict(groups=0), ValueError, r"`groups` must be an integer >= 1; got 0"),
    (dict(stride=0), ValueError, r"`stride` must be an integer >= 1; got 0"),
    (dict(stride=1.5), TypeError, r"`stride` must be an integer >= 1; got 1.5"),
    (dict(dilation=(1, 0)), ValueError, r"`dilation` must be an integer >= 1; got 0"),
    (dict(padding=-1), ValueError, r"`padding` must be an integer >= 0; got -1"),
    (dict(padding="full"), ValueError, r"`padding` must be an int, a pair of ints, 'valid' or 'same'; got 'full'"),
    (dict(padding="same", stride=2), ValueError, r"`padding='same'` needs stride 1.*got stride=\(2, 2\)"),
    (dict(weight=np.ones((2, 4, 7, 3))), ValueError, r"the kernel does not fit: its dilated height dilation\*\(kernel_size-1\)\+1 is 7 but the padded input has 6"),
    (dict(bias=np.ones(3)), ValueError, r"`bias` must have shape \(2,\), one value per output channel; got shape \(3,\)"),
    (dict(x=np.ones((1, 4, 6, 6)) * 1j), TypeError, r"`x` must be an array of real numbers; got complex values"),
    (dict(x=np.ones((1, 0, 6, 6)), weight=np.ones((2, 0, 3, 3))), ValueError, r"`x` must not be empty"),
])
def test_conv2d_errors(kwargs, error, message):
    args = dict(x=X, weight=W) | kwargs
    with pytest.raises(error, match=message):
        convlib.conv2d(**args)


@pytest.mark.parametrize("stride, padding, dilation, groups", CASES)
@pytest.mark.parametrize("kernel", [(3, 2), (3, 3), (2, 2)])
def test_conv2d_matches_the_loop(stride, padding, dilation, groups, kernel):
    x, weight, bias = _layer(groups, kernel)
    expected = reference_loop(x, weight, bias, *_pairs(stride, padding, dilation, kernel), groups)
    for layer in (convlib.conv2d, convlib.conv2d_loop, convlib.fast.conv2d):
        actual = layer(x, weight, bias, stride, padding, dilation, groups)
        np.testing.assert_allclose(actual, expected, atol=1e-12, err_msg=layer.__module__)


@pytest.mark.parametrize("padding", [0, 1, (2, 1)])
def test_conv2d_is_a_sum_of_per_channel_scipy_correlations(padding):
    x, weight, _ = _layer(groups=1)
    ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    expected = np.array([[sum(scipy.signal.correlate2d(padded[b, c], weight[o, c], mode="valid") for c in range(4))
                          for o in range(4)] for b in range(2)])
    np.testing.assert_allclose(convlib.conv2d(x, weight, padding=padding), expected, atol=1e-12)


@pytest.mark.parametrize("layer", [convlib.conv2d, convlib.conv2d_loop, convlib.fast.conv2d])
def test_unbatched_input_gives_unbatched_output(layer):
    x, weight, bias = _layer(groups=2)
    np.testing.assert_allclose(layer(x[1], weight, bias, groups=2), layer(x, weight, bias, groups=2)[1])


def test_depthwise_convolution_filters_each_channel_alone():
    x, _, _ = _layer(groups=1)
    weight = np.random.default_rng(5).standard_normal((4, 1, 3, 3))
    out = convlib.conv2d(x, weight, groups=4)
    for c in range(4):
        np.testing.assert_allclose(out[:, c], [scipy.signal.correlate2d(x[b, c], weight[c, 0], "valid") for b in range(2)])


def test_1x1_convolution_is_a_dense_layer_at_every_pixel():
    x, _, _ = _layer(groups=1)
    weight = np.random.default_rng(6).standard_normal((5, 4, 1, 1))
    dense = np.einsum("oc,nchw->nohw", weight[:, :, 0, 0], x)
    np.testing.assert_allclose(convlib.conv2d(x, weight), dense)


@pytest.mark.parametrize("layer", [convlib.conv2d, convlib.conv2d_loop, convlib.fast.conv2d])
def test_float32_stays_float32_and_integers_become_float64(layer):
    x, weight, bias = _layer(groups=1, dtype=np.float32)
    assert layer(x, weight, bias).dtype == np.float32
    assert layer(np.ones((1, 4, 4), int), np.ones((1, 1, 2, 2), int)).dtype == np.float64
