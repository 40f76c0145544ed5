"""The same layer as :func:`convlib.conv2d`, written for speed instead of clarity.

Not a lesson of its own: notebook 03 times it against the plain layer. Same
signature and results as :func:`convlib.layer.conv2d` (and
``torch.nn.functional.conv2d``). Pure NumPy; with ``threadpoolctl`` installed
it uses every core that NumPy's BLAS may use. Measured in
``benchmarks/README.md``; what makes it fast:

- **Tiles that stay in the cache.** The output is cut into tiles of whole rows
  (or of parts of one row) whose columns X_col take about one core's L2 cache
  (:data:`CACHE_BYTES`): they are written, and read by the matrix multiply,
  while still in it. The plain layer builds all the columns first (115 MB for
  a 64-channel 224x224 image) and reads them back from memory.
- **Every core busy.** The tiles go to as many threads as BLAS may use, this
  one included. NumPy lets go of the GIL while it copies and multiplies, so the
  threads run at once; BLAS is held to one thread meanwhile, so that no core
  runs two threads. In the plain layer only the matrix multiply uses more than
  one core. With few tiles per thread a thread that waits for the GIL costs too
  much, so one thread fills the tiles and BLAS's own threads multiply.
- **A few NumPy calls per tile, none per kernel tap.** A tile's part of the
  image is copied, zero-padded, into a small "slab"; the windows of many taps
  at once are one strided view of the slab (made once per thread), so one
  ``np.copyto`` fills their rows of X_col.
- **Space-to-depth for strides.** With stride s a window reads every s-th
  column: a slow, strided copy. The slab's columns are first sorted into s
  phase planes (the columns with the same remainder modulo s); within a plane
  a tap reads neighbouring columns, so the copies into X_col run over
  contiguous memory. For AlexNet's 11x11 stride-4 layer that halves the copies.
- **Fewer multiplies for 3x3 kernels, on one thread** (stride 1, even output
  sizes, at least :data:`MIN_WINOGRAD_CHANNELS` channels in and out per group):
  Winograd's F(2x2, 3x3) computes each 2x2 block of outputs from a 4x4 block of
  inputs with 16 multiplies per channel pair instead of 36. The blocks are
  transformed with additions only, and the 16 products are 16 matrix multiplies
  (2.25 times fewer flops than X_col's): ResNet's 3x3 layer 23.8 -> 19.4 ms. Its
  transforms are twenty small NumPy calls per tile, and with several threads
  each waits for the GIL between them: with more threads, im2col's tiles.
- **Bounded memory.** Each thread owns one slab and one tile of columns, sized
  so that all of them together take at most :data:`MEMORY_FACTOR` times the
  output, whatever the size of the input.
"""

import functools
import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .layer import _check_layer
from .modes import layer_geometry
from .validation import check_memory

try:  # optional: without it one thread fills the columns, and BLAS multiplies with its own threads
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover (the tests monkeypatch _blas instead)
    ThreadpoolController = None


def _l2_cache_bytes(default=1 << 20):
    """One core's L2 cache, where the OS tells (Linux), else 1 MiB (1-2 MiB on x86 CPUs today)."""
    try:
        size = os.sysconf("SC_LEVEL2_CACHE_SIZE")
    except (AttributeError, ValueError, OSError):
        return default
    return size if size > 0 else default


CACHE_BYTES = _l2_cache_bytes()  # one thread's slab and columns: beyond L2, copies and multiplies slow down sharply
MEMORY_FACTOR = 2                # all threads' buffers together: at most this many times the output's bytes
MIN_FLOPS_PER_THREAD = 2e7       # below this, handing tiles to another thread costs more than it saves
MIN_TILES_PER_THREAD = 16        # with fewer, one thread fills the tiles and BLAS's own threads multiply
MIN_WINOGRAD_CHANNELS = 16       # with fewer channels in or out, the transforms cost more than the multiplies saved

