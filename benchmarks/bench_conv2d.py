"""convlib.fast.conv2d and convlib.conv2d against PyTorch's CPU convolution, at every thread count.

Four layers (float32): a ResNet stage, the same convolution on one 224x224
image, AlexNet's first layer (11x11, stride 4) and a 5x5 filter on one grey
image. For each thread count from 1 to os.cpu_count() the script prints the
median time of `fast`, `plain` (convlib.conv2d) and `torch`, their ratios to
PyTorch, the time of the layer's matrix multiply alone (W_row @ X_col on ready-made
columns: the floor of any im2col layer, however its columns are made), and the peak
extra memory of the two NumPy layers (tracemalloc sees
NumPy's allocations; PyTorch's allocator is not visible to it, so its memory is
not measured). Targets: fast / torch at most 1.3x at every thread count, extra
memory at most 2x the output.

Threads are limited with threadpoolctl (BLAS and OpenMP: NumPy's and PyTorch's)
and torch.set_num_threads. The three implementations are timed in alternating blocks with
a pause before each block (each library's idle threads keep spinning for a while
after a call and would slow the next library down), and each median is taken
over all blocks, so that all three see the same drift in the machine's load.
Without PyTorch the script compares fast with plain only. About 30 s per
thread count on a 2-core machine.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_conv2d.py
    .venv/bin/python benchmarks/bench_conv2d.py --threads 2 --layers alexnet --blocks 3
"""

import argparse
import contextlib
import os
import platform
import statistics
import time
import timeit
import tracemalloc

import numpy as np

import convlib
import convlib.fast

try:
    import torch
except ImportError:
    torch = None

TARGET_SPEED = 1.3     # fast / torch
TARGET_MEMORY = 2.0    # extra memory / output

LAYERS = {  # name: (x shape, weight shape, arguments)
    "resnet": ((8, 64, 56, 56), (64, 64, 3, 3), {"padding": 1}),
    "image224": ((1, 64, 224, 224), (64, 64, 3, 3), {"padding": 1}),
    "alexnet": ((1, 3, 227, 227), (96, 3, 11, 11), {"stride": 4}),
    "grey5x5": ((1, 1, 256, 256), (1, 1, 5, 5), {"padding": 2}),
}


def alternating_blocks(calls, blocks, runs, pause=0.2):
    """Median seconds of each call, timed in alternating blocks of `runs` runs after a pause."""
    times = [[] for _ in calls]
    for _ in range(blocks):
        for call, record in zip(calls, times):
            time.sleep(pause)
            call()  # the first run after a pause wakes the thread pools
            record.extend(timeit.repeat(call, number=1, repeat=runs))
    return [statistics.median(t) for t in times]


def busy_seconds():
    """CPU seconds (all cores) the machine has been busy, and those this process used; None off Linux."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(t) for t in f.readline().split()[1:]]
    except OSError:
        return None
    busy = sum(ticks) - ticks[3] - (ticks[4] if len(ticks) > 4 else 0)  # all but idle and iowait
    own = os.times()
    return busy / os.sysconf("SC_CLK_TCK"), own.user + own.system


def others_load(start, stop, seconds):
    """Cores kept busy by other processes between two busy_seconds() readings."""
    if start is None or stop is None:
        return float("nan")
    return max(0.0, (stop[0] - start[0]) - (stop[1] - start[1])) / seconds


def extra_memory(call):
    """Peak bytes allocated during `call()` beyond its result (tracemalloc sees NumPy's allocations)."""
    call()  # warm up: caches, thread pools
    tracemalloc.start()
    try:
        result = call()
        return tracemalloc.get_traced_memory()[1] - result.nbytes
    finally:
        tracemalloc.stop()


def machine():
    """One line each: the CPU, the libraries and their BLAS."""
    lines = [f"CPU: {convlib.machine.description()}; Python {platform.python_version()}, NumPy {np.__version__}, "
             f"PyTorch {torch.__version__ if torch else 'not installed'}; "
             f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}"]
    try:
        from threadpoolctl import threadpool_info
        lines += [f"  {p['user_api']}: {p['internal_api']} {p.get('version') or ''} {p.get('architecture') or ''} "
                  f"({os.path.basename(p['filepath'])})" for p in threadpool_info()]
    except ImportError:
        lines.append("  threadpoolctl not installed: convlib.fast runs in one thread, thread counts not limited")
    return "\n".join(lines)


def limit_threads(threads):
    """A context that holds NumPy's BLAS and every OpenMP runtime (PyTorch's too) to `threads`."""
    if torch is not None:
        torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=threads)


