"""convlib.depth (notebook 04): channels, 1x1 convolutions, groups and counts, against
conv2d, SciPy, Pillow and (where installed) PyTorch; its pictures and widgets."""

import os

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.signal  # noqa: E402
from PIL import Image  # noqa: E402

import convlib  # noqa: E402
from convlib import depth, images, viz, widgets  # noqa: E402

# (stride, padding, dilation), with pairs and the named paddings
CASES = [(1, 0, 1), (2, 1, 1), ((2, 1), (1, 2), 1), (1, 1, 2), (1, "same", 1), (1, "valid", (1, 2)), (3, 2, 2)]


def _torch():
    """PyTorch, or a skip; CI sets CONVLIB_REQUIRE_TORCH so that a missing torch fails instead."""
    if os.environ.get("CONVLIB_REQUIRE_TORCH"):
        import torch
        return torch
    return pytest.importorskip("torch", reason="PyTorch is optional; install the CPU build to run these")


def _layer(c_in=3, c_out=4, kernel=(3, 2), seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((2, c_in, 7, 8)), rng.standard_normal((c_out, c_in) + kernel),
            rng.standard_normal(c_out))


def _scipy_layer(x, weight, bias):
    """The layer as SciPy's 2-D correlations, channel by channel, plus the bias (one image)."""
    return np.array([bias[o] + sum(scipy.signal.correlate2d(x[c], weight[o, c], "valid") for c in range(len(x)))
                     for o in range(len(weight))])


# --- the dot product over depth ----------------------------------------------------------------------

def test_one_output_is_one_dot_product_over_all_channels():
    x, weight, _ = _layer(kernel=(5, 5))
    window = x[0, :, 1:6, 2:7]
    assert window.size == 3 * 5 * 5 == 75
    np.testing.assert_allclose(convlib.conv2d(x[0], weight)[2, 1, 2], window.ravel() @ weight[2].ravel())


@pytest.mark.parametrize("padding", [0, 1, "same", (2, 0)])
def test_channel_sums_add_up_to_every_output_borders_included(padding):
    x, weight, bias = _layer()
    y = convlib.conv2d(x[0], weight, bias, padding=padding)
    for o, i, j in [(0, 0, 0), (3, y.shape[1] - 1, y.shape[2] - 1), (1, 0, y.shape[2] - 1), (2, 3, 1)]:
        sums = depth.channel_sums(x[0], weight, o, (i, j), padding)
        assert sums.shape == (3,)
        np.testing.assert_allclose(sums.sum() + bias[o], y[o, i, j])


def test_channel_sums_are_scipy_correlations_of_each_channel():
    x, weight, _ = _layer()
    padded = np.pad(x[0], ((0, 0), (1, 1), (1, 1)))
    sums = depth.channel_sums(x[0], weight, 2, (4, 5), padding=1)
    expected = [scipy.signal.correlate2d(padded[c], weight[2, c], "valid")[4, 5] for c in range(3)]
    np.testing.assert_allclose(sums, expected)


# --- 1x1 convolutions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("shape", [(5, 3), (5, 3, 1, 1)])
def test_conv1x1_is_conv2d_with_a_1x1_kernel(batched, shape):
    x, _, _ = _layer()
    weight = np.random.default_rng(2).standard_normal((5, 3))
    bias = np.arange(5.0)
    x = x if batched else x[0]
    expected = convlib.conv2d(x, weight.reshape(5, 3, 1, 1), bias)
    np.testing.assert_allclose(depth.conv1x1(x, weight.reshape(shape), bias), expected)


def test_conv1x1_is_a_matrix_vector_product_at_every_pixel_and_scipy_agrees():
    x, _, _ = _layer()
    weight = np.random.default_rng(3).standard_normal((2, 3))
    y = depth.conv1x1(x[1], weight)
    for i, j in [(0, 0), (6, 7), (3, 2)]:
        np.testing.assert_allclose(y[:, i, j], weight @ x[1][:, i, j])
    for o in range(2):
        np.testing.assert_allclose(y[o], scipy.signal.correlate(x[1], weight[o][:, None, None], "valid")[0])


