"""What the learner sees: key press -> new picture painted, for every control of every widget.

JupyterLab runs in Debian's Chromium (playwright, as tests/course/test_browser.py does) on a
copy of the learner's edition. Each notebook is opened and run (Run All); then each
slider, toggle and menu of each widget gets `--presses` key presses (an arrow key on a
slider or menu, Enter on a toggle's next button). A press is timed in the page, from
its keydown to the moment the last new picture it caused is decoded and a frame drawn,
once the picture has stayed unchanged for 300 ms; the number of picture updates per
press is counted too (it must be 1). The floor is the same machinery with nothing to
do: a widget whose handler returns an 8x8 image, timed at the start and at the end
of the same run.

Targets (issue 23): median <= 50 ms and p90 <= 100 ms per control, median <= 2x the
floor's median, exactly one picture update per press.

    .venv/bin/python benchmarks/bench_browser.py                 # every notebook, ~10 min
    .venv/bin/python benchmarks/bench_browser.py --only 03 06    # some notebooks
"""

import argparse
import pathlib
import shutil
import statistics
import sys
import tempfile

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import lab_driver  # noqa: E402

TARGET_MEDIAN_MS, TARGET_P90_MS, TARGET_FLOOR_RATIO = 50, 100, 2.0
FLOOR_CELL = """from types import SimpleNamespace
from PIL import Image
from convlib.widgets.explorer import Explorer, slider

def tiny(value):  # a picture is anything with a PIL .image
    return SimpleNamespace(image=Image.new("RGB", (8, 8), (value, 0, 0)))

Explorer(tiny, {"value": slider("floor", 0, 255)})"""


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_control(page, img, control, presses):
    """Latencies (ms) of `presses` key presses on `control`, and the update count of each.

    The control is then put back where it was, so that the next control is timed in the
    widget's first state (a row slider has no range left in some strides)."""
    start, latencies, counts = lab_driver.value_of(control), [], []
    for _ in range(presses):
        since = lab_driver.updates_so_far(img)
        lab_driver.press_next(control)
        count, latency = lab_driver.settle(page, img, since)
        counts.append(count)
        if latency is not None:
            latencies.append(latency)
    for _ in range(300):
        if lab_driver.value_of(control) == start:
            break
        since = lab_driver.updates_so_far(img)
        lab_driver.press_next(control)
        lab_driver.settle(page, img, since, quiet_ms=100)
    return latencies, counts


def time_notebook(page, url, token, path, presses):
    """{(widget number, control label): (latencies, counts)} for every control of every widget."""
    panel = lab_driver.open_notebook(page, url, token, path)
    lab_driver.run_all_cells(page)
    explorers = panel.locator(lab_driver.EXPLORER)
    explorers.first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # let every widget view finish rendering
    results = {}
    for k in range(explorers.count()):
        explorer = explorers.nth(k)
        explorer.scroll_into_view_if_needed()
        img = explorer.locator(":scope > img").element_handle()
        lab_driver.watch_picture(img)
        controls = explorer.locator(lab_driver.CONTROLS)
        for c in range(controls.count()):
            control = controls.nth(c)
            results[(k, lab_driver.control_label(control))] = time_control(page, img, control, presses)
    lab_driver.shut_down_kernels(url, token)  # the machine is shared: one kernel at a time
    return results


def row(label, latencies, counts, floor):
    if not latencies:
        return f"{label:52s} no picture came back", False
    median, p90 = statistics.median(latencies), percentile(latencies, 0.9)
    ratio = median / floor
    redraws = f"{min(counts)}-{max(counts)}" if min(counts) != max(counts) else str(counts[0])
    ok = (median <= TARGET_MEDIAN_MS and p90 <= TARGET_P90_MS and ratio <= TARGET_FLOOR_RATIO
          and set(counts) == {1})
    return (f"{label:52s} {median:7.1f} {p90:7.1f} {max(latencies):7.1f} {ratio:6.2f}x {redraws:>8s} "
            f"{len(latencies):3d}  {'ok' if ok else 'MISS'}"), ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--only", nargs="*", default=None, help="notebook numbers, e.g. 03 06")
    args = parser.parse_args()
    root = pathlib.Path(tempfile.mkdtemp(prefix="bench_browser_"))
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    floor_notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CELL)])
    nbformat.write(floor_notebook, root / "floor.ipynb")
    notebooks = sorted(p.relative_to(root).as_posix() for p in (root / "notebooks").glob("*.ipynb")
                       if "widgets.explore_" in p.read_text() and (not args.only or p.name[:2] in args.only))
    print(f"key press -> picture painted, ms over {args.presses} presses per control; targets: median <= "
          f"{TARGET_MEDIAN_MS}, p90 <= {TARGET_P90_MS}, <= {TARGET_FLOOR_RATIO}x the floor's median, 1 update")
    print(f"{'control':52s} {'median':>7s} {'p90':>7s} {'max':>7s} {'/floor':>7s} {'updates':>8s} {'n':>3s}")
    measured = []  # (label, latencies, counts) of every control
    try:
        with lab_driver.jupyter_lab(root) as (url, token), lab_driver.chromium() as browser:
            def run(path):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                try:
                    return time_notebook(page, url, token, path, args.presses)
                finally:
                    page.close()

            floor_latencies, floor_counts = run("floor.ipynb")[(0, "floor")]
            floor = statistics.median(floor_latencies)
            print(row("floor at the start (8x8 picture, no work)", floor_latencies, floor_counts, floor)[0], flush=True)
            for path in notebooks:
                for (k, label), (latencies, counts) in run(path).items():
                    measured.append((f"{pathlib.Path(path).stem[:2]} widget {k + 1}: {label}", latencies, counts))
                    print(row(*measured[-1], floor)[0], flush=True)
            end_latencies, end_counts = run("floor.ipynb")[(0, "floor")]
            print(row("floor at the end", end_latencies, end_counts, floor)[0])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    # The machine's load drifts during a run: the verdict uses the floor of the whole run.
    pooled = statistics.median(floor_latencies + end_latencies)
    missed = [label for label, latencies, counts in measured if not row(label, latencies, counts, pooled)[1]]
    print(f"floor of the whole run (start and end pooled): median {pooled:.1f} ms")
    print(f"{len(missed)} control(s) missed a target against it: {', '.join(missed) or 'none'}")


if __name__ == "__main__":
    main()
