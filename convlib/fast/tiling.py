"""How convlib.fast cuts a layer's output into tiles that stay in the cache.

Internal to :mod:`convlib.fast`. A :class:`Plan` lists the tiles (whole output
rows, or parts of one row), the slab of padded input each reads, and the
kernel's taps grouped by the phase plane of the slab they read (space-to-depth
for strides). :mod:`convlib.fast.plan` chooses the plan for a layer.
"""

from typing import NamedTuple


class Phase(NamedTuple):
    """The kernel columns whose taps read one phase plane of the slab (see tap_phases)."""

    plane: int       # the remainder of the slab's columns modulo the stride
    cols: tuple      # (first, step, count): the plane columns these taps read for output column 0
    taps: slice      # the kernel columns themselves


class Piece(NamedTuple):
    """A range of output rows (or columns) that one tile covers, and what its slab holds."""

    start: int
    stop: int
    slab: slice      # the rows (columns) of the slab that the image covers; the rest read padding
    image: slice     # the image's rows (columns) that land there


class Plan(NamedTuple):
    """How conv2d cuts its work. Tile i*len(rows)*len(cols) + j*len(cols) + k is the output
    rows[j] x cols[k] of image i: whole rows, or part of one row."""

    images: int
    rows: list       # Piece of rows of each tile
    cols: list       # Piece of columns of each tile
    most: tuple      # (rows, columns) of the largest tile
    slab: tuple      # (C, height, width) of one thread's slab
    phases: list     # the Phase groups of taps
    split: bool      # copy the slab into contiguous phase planes (space-to-depth)?
    workers: int     # threads that fill tiles and multiply, each with BLAS held to one thread...
    blas_threads: int  # ...or, where workers is 1, the threads BLAS may use for each multiply
    winograd: bool = False  # tiles of an even number of whole rows, computed with Winograd's F(2x2, 3x3)


def tap_phases(g):
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
        phases.append(Phase(q, (b[0] * dw // sw, max(1, step * dw // sw), len(b)), slice(b[0], b[-1] + 1, step)))
    return phases


def slab_shape(rows, cols, g):
    """(height, width) of the padded image that `rows` x `cols` outputs read (width in whole strides)."""
    (kh, kw), (sh, sw), (dh, dw) = g.kernel_size, g.stride, g.dilation
    width = (cols - 1) * sw + dw * (kw - 1) + 1
    return (rows - 1) * sh + dh * (kh - 1) + 1, -(-width // sw) * sw


def tile_size(c_in, g, itemsize, budget, split):
    """(rows, columns) of the largest tile whose buffers fit in `budget` bytes:
    whole rows if one row fits, else part of one row."""
    def size(rows, cols):  # bytes of X_col, the slab and its phase planes
        height, width = slab_shape(rows, cols, g)
        return itemsize * c_in * (taps * rows * cols + (1 + split) * height * width)

    (oh, ow), taps = g.output_size, g.kernel_size[0] * g.kernel_size[1]
    rows, cols = oh, ow
    while rows > 1 and size(rows, ow) > budget:
        rows = max(1, min(rows - 1, rows * budget // size(rows, ow)))
    while rows == 1 and cols > 1 and size(1, cols) > budget:
        cols = max(1, min(cols - 1, cols * budget // size(1, cols)))
    return rows, cols


def cut_evenly(length, most, times, workers):
    """range(length) cut into pieces of at most `most`, of nearly equal sizes: as few as
    possible, but (when there are few) `times` as many shared evenly by `workers` threads."""
    pieces = -(-length // most)
    while (pieces * times) % workers and pieces * times < 8 * workers and pieces < length:
        pieces += 1
    return [(length * i // pieces, length * (i + 1) // pieces) for i in range(pieces)]


def slab_pieces(bounds, stride, pad, n, slab_size):
    """Piece of each range of outputs along one axis: the padded pixels start*stride onwards
    fill its slab, the image's pixels where they lie in the image, zeros elsewhere."""
    pieces = []
    for start, stop in bounds:
        first = min(max(start * stride, pad), start * stride + slab_size)
        last = max(min(start * stride + slab_size, pad + n), first)
        pieces.append(Piece(start, stop, slice(first - start * stride, last - start * stride),
                             slice(first - pad, last - pad)))
    return pieces


def im2col_tiles(batch_shape, g, itemsize, budget, workers):
    """The Plan of im2col tiles that fit in `budget` bytes each, for `workers` threads."""
    (n, c_in, h, w), (oh, ow), (kh, kw), (sh, sw) = batch_shape, g.output_size, g.kernel_size, g.stride
    split = sw > 1 and kh * kw > sh * sw          # space-to-depth pays when the taps read each pixel more than once
    rows, cols = tile_size(c_in, g, itemsize, budget, split)
    rows = cut_evenly(oh, rows, n, workers) if cols == ow else [(r, r + 1) for r in range(oh)]
    cols = cut_evenly(ow, cols, n * oh, workers) if len(rows) == oh else [(0, ow)]
    most = (max(r1 - r0 for r0, r1 in rows), max(c1 - c0 for c0, c1 in cols))
    slab = slab_shape(*most, g)
    return Plan(n, slab_pieces(rows, sh, g.pad_before[0], h, slab[0]),
                slab_pieces(cols, sw, g.pad_before[1], w, slab[1]),
                most, (c_in, *slab), tap_phases(g), split, min(workers, n * len(rows) * len(cols)), 1)


def fill_slab(slab, image, rows, cols):
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


def take_tiles(queue, plan):
    """Take tiles from the shared queue until it is empty: (image, rows, columns)."""
    per_image = len(plan.rows) * len(plan.cols)
    while True:
        try:
            image, tile = divmod(queue.popleft(), per_image)
        except IndexError:
            return
        yield image, plan.rows[tile // len(plan.cols)], plan.cols[tile % len(plan.cols)]