_blas_controller = None
_pool, _pool_size = None, 0
_pool_lock = threading.Lock()  # one parallel call at a time: BLAS's thread count is one setting per process


class _Phase(NamedTuple):
    """The kernel columns whose taps read one phase plane of the slab (see _phases)."""

    plane: int       # the remainder of the slab's columns modulo the stride
    cols: tuple      # (first, step, count): the plane columns these taps read for output column 0
    taps: slice      # the kernel columns themselves


class _Piece(NamedTuple):
    """A range of output rows (or columns) that one tile covers, and what its slab holds."""

    start: int
    stop: int
    slab: slice      # the rows (columns) of the slab that the image covers; the rest read padding
    image: slice     # the image's rows (columns) that land there


class _Plan(NamedTuple):
    """How conv2d cuts its work. Tile i*len(rows)*len(cols) + j*len(cols) + k is the output
    rows[j] x cols[k] of image i: whole rows, or part of one row."""

    images: int
    rows: list       # _Piece of rows of each tile
    cols: list       # _Piece of columns of each tile
    most: tuple      # (rows, columns) of the largest tile
    slab: tuple      # (C, height, width) of one thread's slab
    phases: list     # the _Phase groups of taps
    split: bool      # copy the slab into contiguous phase planes (space-to-depth)?
    workers: int     # threads that fill tiles and multiply, each with BLAS held to one thread...
    blas_threads: int  # ...or, where workers is 1, the threads BLAS may use for each multiply
    winograd: bool = False  # tiles of an even number of whole rows, computed with Winograd's F(2x2, 3x3)


# --- the taps' phases ------------------------------------------------------------------------

