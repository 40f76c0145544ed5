"""Which tiles and which threads convlib.fast uses for a layer: its plan.

Internal to :mod:`convlib.fast`. :data:`TUNING` holds the numbers the plan
depends on (measured in ``benchmarks/README.md``); :func:`plan_tiles` turns a
layer's shapes into a :class:`convlib.fast.tiling.Plan`, cached, since a layer
is called again and again with the same shapes; :func:`buffer_elements`
counts what its threads will allocate, so that conv2d can refuse before.
"""

import functools
from typing import NamedTuple

import numpy as np

from .. import machine
from . import winograd
from .tiling import im2col_tiles


class Tuning(NamedTuple):
    """The numbers a plan depends on."""

    cache_bytes: int = 1 << 20          # one thread's slab and columns: beyond L2, copies and multiplies slow down
    memory_factor: float = 2            # all threads' buffers together: at most this many times the output's bytes
    min_flops_per_thread: float = 2e7   # below this, handing tiles to another thread costs more than it saves
    min_tiles_per_thread: int = 16      # with fewer, one thread fills the tiles and BLAS's own threads multiply
    min_winograd_channels: int = 16     # with fewer channels in or out, the transforms cost more than they save


TUNING = Tuning(cache_bytes=machine.l2_cache_bytes())
"""The tuning conv2d uses: this machine's L2 cache, and the measured thresholds."""


@functools.lru_cache(maxsize=32)
def plan_tiles(batch_shape, weight_shape, itemsize, g, threads, tuning):
    """How to cut the output into tiles, and which threads to use.

    Tiles small enough for the cache, their buffers together at most
    ``tuning.memory_factor`` times the output. Three ways to use `threads`:
    none beyond this one for little work; a pool of `threads` threads for many
    tiles; else one thread that fills the tiles, and BLAS's own threads for the
    multiplies. A pool thread that waits for the GIL may wait for milliseconds
    (on a busy virtual machine): with many tiles per thread the others take
    over its share.
    """
    outputs = batch_shape[0] * weight_shape[0] * g.output_size[0] * g.output_size[1]
    threads = int(max(1, min(threads, 2 * outputs * np.prod(weight_shape[1:]) // tuning.min_flops_per_thread)))
    allowed = tuning.memory_factor * itemsize * outputs * 3 // 4    # a quarter left for the queue of tiles
    # Winograd's transforms are many small NumPy calls: with several threads, each thread waits for the
    # GIL between them (resnet at 2 threads: no faster than im2col), so only one thread uses them
    use_winograd = threads == 1 and winograd.applies(batch_shape, weight_shape, g, tuning.min_winograd_channels)
    cache = tuning.cache_bytes
    plan = _tiles(batch_shape, weight_shape, g, itemsize, cache, allowed // threads, threads, use_winograd)
    if threads > 1 and plan.images * len(plan.rows) * len(plan.cols) < tuning.min_tiles_per_thread * threads:
        # few tiles: one thread fills them, and BLAS multiplies each with `threads` threads (of its own: they
        # spin between calls, so they start at once), on columns for as many caches
        plan = _tiles(batch_shape, weight_shape, g, itemsize, cache * threads, allowed, 1,
                      use_winograd)._replace(blas_threads=threads)
    return plan


def _tiles(batch_shape, weight_shape, g, itemsize, cache, most_bytes, workers, use_winograd):
    """The Plan of tiles for `workers` threads, each tile's buffers within `most_bytes`:
    Winograd's where it applies and two rows fit, else im2col's."""
    plan = None
    if use_winograd:   # twice the cache: measured fastest (the buffers are not all in use at once)
        plan = winograd.tiles(batch_shape, weight_shape, g, itemsize, min(2 * cache, most_bytes), workers)
    return plan or im2col_tiles(batch_shape, g, itemsize, min(cache, most_bytes), workers)


def buffer_elements(plan, weight_shape):
    """Numbers in every buffer that the threads of `plan` allocate, all threads together:
    what conv2d needs beyond its input and output (with Winograd, the kernels' transforms too)."""
    slab, area = int(np.prod(plan.slab)), plan.most[0] * plan.most[1]
    c_in, c_out = plan.slab[0], weight_shape[0]
    if plan.winograd:   # the slab; 4x4 blocks before and after the transform; products, half-transformed outputs
        per_thread = slab + 32 * c_in * (area // 4) + 24 * c_out * (area // 4)
        return plan.workers * per_thread + 2 * 16 * c_out * weight_shape[1]   # G w G^T, computed then cast
    kernel_area = weight_shape[2] * weight_shape[3]
    return plan.workers * (slab * (1 + plan.split) + c_in * kernel_area * area)   # slab, phase planes, X_col
