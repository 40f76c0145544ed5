"""Every method of convlib on one image, and the FFT method against SciPy's fftconvolve.

    .venv/bin/python benchmarks/bench_methods.py

1. correlate_fft vs scipy.signal.fftconvolve (with the flipped kernel, which is
   the same correlation) on a 512x512 image and a 31x31 kernel, mode 'same'.
   Target: at most 1.2x SciPy's time.
2. loop vs dot vs im2col vs windows vs matrix vs fft on a 128x128 image and a
   5x5 kernel, mode 'valid': the speed-ups the notebooks quote. The matrix
   method builds a (124*124) x (128*128) dense matrix, so it runs on 64x64.
"""

import statistics
import timeit

import numpy as np
import scipy.signal

import convlib

TARGET_FFT = 1.2


def median_ms(call, repeat=7):
    call()
    return 1e3 * statistics.median(timeit.repeat(call, number=1, repeat=repeat))


def fft_against_scipy():
    rng = np.random.default_rng(0)
    image, kernel = rng.standard_normal((512, 512)), rng.standard_normal((31, 31))
    ours = median_ms(lambda: convlib.correlate_fft(image, kernel, "same"))
    scipys = median_ms(lambda: scipy.signal.fftconvolve(image, kernel[::-1, ::-1], "same"))
    ratio = ours / scipys
    print(f"correlate_fft 512x512 * 31x31: {ours:7.2f} ms; scipy fftconvolve {scipys:7.2f} ms; "
          f"ratio {ratio:.2f}x (target <= {TARGET_FFT}x): {'ok' if ratio <= TARGET_FFT else 'SLOWER THAN TARGET'}")


def every_method():
    rng = np.random.default_rng(1)
    kernel = rng.standard_normal((5, 5))
    print(f"\n{'method':8s} {'image':>8s} {'median ms':>10s} {'speed-up vs loop':>17s}")
    for side in (128, 64):
        image = rng.standard_normal((side, side))
        loop = median_ms(lambda image=image: convlib.correlate_loop(image, kernel, "valid"), repeat=3)
        for name, method in convlib.METHODS.items():
            if name == "matrix" and side > 64:
                continue
            ms = loop if name == "loop" else median_ms(lambda m=method, i=image: m(i, kernel, "valid"), repeat=5)
            print(f"{name:8s} {side:>4d}x{side:<3d} {ms:10.2f} {loop / ms:16.0f}x")


if __name__ == "__main__":
    fft_against_scipy()
    every_method()
