"""Kernel-side cost of one slider step of every widget, at 256x256.

A step = compute + render + encode (PNG, or JPEG for photographs) + setting the
Image widget's value, everything the Python kernel does before the browser gets
the picture; what the learner sees is timed by bench_browser.py. The
reference is what `interact` with inline matplotlib does per step: a new
figure of three panels, drawn and encoded, measured here in the same process.
Target: at most 30 ms per step. Beside it, the CPU time of drawing and encoding
one picture (never reused), the less noisy number on a shared machine, and the
bytes sent.

    .venv/bin/python benchmarks/bench_widgets.py
"""

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from convlib import images, kernels, widgets  # noqa: E402

TARGET_MS = 30
PORTRAIT = images.portrait(256)
GRID = np.arange(25.0).reshape(5, 5)
TINY = 10 * np.arange(4)[:, None] + np.arange(4)  # values encode (row, column)
FACE = images.portrait_rgb(64)
FILTERS = np.random.default_rng(0).standard_normal((4, 3, 3, 3))


def median_step_ms(make, name, values, repeats=3):
    """Median time of setting `controls[name]` to each value in turn, with a new explorer
    per round: an explorer sends a picture it drew before without drawing it again."""
    times = []
    for _ in range(repeats):
        control = make().controls[name]
        for value in values:
            start = time.perf_counter()
            control.value = value
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def drawing_cost(make, name, values):
    """Median CPU ms of drawing + encoding the picture for each value (no reuse), and median bytes."""
    explorer, times, sizes = make(), [], []
    for value in values:
        start = time.process_time()
        data = explorer.encode(explorer.render(**(explorer.values() | {name: value})).image)
        times.append(time.process_time() - start)
        sizes.append(len(data))
    return 1000 * statistics.median(times), statistics.median(sizes)


def matplotlib_step_ms(repeats=10):
    """The reference: a new 3-panel figure per step, rendered to PNG."""
    result = PORTRAIT[::-1]
    times = []
    for step in range(repeats):
        start = time.perf_counter()
        fig, axes = plt.subplots(1, 3, figsize=(9, 3))
        for ax, image in zip(axes, (PORTRAIT, kernels.sobel_x(), result)):
            ax.imshow(image, cmap="gray")
        axes[0].add_patch(plt.Rectangle((step, step), 3, 3, fill=False, color="orange"))
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


# label -> (a function making the explorer, the control to move, the values it takes), per notebook.
CASES = {
    "00 explore_blur (192x192), sigma slider":
        (lambda: widgets.explore_blur(images.portrait(192)), "sigma", [1.0, 1.5, 2.0, 2.5] * 2),
    "01 explore_filter (portrait 256x256), column slider":
        (lambda: widgets.explore_filter(PORTRAIT), "col", range(0, 256, 9)),
    "01 explore_filter (portrait 256x256), row slider":
        (lambda: widgets.explore_filter(PORTRAIT), "row", range(0, 256, 9)),
    "01 explore_filter, kernel menu":
        (lambda: widgets.explore_filter(PORTRAIT), "name", list(kernels.KERNELS) * 2),
    "01 explore_sliding_grid (5x5, edge kernel), column slider":
        (lambda: widgets.explore_sliding_grid(GRID, kernels.sobel_x()), "col", [0, 1, 2]),
    "01 explore_sliding_grid (5x5, L kernel, full mode), row slider":
        (lambda: widgets.explore_sliding_grid(GRID, kernels.asymmetric(), "full"), "row", range(7)),
    "02 explore_dot_product (5x5), column slider":
        (lambda: widgets.explore_dot_product(GRID, kernels.sobel_x()), "col", [0, 1, 2]),
    "03 explore_windows_to_columns (4x4, 2x2), window slider":
        (lambda: widgets.explore_windows_to_columns(TINY, [[1, 2], [3, 4]]), "window", range(9)),
    "03 explore_windows_to_columns (4x4, 2x2), stride slider":
        (lambda: widgets.explore_windows_to_columns(TINY, [[1, 2], [3, 4]]), "stride", [1, 2] * 3),
    "03 explore_receptive_field, dilation slider": (lambda: widgets.explore_receptive_field(), "dilation", [1, 2, 3]),
    "03 explore_receptive_field, padding slider": (lambda: widgets.explore_receptive_field(), "padding", [0, 1, 2, 3]),
    "04 explore_depth_dot (colour 64x64, 4 filters), column slider":
        (lambda: widgets.explore_depth_dot(FACE, FILTERS), "col", list(range(0, 64, 7)) + [63]),
    "04 explore_depth_dot, output channel":
        (lambda: widgets.explore_depth_dot(FACE, FILTERS), "out_channel", [0, 1, 2, 3]),
    "04 explore_recolour (colour 160x160), red weight":
        (lambda: widgets.explore_recolour(images.portrait_rgb(160)), "red", [-1.0, -0.5, 0.0, 0.3, 0.8, 1.5]),
    "06 explore_row_and_column (1-D, 8 inputs), input column":
        (lambda: widgets.explore_row_and_column(np.arange(1.0, 9), [5.0, 6, 7], grad_out=[1, -2, 0.5, 3, 1, 2]),
         "column", list(range(8))),
    "06 explore_row_and_column (2-D, 4x4 input), input column":
        (lambda: widgets.explore_row_and_column(GRID[:4, :4], np.arange(1.0, 10).reshape(3, 3)), "column",
         list(range(16))),
    "05 explore_strided_matrix, stride": (lambda: widgets.explore_strided_matrix(), "stride", [1, 2, 3]),
    "05 explore_strided_matrix, dilation": (lambda: widgets.explore_strided_matrix(), "dilation", [1, 2, 3]),
    "07 explore_flip_slide, position": (lambda: widgets.explore_flip_slide(), "position", range(12)),
    "07 explore_flip_portrait (256x256), stretch (first visits)":
        (lambda: widgets.explore_flip_portrait(PORTRAIT), "stretch", [1, 2, 3, 4, 5]),
    "07 explore_flip_portrait (256x256), kernel menu":
        (lambda: widgets.explore_flip_portrait(PORTRAIT), "name", None),
    "08 explore_theorem (128x128), kernel size slider":
        (lambda: widgets.explore_theorem(images.portrait(128)), "size", range(1, 42, 4)),
    "08 explore_theorem, zero-pad toggle": (lambda: widgets.explore_theorem(images.portrait(128)), "padding", None),
    "08 explore_race, kernel size": (lambda: widgets.explore_race(), "kernel_size", [3, 5, 7, 9, 11, 15, 21, 31]),
}


def main():
    reference = matplotlib_step_ms()
    print(f"reference: new matplotlib figure per step: median {reference:.1f} ms")
    print(f"{'widget step':62s} {'median ms':>10s} {'vs reference':>13s} {'draw CPU ms':>12s} {'KiB':>6s}"
          f"  target <= {TARGET_MS} ms")
    for label, (make, name, values) in CASES.items():
        values = list(make().controls[name].options) * 2 if values is None else list(values)  # a menu
        ms = median_step_ms(make, name, values)
        cpu_ms, size = drawing_cost(make, name, values)
        verdict = "ok" if ms <= TARGET_MS else "TOO SLOW"
        print(f"{label:62s} {ms:10.1f} {ms / reference:12.2f}x {cpu_ms:12.1f} {size / 1024:6.1f}  {verdict}")


if __name__ == "__main__":
    main()