def test_conv1x1_keeps_float32():
    x = np.ones((3, 4, 4), np.float32)
    assert depth.conv1x1(x, np.ones((2, 3), np.float32)).dtype == np.float32


@pytest.mark.parametrize("stride, padding, dilation", CASES)
@pytest.mark.parametrize("kernel", [(3, 2), (1, 1), (2, 3)])
def test_a_convolution_is_a_sum_of_shifted_1x1_convolutions(stride, padding, dilation, kernel):
    x, weight, bias = _layer(kernel=kernel)
    expected = convlib.conv2d(x, weight, bias, stride, padding, dilation)
    np.testing.assert_allclose(depth.conv2d_as_1x1_sum(x, weight, bias, stride, padding, dilation), expected,
                               atol=1e-12)
    np.testing.assert_allclose(depth.conv2d_as_1x1_sum(x[1], weight, bias, stride, padding, dilation), expected[1],
                               atol=1e-12)


def test_shifted_1x1_sum_matches_scipy_channel_by_channel():
    x, weight, bias = _layer()
    np.testing.assert_allclose(depth.conv2d_as_1x1_sum(x[0], weight, bias), _scipy_layer(x[0], weight, bias))


# --- groups: depthwise and depthwise-separable -------------------------------------------------------------

def test_depthwise_separable_is_depthwise_then_1x1_and_a_full_layer_with_a_rank_one_kernel():
    rng = np.random.default_rng(4)
    x, dw, pw = rng.standard_normal((3, 9, 8)), rng.standard_normal((3, 1, 3, 2)), rng.standard_normal((5, 3))
    filtered = [scipy.signal.correlate2d(x[c], dw[c, 0], "valid") for c in range(3)]
    np.testing.assert_allclose(depth.depthwise_separable(x, dw, pw), np.einsum("oc,chw->ohw", pw, filtered))
    full = depth.separable_kernel(dw, pw)
    assert full.shape == (5, 3, 3, 2)
    for c in range(3):  # every filter's slice for channel c is the same depthwise kernel, scaled
        assert np.linalg.matrix_rank(full[:, c].reshape(5, -1)) == 1
    for stride, padding, dilation in CASES:
        np.testing.assert_allclose(depth.depthwise_separable(x[None], dw, pw[:, :, None, None], stride, padding,
                                                             dilation),
                                   convlib.conv2d(x[None], full, None, stride, padding, dilation), atol=1e-12)


# --- counting ------------------------------------------------------------------------------------------

