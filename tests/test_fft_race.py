"""convlib.fft_race (notebook 08): the race of direct and FFT methods, and its recorded run."""

import importlib.util
import itertools
import pathlib
import re

import numpy as np
import pytest
import scipy
import scipy.fft
import scipy.linalg
import scipy.ndimage
import scipy.signal

import convlib


ROOT = pathlib.Path(__file__).resolve().parent.parent


def fake(direct, fft, kernel_sizes=(3, 5, 7, 9), choice="fft"):
    """A race record of one image size, two methods, and SciPy's own two."""
    return {"image_sizes": [32], "kernel_sizes": list(kernel_sizes), "choice": [[choice] * len(kernel_sizes)],
            "kinds": {"ndimage": "direct", "signal direct": "direct", "fftconvolve": "fft"},
            "ms": {"ndimage": [list(direct)], "signal direct": [[100.0] * len(kernel_sizes)],
                   "fftconvolve": [list(fft)]}}


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


def test_the_recorded_race_cannot_be_edited_so_the_defaults_stay_the_recording():
    record = convlib.RECORDED_RACE
    before = convlib.race_crossover()
    with pytest.raises(TypeError, match="does not support item assignment"):
        record["ms"]["ndimage"] = record["ms"]["fftconvolve"]
    with pytest.raises(TypeError, match="does not support item assignment"):
        record["ms"]["ndimage"][0][0] = 1e9
    with pytest.raises(AttributeError, match="append"):
        record["image_sizes"].append(4096)
    assert convlib.race_crossover() == before == convlib.race_crossover(dict(record))
