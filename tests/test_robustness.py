"""What a learner types cannot break convlib: NaN stays local, memory is checked
before it is spent, helpers check their input, nothing is shared and mutable,
and every message names what was received."""

import numpy as np
import pytest
import scipy.signal

import convlib
from convlib import images, kernels, validation

DIRECT = ["loop", "dot", "im2col", "windows", "matrix"]


def _poisoned(shape, where, value, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape)
    x[where] = value
    return x


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


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_fft_spreads_nan_as_its_docstring_says():
    x = _poisoned((6, 7), (2, 3), np.nan)
    assert np.isnan(convlib.correlate(x, np.ones((2, 2)), "valid", method="fft")).all()
    assert "spreads to every output" in convlib.correlate_fft.__doc__


@pytest.mark.parametrize("call, message", [
    (lambda: convlib.correlation_matrix((128, 128), np.ones((3, 3))), r"the weight matrix M would need 2\.1 GB"),
    (lambda: convlib.correlate(np.ones((120, 120)), np.ones((3, 3)), method="matrix"),
     r"the weight matrix M would need 1\.7 GB .* use method='windows' for images"),
    (lambda: convlib.correlate(images.portrait(), kernels.box_blur(), method="matrix"), r"would need 760\.5 GB"),
    (lambda: convlib.conv2d(np.ones((1, 8, 8)), np.ones((1, 1, 3, 3)), padding=10**6), r"the padded input would need"),
    (lambda: kernels.gaussian(100001), r"the kernel would need 80\.0 GB"),
    (lambda: convlib.im2col(np.ones((64, 512, 512)), 11), r"the im2col matrix X_col would need"),
    (lambda: convlib.correlate(np.ones(5), np.broadcast_to(1.0, 10**9 + 1), "full"), r"the input padded for mode='full' would need"),
])
def test_memory_is_checked_before_it_is_spent(call, message):
    with pytest.raises(ValueError, match=message + r".*convlib\.validation\.MEMORY_LIMIT"):
        call()


def test_the_memory_limit_can_be_raised(monkeypatch):
    monkeypatch.setattr(validation, "MEMORY_LIMIT", 4 * 2**30)
    validation.check_memory((16384, 16384), np.float64, "M", "")  # 2.1 GB: now allowed


def test_the_dense_matrix_costs_its_own_size_only():
    import tracemalloc

    tracemalloc.start()
    M = convlib.correlation_matrix((48, 48), np.ones((3, 3)), "full")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1.2 * M.nbytes, f"building M peaked at {peak / M.nbytes:.1f}x its size"


@pytest.mark.parametrize("call, error, message", [
    (lambda: convlib.output_shape((2,), (5,), "valid"), ValueError, r"in 'valid' mode `kernel` must fit inside `x`"),
    (lambda: convlib.output_shape((4,), (3, 3), "full"), ValueError, r"`kernel_shape` must have 1 entries; got \(3, 3\)"),
    (lambda: convlib.correlation_matrix((5,), np.ones((3, 3))), ValueError, r"`kernel` must have 1 dimension; got 2"),
    (lambda: kernels.gaussian(5, sigma=float("inf")), ValueError, r"`sigma` must be a finite number > 0; got inf"),
    (lambda: kernels.gaussian(5, sigma="1"), TypeError, r"`sigma` must be a finite number > 0; got '1'"),
    (lambda: images.load_image(None), TypeError, r"`path` must be a file name .*; got None"),
    (lambda: convlib.correlate(None, [1]), TypeError, r"`x` must be an array of real numbers; got None"),
    (lambda: convlib.correlate({"a": 1}, [1]), TypeError, r"`x` must be an array of real numbers; got a dict"),
    (lambda: convlib.correlate((v for v in [1, 2]), [1]), TypeError, r"got a generator"),
    (lambda: convlib.conv2d(np.ones((1, 4, 4)), np.ones((1, 1, 2, 2)), padding=1.5), TypeError,
     r"`padding` must be an int, a pair of ints, 'valid' or 'same'; got 1\.5"),
])
def test_helpers_check_their_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_load_image_refuses_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"`path` must name an image file; got '.*', which is a folder"):
        images.load_image(tmp_path)


def test_pad_for_mode_takes_an_int_or_a_list_as_the_kernel_shape():
    np.testing.assert_array_equal(convlib.pad_for_mode(np.array([1, 2]), 3, "full"), [0, 0, 1, 2, 0, 0])
    assert convlib.pad_for_mode(np.ones((2, 2)), [2, 3], "same").shape == (3, 4)


def test_a_tiny_sigma_gives_the_identity_not_nan():
    np.testing.assert_array_equal(kernels.gaussian(3, sigma=1e-300), kernels.identity())


def test_a_torch_tensor_that_requires_grad_is_accepted():
    torch = pytest.importorskip("torch", reason="PyTorch is optional")
    x = torch.ones(5, requires_grad=True)
    np.testing.assert_array_equal(convlib.correlate(x, [1, 1], "valid"), [2, 2, 2, 2])


def test_named_kernels_are_not_shared():
    sobel = kernels.KERNELS["sobel x"]
    sobel *= 2
    np.testing.assert_array_equal(kernels.KERNELS["sobel x"], kernels.sobel_x())


def test_flip_is_a_read_only_view_that_leaves_its_argument_writeable():
    kernel = np.arange(4.0).reshape(2, 2)
    flipped = convlib.flip(kernel)
    with pytest.raises(ValueError, match="read-only"):
        flipped[0, 0] = 7
    kernel[0, 0] = 7
    assert flipped[1, 1] == 7 and kernel.flags.writeable


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
def test_each_method_checks_the_mode_once(method, monkeypatch):
    import convlib.modes as modes

    calls = []
    original = modes._check_mode
    monkeypatch.setattr(modes, "_check_mode", lambda mode: calls.append(mode) or original(mode))
    convlib.correlate(np.ones(6), np.ones(3), "same", method=method)
    assert calls == ["same"]