def _count_by_running(c_in, c_out, kernel, size, groups):
    """Multiplies counted by the layer itself: with all-ones input and weights (no
    padding), every output is the length of its dot product."""
    ones = convlib.conv2d(np.ones((c_in, size, size)), np.ones((c_out, c_in // groups) + kernel), groups=groups)
    return ones.shape[1:], ones.sum()


@pytest.mark.parametrize("c_in, c_out, kernel, groups", [
    (3, 8, (3, 3), 1), (4, 6, (2, 3), 2), (6, 6, (3, 1), 6), (8, 4, (1, 1), 1), (12, 6, (5, 5), 3)])
def test_layer_cost_counts_what_conv2d_computes(c_in, c_out, kernel, groups):
    output_size, multiplies = _count_by_running(c_in, c_out, kernel, 11, groups)
    cost = depth.layer_cost(c_in, c_out, kernel, output_size, groups)
    assert cost.multiplies == multiplies
    assert cost.parameters == c_out * (c_in // groups) * kernel[0] * kernel[1] + c_out
    assert depth.layer_cost(c_in, c_out, kernel, output_size, groups, bias=False).parameters == \
        np.ones((c_out, c_in // groups) + kernel).size


def test_layer_cost_against_published_numbers():
    # cs231n: AlexNet's first layer has "34,944 parameters" (96*11*11*3 weights + 96 biases)
    assert depth.layer_cost(3, 96, 11, 55).parameters == 34944
    # MobileNet (Howard et al. 2017): depthwise-separable / full = 1/N + 1/D_K^2
    full = depth.layer_cost(512, 512, 3, 14).multiplies
    separable = depth.layer_cost(512, 512, 3, 14, groups=512).multiplies + depth.layer_cost(512, 512, 1, 14).multiplies
    assert np.isclose(separable / full, 1 / 512 + 1 / 9)


def test_layer_cost_parameters_match_torch_modules():
    torch = _torch()
    for c_in, c_out, k, groups in [(3, 96, 11, 1), (96, 256, 5, 2), (32, 32, 3, 32)]:
        module = torch.nn.Conv2d(c_in, c_out, k, groups=groups)
        assert sum(p.numel() for p in module.parameters()) == depth.layer_cost(c_in, c_out, k, 1, groups).parameters


def test_cost_table_sums_blocks_and_aligns_columns():
    block = [depth.layer_cost(8, 2, 1, 4), depth.layer_cost(2, 8, 1, 4)]
    table = depth.cost_table({"single": depth.layer_cost(8, 8, 3, 4), "block": block}).splitlines()
    assert table[0].split() == ["layer", "parameters", "multiplies"]
    assert table[2].split() == ["block", f"{8 * 2 + 2 + 8 * 2 + 8:,}", f"{2 * 8 * 16 * 2:,}"]
    assert len({len(line) for line in table}) == 1


# --- colour -------------------------------------------------------------------------------------------

def test_portrait_rgb_is_channels_first_contiguous_and_matches_the_gray_portrait():
    full, small = images.portrait_rgb(), images.portrait_rgb(48)
    assert full.shape == (3, 600, 512) and small.shape == (3, 48, 48)
    assert full.flags.c_contiguous and 0 <= small.min() and small.max() <= 1
    # Pillow's convert("L") of the same JPEG: channel order and gray weights both right
    assert np.abs(depth.rgb_to_gray(full) - images.portrait()).max() <= 0.5 / 255 + 1e-9


def test_rgb_to_gray_is_pillows_convert_L():
    pixels = np.random.default_rng(5).integers(0, 256, (17, 23, 3), dtype=np.uint8)
    pillow = np.asarray(Image.fromarray(pixels).convert("L")) / 255
    gray = depth.rgb_to_gray(pixels.transpose(2, 0, 1) / 255)
    assert gray.shape == (17, 23) and np.abs(gray - pillow).max() <= 0.5 / 255 + 1e-9
    assert np.isclose(sum(depth.GRAY_WEIGHTS), 1.0)


# --- PyTorch ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stride, padding, dilation", CASES)
def test_shifted_sum_and_separable_match_torch(stride, padding, dilation):
    torch = _torch()
    F = torch.nn.functional
    x, weight, bias = _layer(kernel=(3, 3))
    expected = F.conv2d(*map(torch.tensor, (x, weight, bias)), stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(depth.conv2d_as_1x1_sum(x, weight, bias, stride, padding, dilation), expected.numpy(),
                               atol=1e-12)
    dw, pw = weight[:3, :1], np.random.default_rng(6).standard_normal((5, 3, 1, 1))
    filtered = F.conv2d(torch.tensor(x), torch.tensor(dw), stride=stride, padding=padding, dilation=dilation,
                        groups=3)
    np.testing.assert_allclose(depth.depthwise_separable(x, dw, pw, stride, padding, dilation),
                               F.conv2d(filtered, torch.tensor(pw)).numpy(), atol=1e-12)


def test_conv1x1_is_torch_linear_on_channels_last_pixels():
    torch = _torch()
    x, _, bias = _layer(c_out=4)
    weight = np.random.default_rng(7).standard_normal((4, 3))
    dense = torch.nn.functional.linear(torch.tensor(x).permute(0, 2, 3, 1), torch.tensor(weight), torch.tensor(bias))
    np.testing.assert_allclose(depth.conv1x1(x, weight, bias), dense.permute(0, 3, 1, 2).numpy(), atol=1e-12)


# --- errors -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: depth.layer_cost(6, 4, 3, 8, groups=4), ValueError,
     r"`groups` must divide both c_in and c_out; got groups=4 with c_in=6 and c_out=4"),
    (lambda: depth.layer_cost(3, 4, 0, 8), ValueError, r"`kernel_size` must be an integer >= 1; got 0"),
    (lambda: depth.layer_cost(3.5, 4, 3, 8), TypeError, r"`c_in` must be an integer >= 1; got 3.5"),
    (lambda: depth.cost_table([1, 2]), TypeError, r"`layers` must be a dict of name -> LayerCost"),
    (lambda: depth.cost_table({"a": (1, 2)}), TypeError, r"`layers\['a'\]` must be a LayerCost or a list of them"),
    (lambda: depth.conv1x1(np.ones((3, 4, 4)), np.ones((2, 4))), ValueError,
     r"`weight` must have shape \(C_out, C_in\) or \(C_out, C_in, 1, 1\) with C_in=3, the input's channels; "
     r"got shape \(2, 4\)"),
    (lambda: depth.conv1x1(np.ones((3, 4, 4)), np.ones((2, 3, 3, 3))), ValueError, r"got shape \(2, 3, 3, 3\)"),
    (lambda: depth.conv1x1(np.ones((4, 4)), np.ones((2, 3))), ValueError, r"`x` must have 3 or 4 dimensions"),
    (lambda: depth.conv1x1(np.ones((3, 4, 4)), np.ones((2, 3)), bias=[1.0]), ValueError,
     r"`bias` must have shape \(2,\), one value per output channel"),
    (lambda: depth.conv2d_as_1x1_sum(np.ones((3, 4, 4)), np.ones((2, 2, 3, 3))), ValueError,
     r"`weight` must have shape \(C_out, C_in // groups, kH, kW\)"),
    (lambda: depth.conv2d_as_1x1_sum(np.ones((3, 4, 4)), np.ones((2, 3, 5, 5))), ValueError,
     r"the kernel does not fit"),
    (lambda: depth.channel_sums(np.ones((3, 4, 4)), np.ones((2, 3, 3, 3)), 2, (0, 0)), ValueError,
     r"`out_channel` must be below the number of filters, 2; got 2"),
    (lambda: depth.channel_sums(np.ones((3, 4, 4)), np.ones((2, 3, 3, 3)), 0, (2, 0)), ValueError,
     r"`position` must lie inside the output, of size \(2, 2\); got \(2, 0\)"),
    (lambda: depth.channel_sums(np.ones((2, 3, 4, 4)), np.ones((2, 3, 3, 3)), 0, (0, 0)), ValueError,
     r"`x` must be one image \(C_in, H, W\); got shape \(2, 3, 4, 4\)"),
    (lambda: depth.depthwise_separable(np.ones((3, 5, 5)), np.ones((3, 2, 3, 3)), np.ones((4, 3))), ValueError,
     r"`depthwise` must have shape \(C_in, 1, kH, kW\), one kernel per input channel; got shape \(3, 2, 3, 3\)"),
    (lambda: depth.depthwise_separable(np.ones((4, 5, 5)), np.ones((3, 1, 3, 3)), np.ones((4, 3))), ValueError,
     r"`depthwise` must have one kernel per channel of `x` \(C_in=4\); got 3 kernels \(shape \(3, 1, 3, 3\)\)"),
    (lambda: depth.separable_kernel(np.ones((3, 1, 3, 3)), np.ones((4, 2))), ValueError,
     r"`weight` must have shape \(C_out, C_in\) or \(C_out, C_in, 1, 1\) with C_in=3"),
    (lambda: depth.rgb_to_gray(np.ones((4, 5, 5))), ValueError,
     r"`image` must be channels-first, with one channel per weight \(3\); got shape \(4, 5, 5\)"),
    (lambda: depth.rgb_to_gray(np.ones((5, 5, 3))), ValueError, r"got shape \(5, 5, 3\)"),
    (lambda: images.portrait_rgb(1), ValueError, r"`size` must be an integer >= 2; got 1"),
    (lambda: viz.depth_dot(np.ones((5, 4, 4)), np.ones((1, 5, 2, 2))), ValueError,
     r"`x` must have 1 to 4 channels to be drawn channel by channel; got shape \(5, 4, 4\)"),
])
def test_errors_name_the_argument_and_what_was_received(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- pictures and widgets -------------------------------------------------------------------------------

FACE = images.portrait_rgb(24)
FILTERS = np.random.default_rng(8).standard_normal((3, 3, 3, 3)) / 4


def pixels(picture):
    assert isinstance(picture, viz.Picture) and picture.image.mode == "RGB"
    return picture.pixels()


@pytest.mark.parametrize("first, second", [
    ({"out_channel": 0}, {"out_channel": 2}),
    ({"position": (0, 0)}, {"position": (23, 23)}),
    ({"position": (0, 23)}, {"position": (23, 0)}),
])
def test_depth_dot_picture_changes_with_channel_and_position(first, second):
    base = {"out_channel": 1, "position": (5, 5), "padding": "same"}
    a, b = pixels(viz.depth_dot(FACE, FILTERS, **(base | first))), pixels(viz.depth_dot(FACE, FILTERS, **(base | second)))
    assert a.shape == b.shape, "a widget's picture keeps its size while a slider moves"
    assert np.any(a != b)


def test_depth_dot_draws_small_integer_examples_and_other_depths():
    x = np.arange(2 * 4 * 4).reshape(2, 4, 4)
    assert pixels(viz.depth_dot(x, np.ones((1, 2, 2, 2)), 0, (2, 2), bias=[1.0])).shape[2] == 3
    assert pixels(viz.depth_dot(FACE[:1], FILTERS[:, :1], 2, (3, 3), padding=1)).shape[2] == 3


def test_recolour_picture_depends_on_weights_and_tint():
    gray = pixels(viz.recolour(FACE))
    assert np.any(gray != pixels(viz.recolour(FACE, (1, 0, 0))))
    assert np.any(gray != pixels(viz.recolour(FACE, depth.GRAY_WEIGHTS, viz.TINTS["sepia"])))


def test_recolour_output_panel_is_the_tinted_1x1_convolution():
    weights, tint = np.array([0.2, 0.5, 0.3]), np.array(viz.TINTS["sepia"])
    expected = np.clip(tint[:, None, None] * np.tensordot(weights, FACE, axes=1), 0, 1)
    panel = np.asarray(viz.rgb_panel(expected, scale=1))[-24:, :24]
    assert np.abs(panel.astype(float) / 255 - expected.transpose(1, 2, 0)).max() <= 0.5 / 255 + 1e-9


EXPLORERS = {
    "depth_dot": lambda: widgets.explore_depth_dot(FACE, FILTERS, bias=[0.1, -0.2, 0.0], padding="same",
                                                   names=["a", "b", "c"]),
    "depth_dot_valid": lambda: widgets.explore_depth_dot(FACE, FILTERS, padding=0),
    "recolour": lambda: widgets.explore_recolour(FACE),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_redraws_at_both_ends_without_figures(name, every_control_redraws):
    every_control_redraws(EXPLORERS[name](), name)


def test_depth_dot_widget_spans_every_output_and_draws_the_static_picture():
    explorer = widgets.explore_depth_dot(FACE, FILTERS, padding="same")
    controls = explorer.controls
    assert (controls["out_channel"].max, controls["row"].max, controls["col"].max) == (2, 23, 23)
    controls["out_channel"].value, controls["row"].value, controls["col"].value = 2, 23, 0
    static = viz.depth_dot(FACE, FILTERS, 2, (23, 0), padding="same")
    assert explorer.image.value == viz.kit.png(static)
    valid = widgets.explore_depth_dot(FACE, FILTERS, padding=0).controls
    assert (valid["row"].max, valid["col"].max) == (21, 21)


def test_recolour_widget_starts_gray_and_draws_the_static_picture():
    explorer = widgets.explore_recolour(FACE)
    assert tuple(explorer.controls[c].value for c in ("red", "green", "blue")) == depth.GRAY_WEIGHTS
    explorer.controls["tint"].value = "sepia"
    assert explorer.image.value == explorer.encode(viz.recolour(FACE, depth.GRAY_WEIGHTS, viz.TINTS["sepia"]).image)
