"""Notebook 07: the DFT matrix, circular convolution and correlation, padded sizes, kernels'
frequency responses, the cost counts, the race and its record; its pictures and widgets."""

import importlib.util
import itertools
import os
import pathlib
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy  # noqa: E402
import scipy.fft  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.ndimage  # noqa: E402
import scipy.signal  # noqa: E402

import convlib  # noqa: E402
from convlib import images, kernels, viz, widgets  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def torch_or_skip():
    if os.environ.get("CONVLIB_REQUIRE_TORCH"):
        import torch
        return torch
    return pytest.importorskip("torch")


def circular_by_definition(x, w, sign):
    """sum_k w[k] x[(n - k) % N] (sign -1, convolution) or x[(n + k) % N] (sign +1, correlation)."""
    x, w = np.atleast_2d(x), np.atleast_2d(w)
    y = sum(w[a, b] * np.roll(x, (-sign * a, -sign * b), axis=(0, 1)) for a, b in np.ndindex(w.shape))
    return y


SHAPES = [((7,), (3,)), ((8,), (8,)), ((6,), (1,)), ((5, 7), (3, 3)), ((6, 4), (2, 3)), ((4, 4), (4, 4))]


# --- the DFT and the theorem ---------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 5, 8, 13])
def test_dft_matrix_is_numpys_fft_and_its_inverse_is_the_conjugate(n):
    x = np.random.default_rng(n).standard_normal(n)
    F = convlib.dft_matrix(n)
    np.testing.assert_allclose(F @ x, np.fft.fft(x), atol=1e-12)
    np.testing.assert_allclose(F.conj() / n @ F, np.eye(n), atol=1e-12)


@pytest.mark.parametrize("x_shape, w_shape", SHAPES, ids=str)
def test_circular_convolve_is_the_definition_and_the_theorem_holds(x_shape, w_shape):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    y = convlib.circular_convolve(x, w)
    np.testing.assert_allclose(np.atleast_2d(y), circular_by_definition(x, w, -1), atol=1e-12)
    np.testing.assert_allclose(np.fft.fftn(y), np.fft.fftn(x) * np.fft.fftn(w, x.shape, axes=range(x.ndim)), atol=1e-10)


@pytest.mark.parametrize("x_shape, w_shape", SHAPES, ids=str)
def test_circular_correlate_is_the_circulant_matrix_of_notebook_05(x_shape, w_shape):
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    y = convlib.circular_correlate(x, w)
    np.testing.assert_allclose(np.atleast_2d(y), circular_by_definition(x, w, +1), atol=1e-12)
    np.testing.assert_allclose(y.ravel(), convlib.circulant_matrix(x_shape, w) @ x.ravel(), atol=1e-12)


def test_circular_convolve_matches_scipy_ndimage_wrap():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((9, 11)), rng.standard_normal((3, 5))
    expected = scipy.ndimage.convolve(x, w, mode="wrap", origin=(-1, -2))
    np.testing.assert_allclose(convlib.circular_convolve(x, w), expected, atol=1e-12)


def test_circular_convolution_and_correlation_match_torch():
    torch = torch_or_skip()
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((6, 9)), rng.standard_normal((3, 4))
    xt = torch.tensor(x)[None, None]
    after = torch.nn.functional.pad(xt, (0, 3, 0, 2), mode="circular")     # reads x[n + k]
    before = torch.nn.functional.pad(xt, (3, 0, 2, 0), mode="circular")    # reads x[n - k]
    corr = torch.nn.functional.conv2d(after, torch.tensor(w)[None, None])[0, 0].numpy()
    conv = torch.nn.functional.conv2d(before, torch.tensor(np.flip(w).copy())[None, None])[0, 0].numpy()
    np.testing.assert_allclose(convlib.circular_correlate(x, w), corr, atol=1e-12)
    np.testing.assert_allclose(convlib.circular_convolve(x, w), conv, atol=1e-12)


