"""The machine a timing ran on, and the cache that convlib.fast sizes its tiles for.

One place that reads the CPU's description, shared by the FFT race
(:mod:`convlib.fft_race`) and the benchmarks (``benchmarks/``).
"""

import os
import platform

__all__ = ["description", "l2_cache_bytes"]


def _cpu_model():
    """The CPU's model name where Linux tells (/proc/cpuinfo), else what Python's platform module knows."""
    try:
        with open("/proc/cpuinfo") as info:
            return next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def description():
    """The CPU model, its number of cores and the operating system, in one line.

    Examples
    --------
    >>> description().endswith(f"{os.cpu_count()} cores, {platform.system()}")
    True
    """
    return f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()}"


def l2_cache_bytes(default=1 << 20):
    """One core's L2 cache, where the OS tells (Linux), else 1 MiB (1-2 MiB on x86 CPUs today)."""
    try:
        size = os.sysconf("SC_LEVEL2_CACHE_SIZE")
    except (AttributeError, ValueError, OSError):
        return default
    return size if size > 0 else default