def matmul_alone(x_shape, w_shape, kwargs, rng):
    """The layer's matrix multiply on ready-made columns, W_row @ X_col, into a ready-made output."""
    g = convlib.layer_geometry(x_shape[2:], w_shape[2:], kwargs.get("stride", 1), kwargs.get("padding", 0))
    w_row = rng.standard_normal((w_shape[0], int(np.prod(w_shape[1:]))), dtype=np.float32)
    x_col = rng.standard_normal((w_row.shape[1], x_shape[0] * int(np.prod(g.output_size))), dtype=np.float32)
    out = np.empty((w_row.shape[0], x_col.shape[1]), dtype=np.float32)
    return lambda: np.matmul(w_row, x_col, out=out)


def measure(name, threads, blocks, runs):
    """One row of the table: medians, ratios and extra memory of one layer at one thread count."""
    x_shape, w_shape, kwargs = LAYERS[name]
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(x_shape, dtype=np.float32), rng.standard_normal(w_shape, dtype=np.float32)
    calls = {"fast": lambda: convlib.fast.conv2d(x, w, **kwargs), "plain": lambda: convlib.conv2d(x, w, **kwargs),
             "matmul": matmul_alone(x_shape, w_shape, kwargs, rng)}
    if torch is not None:
        tx, tw = torch.from_numpy(x), torch.from_numpy(w)
        calls["torch"] = lambda: torch.nn.functional.conv2d(tx, tw, **kwargs)
        np.testing.assert_allclose(calls["fast"](), calls["torch"]().numpy(), rtol=1e-3, atol=1e-3)
    with limit_threads(threads):
        start, started = busy_seconds(), time.perf_counter()
        with torch.no_grad() if torch is not None else contextlib.nullcontext():
            medians = dict(zip(calls, alternating_blocks(list(calls.values()), blocks, runs)))
        load = others_load(start, busy_seconds(), time.perf_counter() - started)
        out_bytes = calls["fast"]().nbytes
        memory = {k: extra_memory(calls[k]) / out_bytes for k in ("fast", "plain")}
    return medians, memory, load


def row(name, threads, medians, memory, load):
    ms = {k: f"{v * 1e3:9.2f}" for k, v in medians.items()}
    cells = [f"{threads:>7}", f"{name:<9}", ms["fast"], ms["plain"], ms.get("torch", "        -")]
    if "torch" in medians:
        fast, plain = medians["fast"] / medians["torch"], medians["plain"] / medians["torch"]
        cells += [f"{fast:9.2f}x", f"{plain:10.2f}x", "ok  " if fast <= TARGET_SPEED else "MISS",
                  ms["matmul"], f"{medians['matmul'] / medians['torch']:9.2f}x"]
    else:
        cells += [f"{medians['fast'] / medians['plain']:9.2f}x", "", "", ms["matmul"], ""]
    cells += [f"{memory['fast']:8.2f}x {'ok  ' if memory['fast'] <= TARGET_MEMORY else 'MISS'}",
              f"{memory['plain']:8.2f}x", f"{load:6.2f}"]
    return " ".join(cells)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default=",".join(str(t) for t in range(1, (os.cpu_count() or 1) + 1)),
                        help="thread counts, comma-separated (default: 1 to os.cpu_count())")
    parser.add_argument("--layers", default=",".join(LAYERS), help=f"of {', '.join(LAYERS)}")
    parser.add_argument("--blocks", type=int, default=7, help="alternating blocks per layer and thread count")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per block")
    args = parser.parse_args()
    print(machine())
    for name in args.layers.split(","):
        x_shape, w_shape, kwargs = LAYERS[name]
        print(f"  {name:<9} x {x_shape} weight {w_shape} {kwargs}")
    reference = "fast/torch  plain/torch  <=1.3" if torch else "fast/plain"
    print(f"{'threads':>7} {'layer':<9} {'fast ms':>9} {'plain ms':>9} {'torch ms':>9} {reference} "
          f"{'matmul ms':>9} {'mm/torch':>9}  memory: fast (<=2)  plain (x out)  others' load (cores)")
    for threads in (int(t) for t in args.threads.split(",")):
        for name in args.layers.split(","):
            print(row(name, threads, *measure(name, threads, args.blocks, args.runs)), flush=True)
    if torch is None:
        print("PyTorch is not installed: fast against plain only")


if __name__ == "__main__":
    main()