def test_the_dft_diagonalises_every_circulant_matrix_with_the_kernels_dft():
    w = np.array([2.0, -1.0, 0.5, 3.0])
    F = convlib.dft_matrix(7)
    padded = np.r_[w, np.zeros(3)]
    convolution = scipy.linalg.circulant(padded)
    np.testing.assert_allclose(F @ convolution @ np.linalg.inv(F), np.diag(np.fft.fft(padded)), atol=1e-10)
    correlation = convlib.circulant_matrix(7, w)
    np.testing.assert_allclose(F @ correlation @ np.linalg.inv(F), np.diag(np.fft.fft(padded).conj()), atol=1e-10)


def test_padding_to_n_plus_k_minus_1_turns_circular_into_linear():
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((10, 12)), rng.standard_normal((4, 3))
    padded = np.pad(x, ((0, 3), (0, 2)))
    np.testing.assert_allclose(convlib.circular_convolve(padded, w), scipy.signal.convolve(x, w), atol=1e-12)
    wraps = convlib.circular_convolve(x, w)
    assert not np.allclose(wraps, scipy.signal.convolve(x, w)[:10, :12])


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-10), (np.float32, 1e-4)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_correlate_fft_keeps_float32_and_matches_scipy(dtype, tolerance, mode):
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((17, 13)).astype(dtype), rng.standard_normal((5, 4)).astype(dtype)
    y = convlib.correlate_fft(x, w, mode)
    assert y.dtype == dtype
    expected = scipy.signal.correlate(x.astype(float), w.astype(float), mode)
    np.testing.assert_allclose(y, expected, atol=tolerance * np.abs(expected).max())


# --- padded sizes and frequency responses --------------------------------------------------

def five_smooth(m):
    for prime in (2, 3, 5):
        while m % prime == 0:
            m //= prime
    return m == 1


@pytest.mark.parametrize("n, k", list(itertools.product([1, 7, 64, 250, 256, 511], [1, 3, 31])))
def test_fft_size_is_the_smallest_product_of_2_3_5_large_enough(n, k):
    size = convlib.fft_size(n, k)
    assert size >= n + k - 1 and five_smooth(size)
    assert not any(five_smooth(m) for m in range(n + k - 1, size))
    assert convlib.fft_size(n, k, fast=False) == n + k - 1


@pytest.mark.parametrize("name", ["box blur", "gaussian", "sobel x", "sharpen", "asymmetric"])
def test_frequency_response_is_the_gain_on_waves(name):
    w = kernels.KERNELS[name]
    gain = convlib.frequency_response(w, 16)
    assert gain.shape == (16, 16)
    assert np.isclose(gain[8, 8], abs(w.sum()))                  # frequency 0: a flat image
    checker = (-1.0) ** np.add.outer(np.arange(12), np.arange(12))
    response = convlib.correlate(checker, w, "valid")
    assert np.allclose(np.abs(response), gain[0, 0] * np.abs(checker[1:-1, 1:-1]))   # the checkerboard


def test_frequency_response_does_not_depend_on_where_the_kernel_sits():
    w = kernels.asymmetric()
    shifted = np.zeros((6, 6))
    shifted[2:5, 1:4] = w
    np.testing.assert_allclose(convlib.frequency_response(w, 32), convlib.frequency_response(shifted, 32),
                               atol=1e-12)