def _phases(g):
    """The kernel's columns grouped by the phase plane of the slab they read. Output column j
    reads padded column ``j*stride + b*dilation`` through kernel column b: column
    ``j + b*dilation // stride`` of plane ``b*dilation % stride``. The columns of one plane
    are evenly spaced, and so are the plane columns they read. Stride 1: one plane."""
    (_, kw), sw, dw = g.kernel_size, g.stride[1], g.dilation[1]
    planes = {}
    for b in range(kw):
        planes.setdefault(b * dw % sw, []).append(b)
    phases = []
    for q, b in planes.items():
        step = b[1] - b[0] if len(b) > 1 else 1
        phases.append(_Phase(q, (b[0] * dw // sw, max(1, step * dw // sw), len(b)), slice(b[0], b[-1] + 1, step)))
    return phases


# --- cutting the output into tiles --------------------------------------------------------------

def _slab_shape(rows, cols, g):
    """(height, width) of the padded image that `rows` x `cols` outputs read (width in whole strides)."""
    (kh, kw), (sh, sw), (dh, dw) = g.kernel_size, g.stride, g.dilation
    width = (cols - 1) * sw + dw * (kw - 1) + 1
    return (rows - 1) * sh + dh * (kh - 1) + 1, -(-width // sw) * sw


def _tile_size(c_in, g, itemsize, budget, split):
    """(rows, columns) of the largest tile whose buffers fit in `budget` bytes:
    whole rows if one row fits, else part of one row."""
    def size(rows, cols):  # bytes of X_col, the slab and its phase planes
        height, width = _slab_shape(rows, cols, g)
        return itemsize * c_in * (taps * rows * cols + (1 + split) * height * width)

    (oh, ow), taps = g.output_size, g.kernel_size[0] * g.kernel_size[1]
    rows, cols = oh, ow
    while rows > 1 and size(rows, ow) > budget:
        rows = max(1, min(rows - 1, rows * budget // size(rows, ow)))
    while rows == 1 and cols > 1 and size(1, cols) > budget:
        cols = max(1, min(cols - 1, cols * budget // size(1, cols)))
    return rows, cols


def _split(length, most, times, workers):
    """range(length) cut into pieces of at most `most`, of nearly equal sizes: as few as
    possible, but (when there are few) `times` as many shared evenly by `workers` threads."""
    pieces = -(-length // most)
    while (pieces * times) % workers and pieces * times < 8 * workers and pieces < length:
        pieces += 1
    return [(length * i // pieces, length * (i + 1) // pieces) for i in range(pieces)]


def _pieces(bounds, stride, pad, n, slab_size):
    """_Piece of each range of outputs along one axis: the padded pixels start*stride onwards
    fill its slab, the image's pixels where they lie in the image, zeros elsewhere."""
    pieces = []
    for start, stop in bounds:
        first = min(max(start * stride, pad), start * stride + slab_size)
        last = max(min(start * stride + slab_size, pad + n), first)
        pieces.append(_Piece(start, stop, slice(first - start * stride, last - start * stride),
                             slice(first - pad, last - pad)))
    return pieces


@functools.lru_cache(maxsize=32)
def _plan(batch_shape, weight_shape, itemsize, g, threads, cache_bytes, memory_factor, min_flops, min_tiles,
          min_winograd_channels):
    """How to cut the output into tiles, and which threads to use. Cached: a layer is called
    again and again with the same shapes.

    Tiles small enough for the cache, their buffers together at most `memory_factor` times the
    output. Three ways to use `threads`: none beyond this one for little work; a pool of
    `threads` threads for many tiles; else one thread that fills the tiles, and BLAS's own
    threads for the multiplies. A pool thread that waits for the GIL may wait for milliseconds
    (on a busy virtual machine): with many tiles per thread the others take over its share.
    """
    outputs = batch_shape[0] * weight_shape[0] * g.output_size[0] * g.output_size[1]
    threads = int(max(1, min(threads, 2 * outputs * np.prod(weight_shape[1:]) // min_flops)))
    allowed = memory_factor * itemsize * outputs * 3 // 4    # a quarter left for the queue of tiles
    # Winograd's transforms are many small NumPy calls: with several threads, each thread waits for the
    # GIL between them (resnet at 2 threads: no faster than im2col), so only one thread uses them
    winograd = threads == 1 and _winograd_applies(batch_shape, weight_shape, g, min_winograd_channels)
    plan = _tiles(batch_shape, weight_shape, g, itemsize, cache_bytes, allowed // threads, threads, winograd)
    if threads > 1 and plan.images * len(plan.rows) * len(plan.cols) < min_tiles * threads:
        # few tiles: one thread fills them, and BLAS multiplies each with `threads` threads (of its own: they
        # spin between calls, so they start at once), on columns for as many caches
        plan = _tiles(batch_shape, weight_shape, g, itemsize, cache_bytes * threads, allowed, 1,
                      winograd)._replace(blas_threads=threads)
    return plan


def _tiles(batch_shape, weight_shape, g, itemsize, cache, most_bytes, workers, winograd):
    """The _Plan of tiles for `workers` threads, each tile's buffers within `most_bytes`:
    Winograd's where it applies and two rows fit, else im2col's."""
    plan = None
    if winograd:   # twice the cache: measured fastest (the buffers are not all in use at once)
        plan = _winograd_tiles(batch_shape, weight_shape, g, itemsize, min(2 * cache, most_bytes), workers)
    return plan or _im2col_tiles(batch_shape, g, itemsize, min(cache, most_bytes), workers)


def _im2col_tiles(batch_shape, g, itemsize, budget, workers):
    """The _Plan of im2col tiles that fit in `budget` bytes each, for `workers` threads."""
    (n, c_in, h, w), (oh, ow), (kh, kw), (sh, sw) = batch_shape, g.output_size, g.kernel_size, g.stride
    split = sw > 1 and kh * kw > sh * sw          # space-to-depth pays when the taps read each pixel more than once
    rows, cols = _tile_size(c_in, g, itemsize, budget, split)
    rows = _split(oh, rows, n, workers) if cols == ow else [(r, r + 1) for r in range(oh)]
    cols = _split(ow, cols, n * oh, workers) if len(rows) == oh else [(0, ow)]
    most = (max(r1 - r0 for r0, r1 in rows), max(c1 - c0 for c0, c1 in cols))
    slab = _slab_shape(*most, g)
    return _Plan(n, _pieces(rows, sh, g.pad_before[0], h, slab[0]), _pieces(cols, sw, g.pad_before[1], w, slab[1]),
                 most, (c_in, *slab), _phases(g), split, min(workers, n * len(rows) * len(cols)), 1)


def _fill_slab(slab, image, rows, cols):
    """Copy the pixels of `image` that a tile reads into `slab`, zeros where it reads padding."""
    height, width = slab.shape[1:]
    if rows.slab.start:                           # zero only the padding, not the whole slab
        slab[:, :rows.slab.start] = 0
    if rows.slab.stop < height:
        slab[:, rows.slab.stop:] = 0
    if cols.slab.start:
        slab[:, rows.slab, :cols.slab.start] = 0
    if cols.slab.stop < width:
        slab[:, rows.slab, cols.slab.stop:] = 0
    slab[:, rows.slab, cols.slab] = image[:, rows.image, cols.image]


# --- one thread's work ------------------------------------------------------------------------

def _phase_planes(slab, stride):
    """The slab as (C, sW, height, width/sW): plane q holds the columns that are q modulo the
    stride. A view."""
    c, height, width = slab.shape
    return slab.reshape(c, height, width // stride, stride).transpose(0, 3, 1, 2)


def _copies(planes, cols, g, plan, rows, width):
    """For a tile of rows x width outputs: pairs (rows of X_col, the windows they copy) of
    shape (C, kH, kernel columns, rows, width), one per phase plane. Views."""
    (kh, kw), (sh, _), (dh, _) = g.kernel_size, g.stride, g.dilation
    by_tap = cols[:, :rows * width].reshape(-1, kh, kw, rows, width)   # X_col as (C, kH, kW, rows, width)
    span = (dh * (kh - 1) + 1, max(p.cols[0] + p.cols[1] * (p.cols[2] - 1) + 1 for p in plan.phases))
    windows = sliding_window_view(planes, span, axis=(2, 3))[:, :, ::sh][:, :, :rows, :width, ::dh]
    pairs = []
    for phase in plan.phases:
        first, step, count = phase.cols
        source = windows[:, phase.plane, ..., first::step][..., :count]  # (C, rows, width, kH, count)
        pairs.append((by_tap[:, :, phase.taps], source.transpose(0, 3, 4, 1, 2)))
    return pairs


class _Buffers:
    """One thread's slab, phase planes and columns X_col, and the views that copy one into the other."""

    def __init__(self, plan, g, dtype, rows):
        self.plan, self.g = plan, g
        self.slab = np.empty(plan.slab, dtype)
        self.planes = _phase_planes(self.slab, g.stride[1])               # a view of the slab
        self.split = np.empty(self.planes.shape, dtype) if plan.split else self.planes
        self.cols = np.empty((rows, plan.most[0] * plan.most[1]), dtype)
        self.views = {}                                                   # per tile shape: copies and X_col

    def unfold(self, rows, width):
        """X_col, (C*kH*kW, rows*width), of the tile of rows x width outputs in the slab."""
        if (rows, width) not in self.views:
            self.views[rows, width] = (_copies(self.split, self.cols, self.g, self.plan, rows, width),
                                       self.cols[:, :rows * width])
        copies, x_col = self.views[rows, width]
        if self.plan.split:
            np.copyto(self.split, self.planes)    # space-to-depth: one strided copy, then contiguous ones
        for target, source in copies:
            np.copyto(target, source)
        return x_col


def _take_tiles(queue, plan):
    """Take tiles from the shared queue until it is empty: (image, rows, columns)."""
    per_image = len(plan.rows) * len(plan.cols)
    while True:
        try:
            image, tile = divmod(queue.popleft(), per_image)
        except IndexError:
            return
        yield image, plan.rows[tile // len(plan.cols)], plan.cols[tile % len(plan.cols)]


def _worker(batch, w_rows, bias, out, g, plan):
    """The work of one thread on a queue of tiles: fill each tile's columns, multiply."""
    groups, ow = w_rows.shape[0], g.output_size[1]
    out = out.reshape(out.shape[0], groups, w_rows.shape[1], -1)   # (N, groups, C_out/groups, H_out*W_out)

    def work(queue):
        buffers = _Buffers(plan, g, batch.dtype, groups * w_rows.shape[2])   # this thread's own
        for image, rows, cols in _take_tiles(queue, plan):
            _fill_slab(buffers.slab, batch[image], rows, cols)
            x_col = buffers.unfold(rows.stop - rows.start, cols.stop - cols.start)
            y = out[image, :, :, rows.start * ow + cols.start:(rows.stop - 1) * ow + cols.stop]
            np.matmul(w_rows, x_col.reshape(groups, -1, x_col.shape[1]), out=y)   # y: contiguous positions
            if bias is not None:
                y += bias                         # while the tile is in the cache
    return work


# --- Winograd's F(2x2, 3x3): 3x3 kernels, stride 1 ----------------------------------------------
# Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks" (2016): the 2x2 outputs of
# a 4x4 input block d and a 3x3 kernel w are A^T [(G w G^T) * (B^T d B)] A, with * elementwise.
# Summed over the input channels, the 16 elementwise products become 16 matrix multiplies.

_G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])


def _winograd_applies(batch_shape, weight_shape, g, min_channels):
    """3x3 kernel, stride and dilation 1, even output sizes, enough channels per group in and out."""
    c_in_group, c_out_group = weight_shape[1], weight_shape[0] * weight_shape[1] // batch_shape[1]
    return ((g.kernel_size, g.stride, g.dilation) == ((3, 3), (1, 1), (1, 1))
            and g.output_size[0] % 2 == 0 and g.output_size[1] % 2 == 0
            and min(c_in_group, c_out_group) >= min_channels)


def _winograd_tiles(batch_shape, weight_shape, g, itemsize, budget, workers):
    """The _Plan of Winograd tiles, an even number of whole rows each, that fit in `budget`
    bytes each, for `workers` threads; None where two rows do not fit."""
    (n, c_in, h, w), c_out, (oh, ow) = batch_shape, weight_shape[0], g.output_size
    # bytes per output row: 4x4 blocks before and after the transform (2 x 4 numbers per
    # output and input channel), products and half-transformed outputs (6 per output channel),
    # and the slab's row; the slab's two extra rows on top
    per_row = itemsize * ((8 * c_in + 6 * c_out) * ow + c_in * (ow + 2))
    pairs = min(oh // 2, (budget - 2 * itemsize * c_in * (ow + 2)) // (2 * per_row))
    if pairs < 1:
        return None
    rows = [(2 * start, 2 * stop) for start, stop in _split(oh // 2, pairs, n, workers)]
    most = (max(r1 - r0 for r0, r1 in rows), ow)
    slab = _slab_shape(*most, g)
    return _Plan(n, _pieces(rows, 1, g.pad_before[0], h, slab[0]), _pieces([(0, ow)], 1, g.pad_before[1], w, slab[1]),
                 most, (c_in, *slab), [], False, min(workers, n * len(rows)), 1, winograd=True)


def _winograd_weights(weight, groups):
    """G w G^T of every 3x3 kernel: 16 matrices per group, (16, groups, C_out/groups, C_in/groups)."""
    u = np.einsum("ka,ocab,lb->kloc", _G, weight, _G).astype(weight.dtype)
    return u.reshape(16, groups, weight.shape[0] // groups, weight.shape[1])


def _input_transform(d, t, v):
    """v = B^T d B for 4x4 blocks d (the first two axes), t for the halfway step; B^T's rows
    are (1, 0, -1, 0), (0, 1, 1, 0), (0, -1, 1, 0), (0, 1, 0, -1). v may be d."""
    for rows, out in ((d, t), (t.swapaxes(0, 1), v.swapaxes(0, 1))):   # rows, then columns
        np.subtract(rows[0], rows[2], out=out[0])
        np.add(rows[1], rows[2], out=out[1])
        np.subtract(rows[2], rows[1], out=out[2])
        np.subtract(rows[1], rows[3], out=out[3])


def _output_transform(m, s, y):
    """y = A^T m A for 4x4 products m, s (2x4) for the halfway step; A^T's rows are
    (1, 1, 1, 0) and (0, 1, -1, -1)."""
    for rows, out in ((m, s), (s.swapaxes(0, 1), y.swapaxes(0, 1))):   # rows, then columns
        np.add(rows[0], rows[1], out=out[0])
        out[0] += rows[2]
        np.subtract(rows[1], rows[2], out=out[1])
        out[1] -= rows[3]


class _WinogradBuffers:
    """One thread's slab, its 4x4 blocks before and after the transform, products and
    half-transformed outputs."""

    def __init__(self, plan, dtype, c_out):
        c_in, blocks = plan.slab[0], plan.most[0] * plan.most[1] // 4
        self.slab = np.empty(plan.slab, dtype)
        self.d, self.t = np.empty((2, 16 * c_in * blocks), dtype)
        self.m = np.empty(16 * c_out * blocks, dtype)
        self.s = np.empty(8 * c_out * blocks, dtype)
        # block (i, j) of the slab is rows 2i to 2i+3, columns 2j to 2j+3: (4, 4, C, row blocks, column blocks)
        self.blocks = sliding_window_view(self.slab, (4, 4), axis=(1, 2))[:, ::2, ::2].transpose(3, 4, 0, 1, 2)

    def correlate_into(self, u, y):
        """y, (2, 2, C_out, row blocks, column blocks): the tile's outputs, from the slab."""
        (c_in, blocks), (groups, c_out) = (self.slab.shape[0], y.shape[3] * y.shape[4]), (u.shape[1], y.shape[2])
        d, t = (buffer[:16 * c_in * blocks].reshape(4, 4, c_in, *y.shape[3:]) for buffer in (self.d, self.t))
        np.copyto(d, self.blocks[:, :, :, :y.shape[3]])
        _input_transform(d, t, d)
        m = self.m[:16 * c_out * blocks].reshape(16, groups, c_out // groups, blocks)
        np.matmul(u, d.reshape(16, groups, c_in // groups, blocks), out=m)
        s = self.s[:8 * c_out * blocks].reshape(2, 4, *y.shape[2:])
        _output_transform(m.reshape(4, 4, *y.shape[2:]), s, y)


def _winograd_worker(batch, u, bias, out, g, plan):
    """The work of one thread on a queue of tiles, Winograd's way: fill each tile's slab,
    transform its blocks, multiply, transform back into the output."""
    (images, c_out), (oh, ow) = out.shape[:2], g.output_size
    blocks = out.reshape(images, c_out, oh // 2, 2, ow // 2, 2)   # output block (i, j): rows 2i, 2i+1, columns 2j, 2j+1

    def work(queue):
        buffers = _WinogradBuffers(plan, batch.dtype, c_out)   # this thread's own
        for image, rows, cols in _take_tiles(queue, plan):
            _fill_slab(buffers.slab, batch[image], rows, cols)
            y = blocks[image, :, rows.start // 2:rows.stop // 2].transpose(2, 4, 0, 1, 3)
            buffers.correlate_into(u, y)
            if bias is not None:
                out[image, :, rows.start:rows.stop] += bias        # while the tile is in the cache
    return work


# --- the threads -----------------------------------------------------------------------------

def _blas():
    """threadpoolctl's handle on NumPy's BLAS, or None without threadpoolctl."""
    global _blas_controller
    if _blas_controller is None and ThreadpoolController is not None:
        _blas_controller = ThreadpoolController().select(user_api="blas")
    return _blas_controller


def _blas_threads(blas):
    """The number of threads BLAS may use now."""
    return max([lib["num_threads"] or 1 for lib in blas.info()] or [1])


def _workers():
    """Threads for the tiles: as many as BLAS may use (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or
    threadpoolctl's limits), at most one per core; one without threadpoolctl."""
    blas = _blas()
    return 1 if blas is None else max(1, min(os.cpu_count() or 1, _blas_threads(blas)))


def _in_parallel(work, tiles, plan):
    """Run ``work(queue)`` in plan.workers threads, this one included, that share one queue of tiles.

    BLAS is held to plan.blas_threads meanwhile: one thread with a pool, or for little work
    (on small tiles its threads cost more than they give, and they keep spinning after each
    call, slowing whatever runs next, PyTorch's threads for one).
    """
    global _pool, _pool_size
    queue = deque(range(tiles))                   # popleft is atomic: each tile goes to exactly one thread
    blas = _blas()
    if blas is None:
        return work(queue)
    with _pool_lock, blas.limit(limits=plan.blas_threads):
        if plan.workers == 1 or _blas_threads(blas) != 1:  # != 1: another Python thread controls OpenBLAS's
            return work(queue)                             # threads; work in this one, BLAS uses its own
        if _pool_size < plan.workers - 1:         # threads that wait for work between calls
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool_size = plan.workers - 1
            _pool = ThreadPoolExecutor(_pool_size, thread_name_prefix="convlib.fast")
        helpers = [_pool.submit(work, queue) for _ in range(plan.workers - 1)]
        try:
            work(queue)
        finally:
            for helper in helpers:
                helper.result()


def _check_geometry(batch, weight, stride, padding, dilation):
    """The layer's geometry, after checking that its output fits in memory. Unlike the plain
    layer, this one never holds all of X_col, so X_col need not fit."""
    g = layer_geometry(batch.shape[2:], weight.shape[2:], stride, padding, dilation)
    check_memory((batch.shape[0], weight.shape[0], *g.output_size), batch.dtype, "the output",
                 "use a smaller input or batch")
    return g


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """:func:`convlib.conv2d`, computed for speed: same arguments, same results.

    Uses as many threads as NumPy's BLAS (see the module's notes); its extra
    memory is at most MEMORY_FACTOR times the output's.

    Examples
    --------
    >>> import convlib
    >>> x, w = np.random.default_rng(0).standard_normal((2, 3, 8, 8)), np.ones((4, 3, 3, 3))
    >>> bool(np.allclose(conv2d(x, w, padding=1), convlib.conv2d(x, w, padding=1)))
    True
    """
    batch, weight, bias, groups = _check_layer(x, weight, bias, groups)
    g = _check_geometry(batch, weight, stride, padding, dilation)
    plan = _plan(batch.shape, weight.shape, batch.itemsize, g, _workers(), CACHE_BYTES, MEMORY_FACTOR,
                 MIN_FLOPS_PER_THREAD, MIN_TILES_PER_THREAD, MIN_WINOGRAD_CHANNELS)
    out = np.empty((batch.shape[0], weight.shape[0], *g.output_size), dtype=batch.dtype)
    if plan.winograd:
        work = _winograd_worker(batch, _winograd_weights(weight, groups),
                                None if bias is None else bias.reshape(-1, 1, 1), out, g, plan)
    else:
        per_group_bias = None if bias is None else bias.reshape(groups, -1, 1)
        w_rows = weight.reshape(groups, weight.shape[0] // groups, -1)     # W_row of each group
        work = _worker(batch, w_rows, per_group_bias, out, g, plan)
    _in_parallel(work, plan.images * len(plan.rows) * len(plan.cols), plan)
    return out if np.ndim(x) == 4 else out[0]
