"""convlib.flipping (notebook 06): the flip, the impulse test, the learned-kernel fit and
correlation as similarity, against NumPy, SciPy and (where installed) PyTorch; its pictures
and widgets."""

import functools
import os

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.ndimage  # noqa: E402
import scipy.signal  # noqa: E402

import convlib  # noqa: E402
from convlib import images, kernels, viz, widgets  # noqa: E402

PORTRAIT = images.portrait(48)


def _torch():
    """PyTorch, or a skip; CI sets CONVLIB_REQUIRE_TORCH so that a missing torch fails instead."""
    if os.environ.get("CONVLIB_REQUIRE_TORCH"):
        import torch
        return torch
    return pytest.importorskip("torch", reason="PyTorch is optional; install the CPU build to run these")


def _random(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# --- the flip ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(4,), (2, 3), (3, 3)])
def test_flip_reverses_every_axis_as_a_read_only_view(shape):
    w = _random(shape)
    flipped = convlib.flip(w)
    np.testing.assert_array_equal(flipped, w[::-1] if w.ndim == 1 else np.rot90(w, 2))
    assert np.shares_memory(flipped, w) and not flipped.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        flipped[0] = 1.0


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("shapes", [((9,), (4,)), ((7, 8), (3, 2))])
def test_convolve_is_correlate_with_the_flip_for_every_method(method, mode, shapes):
    x, w = _random(shapes[0], 1), _random(shapes[1], 2)
    expected = scipy.signal.convolve(x, w, mode)
    np.testing.assert_allclose(convlib.convolve(x, w, mode, method), expected, atol=1e-12)
    np.testing.assert_allclose(convlib.correlate(x, convlib.flip(w), mode, method), expected, atol=1e-12)


@pytest.mark.parametrize("name", ["box blur", "gaussian", "identity", "laplacian"])
def test_symmetric_kernels_give_the_same_output_both_ways(name):
    w = kernels.KERNELS[name]
    np.testing.assert_allclose(convlib.convolve(PORTRAIT, w, "same"), convlib.correlate(PORTRAIT, w, "same"), atol=1e-12)


def test_the_l_kernel_differs_and_its_flip_happens_to_be_its_transpose():
    w = kernels.asymmetric()
    assert not np.allclose(convlib.convolve(PORTRAIT, w, "same"), convlib.correlate(PORTRAIT, w, "same"))
    np.testing.assert_array_equal(convlib.flip(w), w.T)
    np.testing.assert_array_equal(convlib.flip(kernels.sobel_x()), -kernels.sobel_x())


# --- the laws --------------------------------------------------------------------------------------------

def test_convolution_commutes_and_associates_correlation_does_not():
    x, a, b = _random((6, 7), 3), _random((3, 2), 4), _random((2, 3), 5)
    np.testing.assert_allclose(convlib.convolve(x, a), convlib.convolve(a, x))
    np.testing.assert_allclose(convlib.convolve(convlib.convolve(x, a), b), convlib.convolve(x, convlib.convolve(a, b)))
    assert not np.allclose(convlib.correlate(x, a), convlib.correlate(a, x))
    twice = convlib.correlate(convlib.correlate(x, a), b)
    assert not np.allclose(twice, convlib.correlate(x, convlib.correlate(a, b)))
    np.testing.assert_allclose(twice, convlib.correlate(x, convlib.convolve(a, b)))


# --- the impulse test --------------------------------------------------------------------------------------

# What each function's documentation says it computes: True for a convolution.
LIBRARY_1D = {
    "np.convolve": (np.convolve, True),
    "np.correlate": (np.correlate, False),
    "signal.convolve": (scipy.signal.convolve, True),
    "signal.correlate": (scipy.signal.correlate, False),
    "signal.fftconvolve": (scipy.signal.fftconvolve, True),
    "signal.oaconvolve": (scipy.signal.oaconvolve, True),
    "signal.correlate same": (functools.partial(scipy.signal.correlate, mode="same"), False),
    "ndimage.convolve": (scipy.ndimage.convolve, True),
    "ndimage.correlate": (scipy.ndimage.correlate, False),
    "ndimage.convolve1d": (scipy.ndimage.convolve1d, True),
    "ndimage.correlate1d": (scipy.ndimage.correlate1d, False),
}
LIBRARY_2D = {
    "signal.convolve2d": (scipy.signal.convolve2d, True),
    "signal.correlate2d valid": (functools.partial(scipy.signal.correlate2d, mode="valid"), False),
    "ndimage.convolve": (scipy.ndimage.convolve, True),
    "ndimage.correlate": (scipy.ndimage.correlate, False),
    "convlib.conv2d": (lambda x, w: convlib.conv2d(x[None], w[None, None])[0], False),
    "convlib.conv2d same": (lambda x, w: convlib.conv2d(x[None], w[None, None], padding="same"), False),
}


@pytest.mark.parametrize("name", sorted(LIBRARY_1D))
def test_the_impulse_test_names_numpy_and_scipy_in_1d(name):
    function, convolves = LIBRARY_1D[name]
    assert convlib.flips(function) is convolves


@pytest.mark.parametrize("name", sorted(LIBRARY_2D))
def test_the_impulse_test_names_scipy_and_layers_in_2d(name):
    function, convolves = LIBRARY_2D[name]
    assert convlib.flips(function, ndim=2) is convolves


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("ndim", [1, 2])
def test_convlib_convolve_flips_and_correlate_never_does(method, mode, ndim):
    assert convlib.flips(functools.partial(convlib.convolve, mode=mode, method=method), ndim) is True
    assert convlib.flips(functools.partial(convlib.correlate, mode=mode, method=method), ndim) is False


def test_impulse_response_is_the_kernel_or_its_flip():
    np.testing.assert_array_equal(convlib.impulse_response(np.convolve), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(convlib.impulse_response(scipy.signal.correlate2d, 2), [[6, 5, 4], [3, 2, 1]])


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
def test_pytorch_conv_is_a_correlation_and_its_transpose_a_convolution():
    torch = _torch()
    functional = torch.nn.functional

    def batch(a):
        return torch.tensor(a[None, None])

    assert convlib.flips(lambda x, w: functional.conv1d(batch(x), batch(w))) is False
    assert convlib.flips(lambda x, w: functional.conv2d(batch(x), batch(w)), ndim=2) is False
    assert convlib.flips(lambda x, w: functional.conv2d(batch(x), batch(w), padding="same"), ndim=2) is False
    assert convlib.flips(lambda x, w: functional.conv_transpose2d(batch(x), batch(w)), ndim=2) is True


@pytest.mark.parametrize("function, ndim, error, message", [
    ("np.convolve", 1, TypeError, r"`function` must be callable as function\(x, kernel\); got 'np.convolve'"),
    (np.convolve, 3, ValueError, "`ndim` must be 1 or 2; got 3"),
    (np.convolve, 1.0, TypeError, "`ndim` must be an integer >= 1; got 1.0"),
    (lambda x, w: np.zeros(5), 1, ValueError, "returned only zeros for an impulse"),
    (lambda x, w: scipy.signal.convolve2d(x, w.T), 2, ValueError,
     r"neither the kernel \[\[1.0, 2.0, 3.0\], \[4.0, 5.0, 6.0\]\] nor its flip; got \[\[1.0, 4.0\]"),
    (lambda x, w: np.convolve(x, w)[:9], 1, ValueError, r"neither the kernel .* nor its flip; got \[1.0, 2.0\]"),
    (lambda x, w: np.zeros((2, 3, 4)), 1, ValueError, "must return an array of 1 dimension"),
    (lambda x, w: "text", 1, TypeError, "the output of `function`"),
])
def test_impulse_test_errors_say_what_was_received(function, ndim, error, message):
    with pytest.raises(error, match=message):
        convlib.flips(function, ndim)


# --- learned kernels -------------------------------------------------------------------------------------------

def _scipy_fit(x, y, kernel_shape):
    """Least squares with SciPy: column k of the design is x correlated with the k-th unit kernel."""
    units = np.eye(int(np.prod(kernel_shape))).reshape(-1, *kernel_shape)
    design = np.stack([scipy.signal.correlate(x, unit, "valid").ravel() for unit in units], axis=1)
    return scipy.linalg.lstsq(design, y.ravel())[0].reshape(kernel_shape)


@pytest.mark.parametrize("x_shape, kernel_shape", [((20,), (4,)), ((12, 13), (3, 2)), ((10, 10), (3, 3))])
def test_fit_finds_the_kernel_and_its_flip_and_both_fit_equally_well(x_shape, kernel_shape):
    x, w = _random(x_shape, 6), _random(kernel_shape, 7)
    y = scipy.signal.convolve(x, w, "valid") + 0.01 * _random(np.subtract(x_shape, kernel_shape) + 1, 8)
    w_conv = convlib.fit_kernel(x, y, kernel_shape, "convolution")
    w_corr = convlib.fit_kernel(x, y, kernel_shape, "correlation")
    np.testing.assert_allclose(w_corr, _scipy_fit(x, y, kernel_shape), atol=1e-10)
    np.testing.assert_allclose(w_corr, np.flip(w_conv), atol=1e-10)
    assert np.abs(w_conv - w).max() < 0.05
    residuals = [y - scipy.signal.correlate(x, w_corr, "valid"), y - scipy.signal.convolve(x, w_conv, "valid")]
    np.testing.assert_allclose(*[np.linalg.norm(r) for r in residuals])


def test_fit_is_exact_on_noise_free_data_and_takes_one_int_for_every_axis():
    x, w = _random((9, 9), 9), _random((3, 3), 10)
    y = scipy.signal.correlate(x, w, "valid")
    np.testing.assert_allclose(convlib.fit_kernel(x, y, 3), w, atol=1e-10)
    np.testing.assert_allclose(convlib.fit_kernel(x, y, (3, 3), "convolution"), np.flip(w), atol=1e-10)


def test_fit_agrees_with_pytorch_least_squares_on_unfolded_windows():
    torch = _torch()
    x, w = _random((11, 12), 11), _random((3, 2), 12)
    y = scipy.signal.convolve(x, w, "valid") + 0.1 * _random((9, 11), 13)
    columns = torch.nn.functional.unfold(torch.tensor(x[None, None]), (3, 2))[0]     # (6, L), as X_col
    solution = torch.linalg.lstsq(columns.T, torch.tensor(y.reshape(-1, 1))).solution
    np.testing.assert_allclose(convlib.fit_kernel(x, y, (3, 2)), solution.numpy().reshape(3, 2), atol=1e-8)


def test_gradient_descent_on_a_correlation_layer_learns_the_flipped_kernel():
    x, w = _random((16, 16), 14), kernels.asymmetric() + np.eye(3)
    y = scipy.signal.convolve(x, w, "valid")
    layer = np.zeros((1, 1, 3, 3))
    for _ in range(200):
        error = convlib.conv2d(x[None], layer) - y[None]
        layer -= 0.5 * convlib.conv2d_backward(error, x[None], layer)[1] / error.size
    np.testing.assert_allclose(layer[0, 0], np.flip(w), atol=1e-6)


@pytest.mark.parametrize("args, error, message", [
    ((np.ones(5), np.ones(2), 3), ValueError, r"`y` must have the valid output's shape .* \(3,\) .*; got shape \(2,\)"),
    ((np.ones((5, 5)), np.ones((3, 3)), (3, 3, 1)), ValueError, "`kernel_shape` must have 2 entries"),
    ((np.ones(5), np.ones(3), 0), ValueError, "`kernel_shape` must be an integer >= 1; got 0"),
    ((np.ones(3), np.ones(1), 5), ValueError, r"`y` must have the valid output's shape N - K \+ 1"),
    ((np.ones(5), np.ones((3, 1)), 3), ValueError, "`y` must have 1 dimension"),
    ((np.ones(5), np.ones(3), 3, "conv"), ValueError, "`model` must be one of 'correlation', 'convolution'; got 'conv'"),
    ((np.ones((2, 2, 2)), np.ones(1), 1), ValueError, "`x` must have 1 or 2 dimensions"),
])
def test_fit_errors_say_what_was_received(args, error, message):
    with pytest.raises(error, match=message):
        convlib.fit_kernel(*args)


# --- correlation as similarity ----------------------------------------------------------------------------------

def _cosine_loop(image, template):
    out = np.zeros(np.subtract(image.shape, template.shape) + 1)
    for position in np.ndindex(*out.shape):
        window = image[tuple(slice(p, p + k) for p, k in zip(position, template.shape))]
        length = np.linalg.norm(window) * np.linalg.norm(template)
        out[position] = np.sum(window * template) / length if length else 0.0
    return out


@pytest.mark.parametrize("shapes", [((15,), (4,)), ((9, 11), (3, 4))])
def test_normalised_correlation_is_the_cosine_of_every_window(shapes):
    image, template = _random(shapes[0], 15), _random(shapes[1], 16)
    image[:3] = 0.0                                     # windows of zeros get 0
    np.testing.assert_allclose(convlib.normalised_correlation(image, template), _cosine_loop(image, template))


def test_template_matching_finds_the_template_and_the_flip_does_not():
    template = PORTRAIT[15:21, 10:18]
    cosine = convlib.normalised_correlation(PORTRAIT, template)
    assert np.unravel_index(cosine.argmax(), cosine.shape) == (15, 10) and np.isclose(cosine.max(), 1.0)
    assert convlib.normalised_correlation(PORTRAIT, convlib.flip(template)).max() < 0.999


@pytest.mark.parametrize("args, error, message", [
    ((np.ones(3), np.ones(4)), ValueError, r"`template` must fit inside `image` along every axis; got template shape \(4,\)"),
    ((np.ones(5), np.zeros(2)), ValueError, "`template` must not be all zeros"),
    ((np.ones((5, 5)), np.ones(2)), ValueError, "`template` must have 2 dimensions"),
    ((np.ones(5) * 1j, np.ones(2)), TypeError, "`image` must be an array of real numbers; got complex values"),
])
def test_normalised_correlation_errors(args, error, message):
    with pytest.raises(error, match=message):
        convlib.normalised_correlation(*args)


def test_autocorrelation_matches_scipy_and_finds_the_period():
    rng = np.random.default_rng(17)
    pattern = np.tile(rng.standard_normal(7), 10) + 0.3 * rng.standard_normal(70)
    centred = pattern - pattern.mean()
    full = scipy.signal.correlate(centred, centred, "full")
    np.testing.assert_allclose(convlib.autocorrelation(pattern), full[69:] / full[69])
    assert 1 + np.argmax(convlib.autocorrelation(pattern)[1:35]) == 7
    with pytest.raises(ValueError, match="`x` must not be constant"):
        convlib.autocorrelation(np.full(5, 2.0))
    with pytest.raises(ValueError, match="`x` must have 1 dimension"):
        convlib.autocorrelation(np.ones((2, 2)))


# --- pictures and widgets --------------------------------------------------------------------------------------

def pixels(picture):
    assert isinstance(picture, viz.Picture) and picture.image.mode == "RGB"
    return picture.pixels()


def test_flip_slide_renders_every_position_and_the_flip_changes_it():
    signal = widgets.SIGNALS["impulse"]
    last = len(signal) + 3 - 2
    drawn = [pixels(viz.flip_slide(signal, [1, 2, 3], p, f)) for p in (0, last) for f in (False, True)]
    assert len({d.shape for d in drawn}) == 1
    assert all(np.any(a != b) for i, a in enumerate(drawn) for b in drawn[i + 1:])


def test_flip_portrait_difference_is_flat_for_a_symmetric_kernel_only():
    def difference_panel(kernel):
        picture = pixels(viz.flip_portrait(PORTRAIT, kernel))
        width = picture.shape[1]
        return picture[60:80, width - 40:width - 20]     # inside the last panel, the difference
    assert len(np.unique(difference_panel(kernels.box_blur()))) == 1
    assert len(np.unique(difference_panel(kernels.asymmetric()))) > 1


def test_flip_portrait_takes_precomputed_results():
    w = kernels.emboss()
    results = (convlib.correlate(PORTRAIT, w, "same"), convlib.convolve(PORTRAIT, w, "same"))
    assert np.array_equal(pixels(viz.flip_portrait(PORTRAIT, w, results)), pixels(viz.flip_portrait(PORTRAIT, w)))


EXPLORERS = {
    "slide": lambda: widgets.explore_flip_slide(),
    "portrait": lambda: widgets.explore_flip_portrait(PORTRAIT),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_redraws_at_both_ends_without_figures(name, every_control_redraws):
    every_control_redraws(EXPLORERS[name](), name)


def test_slide_widget_shows_the_static_picture_and_follows_the_signal_length():
    signals = {"long": np.arange(12.0), "short": np.array([0.0, 1.0, 0.0])}
    explorer = widgets.explore_flip_slide([1.0, 2.0], signals)
    explorer.controls["position"].value = 12                    # the last output of the long signal
    explorer.controls["flip"].value = widgets.FLIP_CHOICES[1]
    expected = viz.flip_slide(signals["long"], [1.0, 2.0], 12, flip_kernel=True)
    assert bytes(explorer.image.value) == viz.kit.png(expected)
    explorer.controls["signal"].value = "short"
    assert explorer.controls["position"].max == 3 and explorer.controls["position"].value == 3
    explorer.controls["signal"].value = "long"
    assert explorer.controls["position"].max == 12


def test_portrait_widget_shows_the_static_picture_of_the_stretched_kernel():
    explorer = widgets.explore_flip_portrait(PORTRAIT)
    explorer.controls["stretch"].value = 3
    expected = viz.flip_portrait(PORTRAIT, np.kron(kernels.asymmetric(), np.ones((3, 3))))
    assert bytes(explorer.image.value) == explorer.encode(expected.image)