# --- counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("n, k", [(64, 3), (256, 7), (512, 31)])
def test_flop_counts(n, k):
    counts = convlib.flop_counts(n, k)
    assert counts.direct == 2 * k**2 * n**2
    assert counts.padded == scipy.fft.next_fast_len(n + k - 1, real=True)
    p = counts.padded
    model = 3 * 2.5 * p * p * np.log2(p * p) + 6 * p * (p // 2 + 1)   # three transforms, one product
    assert abs(counts.fft - model) <= 2                                # each transform rounded


def test_the_flop_models_crossover_lies_between_small_and_large_kernels():
    for n in (64, 256, 1024):
        assert convlib.flop_counts(n, 3).fft > convlib.flop_counts(n, 3).direct
        assert convlib.flop_counts(n, 31).fft < convlib.flop_counts(n, 31).direct


def test_fft_layer_flops_against_the_layers_own_cost():
    f = convlib.fft_layer_flops(64, 32, 28, 5)
    assert f.direct == 2 * convlib.layer_cost(64, 32, 5, 28).multiplies    # 'same': N x N outputs
    assert f.fft == f.inputs + f.kernels + f.products + f.inverses
    assert f.fft_kernels_ready == f.fft - f.kernels
    single = convlib.flop_counts(28, 5)
    transform = (single.fft - 6 * single.padded * (single.padded // 2 + 1)) / 3
    assert abs(f.inputs - 64 * transform) <= 64 and abs(f.inverses - 32 * transform) <= 32
    assert f.kernels == 32 * f.inputs


# --- the race and its record ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(convlib.RACE_METHODS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_race_method_computes_scipys_same_correlation(name, dtype):
    rng = np.random.default_rng(6)
    kind, function = convlib.RACE_METHODS[name]
    assert kind in ("direct", "fft")
    for shape, k in (((20, 20), 5), ((9, 14), 3), ((31, 31), 15)):
        x, w = rng.random(shape).astype(dtype), rng.standard_normal((k, k)).astype(dtype)
        expected = scipy.signal.correlate(x.astype(float), w.astype(float), "same")
        np.testing.assert_allclose(function(x, w), expected, atol=(1e-4 if dtype == np.float32 else 1e-10) * k * k)


def test_a_small_race_times_every_method_and_records_scipys_choice():
    record = convlib.race(image_sizes=(16, 24), kernel_sizes=(3, 5), repeat=1, direct_limit=16 * 16 * 9)
    assert record["image_sizes"] == [16, 24] and record["kernel_sizes"] == [3, 5]
    assert set(record["ms"]) == set(convlib.RACE_METHODS) == set(record["kinds"])
    assert record["ms"]["signal direct"][0][0] > 0 and record["ms"]["signal direct"][1][1] is None  # skipped
    assert all(v > 0 for v in itertools.chain(*record["ms"]["ndimage"], *record["ms"]["convlib fft"]))
    for i, n in enumerate((16, 24)):
        for j, k in enumerate((3, 5)):
            assert record["choice"][i][j] == scipy.signal.choose_conv_method(np.ones((n, n)), np.ones((k, k)), "same")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", record["date"]) and record["machine"]


def fake(direct, fft, kernel_sizes=(3, 5, 7, 9), choice="fft"):
    """A race record of one image size, two methods, and SciPy's own two."""
    return {"image_sizes": [32], "kernel_sizes": list(kernel_sizes), "choice": [[choice] * len(kernel_sizes)],
            "kinds": {"ndimage": "direct", "signal direct": "direct", "fftconvolve": "fft"},
            "ms": {"ndimage": [list(direct)], "signal direct": [[100.0] * len(kernel_sizes)],
                   "fftconvolve": [list(fft)]}}


@pytest.mark.parametrize("direct, fft, expected", [
    ([1, 2, 4, 8], [3, 3, 3, 3], 7),
    ([1, 5, 2, 8], [3, 3, 3, 3], 9),      # a win at 5, a loss at 7: the crossover is after the last loss
    ([4, 5, 6, 8], [3, 3, 3, 3], 3),
    ([1, 2, 3, 4], [9, 9, 9, 9], None),
])
def test_race_crossover(direct, fft, expected):
    assert convlib.race_crossover(fake(direct, fft)) == {32: expected}


def test_choice_mistakes_name_the_faster_method_of_the_other_kind():
    mistakes = convlib.choice_mistakes(fake([1, 2, 4, 8], [3, 3, 3, 3]))
    assert [(m.kernel_size, m.fastest, m.picked_ms, m.fastest_ms) for m in mistakes] == [(3, "ndimage", 3, 1),
                                                                                        (5, "ndimage", 3, 2)]
    picked_direct = convlib.choice_mistakes(fake([1, 2, 4, 8], [3, 3, 3, 3], choice="direct"))
    assert [(m.picked, m.picked_ms, m.fastest) for m in picked_direct] == [("direct", 100.0, "fftconvolve")] * 4
    assert convlib.choice_mistakes(fake([9, 9, 9, 9], [3, 3, 3, 3])) == []    # SciPy's FFT was fastest
    assert convlib.choice_mistakes(fake([2.9, 9, 9, 9], [3, 3, 3, 3])) == []  # 3% is timing noise
    assert len(convlib.choice_mistakes(fake([2.9, 9, 9, 9], [3, 3, 3, 3]), margin=1.01)) == 1


def test_the_recorded_race_is_complete_and_says_where_and_when():
    record = convlib.RECORDED_RACE
    rows, cols = len(record["image_sizes"]), len(record["kernel_sizes"])
    assert rows >= 3 and cols >= 5 and all(k % 2 for k in record["kernel_sizes"])
    assert set(record["kinds"]) == set(convlib.RACE_METHODS) == set(record["ms"])
    for name, ms in record["ms"].items():
        assert len(ms) == rows and all(len(row) == cols for row in ms)
        if name in ("ndimage", "convlib fft", "fftconvolve", "oaconvolve"):
            assert all(v is not None and v > 0 for v in itertools.chain(*ms)), f"{name} must be timed everywhere"
    assert all(c in ("fft", "direct") for c in itertools.chain(*record["choice"]))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", record["date"]) and record["machine"] and "SciPy" in record["versions"]
    assert "median" in record["timing"]
    for m in convlib.choice_mistakes(record):
        assert m.fastest_ms < m.picked_ms


def test_the_recorded_choices_are_scipys_when_the_version_is_the_same():
    record = convlib.RECORDED_RACE
    if f"SciPy {scipy.__version__}" not in record["versions"]:
        pytest.skip("recorded with another SciPy")
    for (i, n), (j, k) in itertools.product(enumerate(record["image_sizes"]), enumerate(record["kernel_sizes"])):
        assert record["choice"][i][j] == scipy.signal.choose_conv_method(np.ones((n, n)), np.ones((k, k)), "same")


def test_the_benchmark_script_checks_agreement_and_prints_the_record(capsys):
    spec = importlib.util.spec_from_file_location("bench_fft_race", ROOT / "benchmarks" / "bench_fft_race.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.check_agreement()
    record = convlib.RECORDED_RACE
    text = "\n".join([bench.table(record), bench.ratios(record), bench.winners(record), bench.crossovers(record),
                      bench.choices(record)])
    assert "crossover kernel size" in text and "choose_conv_method" in text
    assert bench.model_crossover(256, [3, 5, 7, 9, 11]) == 9
    runs = [fake([1, 2, 4, 8], [3, 3, 3, 3]), fake([2, 1, 5, 8], [3, 3, 3, 2])]
    for run in runs:
        run["timing"] = "medians of 7 samples"
        run["ms"]["signal direct"][0][3] = None
    quietest = bench.quietest(runs)
    assert quietest["ms"]["ndimage"] == [[1, 1, 4, 8]] and quietest["ms"]["fftconvolve"] == [[3, 3, 3, 2]]
    assert quietest["ms"]["signal direct"][0][3] is None and "smallest of 2 runs" in quietest["timing"]


# --- errors ---------------------------------------------------------------------------------

def test_errors_name_the_argument_and_what_was_received():
    with pytest.raises(ValueError, match=r"`n` must be an integer >= 1; got 0"):
        convlib.dft_matrix(0)
    with pytest.raises(ValueError, match=r"the DFT matrix would need .* use scipy.fft.fft"):
        convlib.dft_matrix(20000)
    with pytest.raises(ValueError, match=r"`kernel` must not be larger than `x` .* got kernel shape \(5,\) for x shape \(3,\)"):
        convlib.circular_correlate([1, 2, 3], [1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match=r"`kernel` must have 2 dimensions; got 1 dimension"):
        convlib.circular_convolve(np.ones((3, 3)), [1, 2])
    with pytest.raises(ValueError, match=r"`kernel_size` must be an integer >= 1; got 0"):
        convlib.fft_size(10, 0)
    with pytest.raises(TypeError, match=r"`n` must be an integer >= 1; got 2.5"):
        convlib.flop_counts(2.5, 3)
    with pytest.raises(ValueError, match=r"`size` must be an integer >= 3; got 2"):
        convlib.frequency_response(np.ones((3, 3)), 2)
    with pytest.raises(ValueError, match=r"`kernel` must have 2 dimensions"):
        convlib.frequency_response([1, 2, 3])
    with pytest.raises(ValueError, match=r"`kernel_sizes` must be odd .* got \[3, 4\]"):
        convlib.race(kernel_sizes=(3, 4))
    with pytest.raises(ValueError, match=r"`methods` must be one of 'ndimage', .*; got 'fast'"):
        convlib.race(methods=["fast"])
    with pytest.raises(ValueError, match=r"`cursor` must be an \(image size, kernel size\) of the record"):
        viz.race_map(cursor=(100, 3))


# --- pictures and widgets ------------------------------------------------------------------

FACE = images.portrait(48)


def pixels(picture):
    assert isinstance(picture, viz.Picture) and picture.image.mode == "RGB"
    return picture.pixels()


@pytest.mark.parametrize("render, first, second", [
    (lambda v: viz.theorem_steps(FACE, kernels.box_blur(7), padded=v), False, True),
    (lambda v: viz.theorem_steps(FACE, kernels.box_blur(v)), 3, 9),
    (lambda v: viz.kernel_spectra({"w": v}), kernels.box_blur(), kernels.sharpen()),
    (lambda v: viz.circulant_diagonal([1, 2, 3], v), 4, 6),
    (lambda v: viz.race_map(cursor=v), (64, 3), (512, 31)),
])
def test_pictures_change_with_their_arguments(render, first, second):
    a, b = pixels(render(first)), pixels(render(second))
    assert a.shape != b.shape or np.any(a != b)


def test_theorem_steps_with_a_given_spectrum_draws_the_same_picture():
    spectrum = np.fft.fft2(FACE, (48, 48))
    assert np.array_equal(pixels(viz.theorem_steps(FACE, kernels.box_blur(5), False)),
                          pixels(viz.theorem_steps(FACE, kernels.box_blur(5), False, image_spectrum=spectrum)))


def test_race_map_of_a_live_record():
    record = convlib.race(image_sizes=(16,), kernel_sizes=(3, 5), repeat=1)
    assert pixels(viz.race_map(record, cursor=(16, 5))).shape[2] == 3


EXPLORERS = {
    "theorem": lambda: widgets.explore_theorem(FACE, largest=15),
    "race": lambda: widgets.explore_race(),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_redraws_at_both_ends_without_figures(name, every_control_redraws):
    every_control_redraws(EXPLORERS[name](), name)


def test_theorem_widget_offers_odd_sizes_and_draws_the_static_picture():
    explorer = widgets.explore_theorem(FACE, largest=15, size=9)
    size = explorer.controls["size"]
    assert (size.min, size.max, size.step, size.value) == (1, 15, 2, 9)
    explorer.controls["padding"].value = widgets.PADDING_CHOICES[1]
    expected = viz.theorem_steps(FACE, kernels.box_blur(9), padded=True)
    assert bytes(explorer.image.value) == explorer.encode(expected.image)


def test_race_widget_moves_over_the_records_sizes():
    explorer = widgets.explore_race(image_size=512, kernel_size=31)
    assert list(explorer.controls["image_size"].options) == convlib.RECORDED_RACE["image_sizes"]
    assert list(explorer.controls["kernel_size"].options) == convlib.RECORDED_RACE["kernel_sizes"]
    assert bytes(explorer.image.value) == viz.kit.png(viz.race_map(cursor=(512, 31)))
