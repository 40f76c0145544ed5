"""conv2d (im2col + one matrix multiply per group) against PyTorch's CPU convolution.

Shape of a ResNet stage: x (8, 64, 56, 56), weight (64, 64, 3, 3), padding 1,
float32. Target: at most 2.0x PyTorch's time with the same number of threads.
The two are timed in alternating blocks (a pause between blocks lets the
other library's worker threads stop spinning), and each median is taken over
all blocks: on a shared machine both then see the same drift in load.
Also prints GFLOP/s of both and of a plain float32 matrix multiply
(2048 x 2048), the machine's limit for an im2col convolution.

    .venv/bin/python benchmarks/bench_conv2d.py
"""

import os
import statistics
import time
import timeit

import numpy as np

import convlib

TARGET = 2.0


def median_seconds(call, repeat=7):
    call()  # warm up caches and thread pools
    return statistics.median(timeit.repeat(call, number=1, repeat=repeat))


def alternating_blocks(calls, blocks=7, runs=5, pause=0.3):
    """Median time of each call, timed in alternating blocks of `runs` runs."""
    times = [[] for _ in calls]
    for _ in range(blocks):
        for call, record in zip(calls, times):
            time.sleep(pause)
            call()  # the first run after a pause wakes the thread pools
            record.extend(timeit.repeat(call, number=1, repeat=runs))
    return [statistics.median(t) for t in times]


def blas_threads():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count(), "unknown (threadpoolctl not installed)"
    blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
    return (blas[0]["num_threads"], f"{blas[0]['internal_api']} {blas[0].get('architecture', '')}") if blas else (os.cpu_count(), "unknown")


def main():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 64, 56, 56), dtype=np.float32)
    w = rng.standard_normal((64, 64, 3, 3), dtype=np.float32)
    flops = 2 * 8 * 64 * 56 * 56 * 64 * 3 * 3
    threads, blas = blas_threads()
    print(f"BLAS: {blas}, {threads} threads; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")

    a, b = rng.standard_normal((2, 2048, 2048), dtype=np.float32)
    matmul = median_seconds(lambda: a @ b, repeat=5)
    print(f"float32 matmul 2048^3:      {matmul * 1e3:8.1f} ms  {2 * 2048**3 / matmul / 1e9:6.1f} GFLOP/s")

    try:
        import torch
    except ImportError:
        ours = median_seconds(lambda: convlib.conv2d(x, w, padding=1))
        print(f"convlib.conv2d:             {ours * 1e3:8.1f} ms  {flops / ours / 1e9:6.1f} GFLOP/s")
        print("PyTorch is not installed: no reference, no ratio")
        return
    torch.set_num_threads(threads)
    tx, tw = torch.from_numpy(x), torch.from_numpy(w)
    with torch.no_grad():
        ours, reference = alternating_blocks([lambda: convlib.conv2d(x, w, padding=1),
                                              lambda: torch.nn.functional.conv2d(tx, tw, padding=1)])
    ratio = ours / reference
    print(f"convlib.conv2d:             {ours * 1e3:8.1f} ms  {flops / ours / 1e9:6.1f} GFLOP/s")
    print(f"torch conv2d ({torch.get_num_threads()} threads):   {reference * 1e3:8.1f} ms  {flops / reference / 1e9:6.1f} GFLOP/s")
    print(f"ratio convlib / torch: {ratio:.2f}x (target <= {TARGET}x): "
          f"{'ok' if ratio <= TARGET else 'SLOWER THAN TARGET'}")
    np.testing.assert_allclose(convlib.conv2d(x, w, padding=1), torch.nn.functional.conv2d(tx, tw, padding=1).numpy(),
                               rtol=1e-3, atol=1e-3)


if __name__ == "__main__":
    main()
