"""The speed lab of notebook 08: direct methods against FFT methods, over image and kernel sizes.

    .venv/bin/python benchmarks/bench_fft_race.py             # measure and print
    .venv/bin/python benchmarks/bench_fft_race.py --record    # ... and store the run in convlib/fft_race.py

The machine is shared and noisy: each cell's time is the median of `--repeat`
samples, and the race runs `--runs` times (3 by default), a while apart; every
cell keeps the smallest of its medians, the time on the quietest run.

Every method computes the same 'same' correlation of an N x N float64 image with
a K x K kernel (odd K), checked against ``scipy.signal.correlate`` first. All
timings are medians measured in this one process (``convlib.race``); the
generic direct methods (im2col, windows, SciPy's direct code) are skipped where
K^2 N^2 exceeds 2**25 multiply-adds, far beyond the point where they lose.

Printed: the median time of every method for every (N, K); the best FFT method's
time over the best direct method's (below 1: the FFT wins); the winner of each
cell; the crossover kernel size per image size (the smallest K from which an FFT
method wins for every larger K), next to the one the flop model of
``convlib.flop_counts`` predicts; and the cells where
``scipy.signal.choose_conv_method`` picks a method slower than the fastest one.
The recorded run is what the notebook's race map shows.
"""

import argparse
import pathlib
import pprint
import sys

import numpy as np
import scipy.signal

import convlib

RECORD = pathlib.Path(__file__).resolve().parent.parent / "convlib" / "fft_race.py"
HEADER = '''"""A recorded run of the FFT race of ``notebooks/08_fft.ipynb``.

Written by ``benchmarks/bench_fft_race.py --record`` (do not edit by hand):
``RECORDED_RACE["ms"][method][i][j]`` is the median time in milliseconds of a
'same' correlation of an ``image_sizes[i]``-square float64 image with a
``kernel_sizes[j]``-square kernel, measured on ``RECORDED_RACE["machine"]`` on
``RECORDED_RACE["date"]`` (None: not run, too slow); ``RECORDED_RACE["choice"]``
is what ``scipy.signal.choose_conv_method`` picked for the same sizes.
"""

'''


def check_agreement():
    """Every race method gives SciPy's correlation (a method that computes something else must not win)."""
    rng = np.random.default_rng(1)
    for n, k in ((16, 3), (40, 7), (31, 15)):
        x, w = rng.random((n, n)), rng.standard_normal((k, k))
        expected = scipy.signal.correlate(x, w, "same")
        for name, (_, function) in convlib.RACE_METHODS.items():
            np.testing.assert_allclose(function(x, w), expected, atol=1e-9, err_msg=name)


def table(record):
    lines = []
    sizes = record["kernel_sizes"]
    for i, n in enumerate(record["image_sizes"]):
        lines.append(f"\nimage {n}x{n}: median ms per call")
        lines.append(f"{'K':>14s}" + "".join(f"{k:>9d}" for k in sizes))
        for name, ms in record["ms"].items():
            cells = "".join(f"{'-':>9s}" if v is None else f"{v:9.3f}" for v in ms[i])
            lines.append(f"{name:>14s}{cells}")
    return "\n".join(lines)


def ratios(record):
    """Best FFT time / best direct time per cell: below 1 the FFT wins."""
    lines = ["\nbest FFT / best direct (below 1: the FFT is faster)",
             f"{'N':>6s}" + "".join(f"{k:>8d}" for k in record["kernel_sizes"])]
    for i, n in enumerate(record["image_sizes"]):
        cells = []
        for j in range(len(record["kernel_sizes"])):
            best = {kind: min((ms[i][j] for name, ms in record["ms"].items()
                               if record["kinds"][name] == kind and ms[i][j] is not None), default=None)
                    for kind in ("direct", "fft")}
            cells.append(f"{best['fft'] / best['direct']:8.2f}" if None not in best.values() else f"{'-':>8s}")
        lines.append(f"{n:6d}" + "".join(cells))
    return "\n".join(lines)


def winners(record):
    lines = ["\nfastest method", f"{'N':>6s}" + "".join(f"{k:>14d}" for k in record["kernel_sizes"])]
    for n, row in zip(record["image_sizes"], convlib.race_winners(record)):
        lines.append(f"{n:6d}" + "".join(f"{name:>14s}" for name in row))
    return "\n".join(lines)


def model_crossover(n, kernel_sizes):
    """The smallest K of the grid from which the flop model counts fewer operations for the FFT."""
    fewer = [convlib.flop_counts(n, k).fft < convlib.flop_counts(n, k).direct for k in kernel_sizes]
    losses = [j for j, wins in enumerate(fewer) if not wins]
    first = losses[-1] + 1 if losses else 0
    return kernel_sizes[first] if first < len(kernel_sizes) else None


def crossovers(record):
    lines = ["\ncrossover kernel size (an FFT method fastest from this K on)"]
    for n, k in convlib.race_crossover(record).items():
        model = model_crossover(n, record["kernel_sizes"])
        lines.append(f"  {n:4d}x{n:<4d} measured K = {k if k else 'never'}; flop model K = {model or 'never'}")
    return "\n".join(lines)


def choices(record):
    mistakes = convlib.choice_mistakes(record)
    cells = len(record["image_sizes"]) * len(record["kernel_sizes"])
    lines = [f"\nscipy.signal.choose_conv_method: more than 10% slower than the fastest method in "
             f"{len(mistakes)} of {cells} cells"]
    for m in mistakes:
        lines.append(f"  {m.image_size:4d}x{m.image_size:<4d} K={m.kernel_size:<3d} picks {m.picked:6s} "
                     f"({m.picked_ms:8.3f} ms); {m.fastest} {m.fastest_ms:8.3f} ms: "
                     f"{m.picked_ms / m.fastest_ms:5.1f}x slower")
    return "\n".join(lines)


def quietest(records):
    """One record: each cell's smallest median over the runs (None stays None)."""
    record = dict(records[0], timing=f"each cell the smallest of {len(records)} runs' {records[0]['timing']}")
    record["ms"] = {name: [[None if row[j] is None else min(r["ms"][name][i][j] for r in records)
                            for j in range(len(row))] for i, row in enumerate(ms)]
                    for name, ms in records[0]["ms"].items()}
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="store the run in convlib/fft_race.py")
    parser.add_argument("--repeat", type=int, default=7, help="timed samples per cell (median)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the whole race (each cell keeps its smallest)")
    args = parser.parse_args(argv)
    check_agreement()
    record = quietest([convlib.race(repeat=args.repeat) for _ in range(args.runs)])
    print(f"{record['machine']}; {record['versions']}; {record['date']}; float64, mode 'same'; {record['timing']}")
    print(table(record), ratios(record), winners(record), crossovers(record), choices(record), sep="\n")
    if args.record:
        RECORD.write_text(HEADER + "RECORDED_RACE = " + pprint.pformat(record, width=110, sort_dicts=False) + "\n")
        print(f"\nstored in {RECORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
