"""Pictures of notebook 08: the convolution theorem step by step, kernels as filters of
frequencies, the circulant matrix made diagonal, and the race of direct against FFT methods.

Spectra are drawn with frequency 0 in the centre and on a logarithmic scale (their
values span many orders of magnitude); every panel says what its scale is.
"""

import numpy as np
from PIL import Image, ImageDraw

from ..fft import dft_matrix, frequency_response
from ..validation import check_arrays
from ..fft_race import RECORDED_RACE, choice_mistakes, race_crossover, race_winners
from .kit import GRID, INK, OKABE_ITO, OUTPUT, PAD, QUIET_INK, STYLE, WINDOW, Picture, fmt, gray_panel, grid_panel
from .kit import paste, sentences, side_by_side, stacked, text_width, tint, write
from ..i18n import _

__all__ = ["KIND_COLOURS", "circulant_diagonal", "kernel_spectra", "race_map", "theorem_steps"]

KIND_COLOURS = {"direct": tint(OKABE_ITO["sky blue"], 0.7), "fft": OKABE_ITO["orange"]}
"""Fills of the race map: blue where a direct method wins, amber where an FFT method does."""

_LINE = OKABE_ITO["blue"]


def _text_panel(lines, size=None):
    """Lines of text, one under the other: one panel."""
    size = size or STYLE["font"]
    image = Image.new("RGB", (max(text_width(line, size) for line in lines) + 4, (size + 6) * len(lines) + 4),
                      "white")
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        write(draw, (2, 2 + k * (size + 6)), line, size=size)
    return image


def _log_magnitude(spectrum):
    """log10 |spectrum|, frequency 0 in the centre, floored 6 decades below the maximum."""
    magnitude = np.abs(np.fft.fftshift(spectrum))
    return np.log10(np.maximum(magnitude, 1e-6 * magnitude.max() or 1e-300))


def _spectrum_panel(spectrum, title):
    return gray_panel(_log_magnitude(spectrum), title)


# --- The theorem, step by step ------------------------------------------------------------

def theorem_steps(image, kernel, padded=True, image_spectrum=None):
    """Convolve `image` with `kernel` by multiplying spectra, with or without zero padding.

    Top row, in space: the image (zero-padded to P x P, the zeros light grey),
    the kernel (at the corner of a P x P array of zeros, as the FFT sees it),
    the inverse DFT of the product, and what that inverse has that the linear
    convolution has not: with P = N + K - 1 nothing; with P = N (no padding)
    the rows and columns that the linear result has beyond N, wrapped around
    and added to the first ones: the bottom edge bleeds into the top, the right
    edge into the left. Bottom row, in frequency: log |DFT| of the image, of
    the kernel and of their product. `image_spectrum` (the image's
    ``np.fft.fft2`` at size P x P) may be passed to save computing it again.
    """
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    n, k = image.shape[0], kernel.shape[0]
    p, full = (n + k - 1 if padded else n), n + k - 1
    check_arrays([((full, full), np.complex128)] * 8, _("the theorem's spectra and products"), _("use a smaller image"))
    X = np.fft.fft2(image, (p, p)) if image_spectrum is None else image_spectrum
    W = np.fft.fft2(kernel, (p, p))
    y = np.real(np.fft.ifft2(X * W))
    linear = np.real(np.fft.ifft2(np.fft.fft2(image, (full, full)) * np.fft.fft2(kernel, (full, full))))
    extra = y - linear[:p, :p]
    extra[np.abs(extra) < 1e-9] = 0.0                                   # rounding, not wrap-around
    shown_x = np.full((p, p), np.nan)                                   # NaN: drawn as padding
    shown_x[:n, :n] = image
    shown_w = np.zeros((p, p))
    shown_w[:k, :k] = kernel
    lo, hi = float(image.min()), float(image.max())
    shown_x_title = (_("x, padded to {p}x{p}") if padded else _("x, {n}x{n}, not padded")).format(p=p, n=n)
    top = [gray_panel(shown_x, shown_x_title, lo, hi),
           gray_panel(shown_w, _("w, {k}x{k}, at the corner").format(k=k), min(0.0, kernel.min()), kernel.max() or 1.0,
                      box=(0, 0, k, k)),
           gray_panel(y, _("y = inverse DFT"), lo, hi),
           gray_panel(extra, _("y - linear: max {fmt_np_abs_extra_max}").format(
                                 fmt_np_abs_extra_max=fmt(np.abs(extra).max())), min(0.0, extra.min()),
                      max(float(extra.max()), 1e-9))]
    bottom = [_spectrum_panel(X, "log |DFT(x)|"), _spectrum_panel(W, "log |DFT(w)|"),
              _spectrum_panel(X * W, "log |DFT(x) DFT(w)|"),
              _text_panel([_("the product of the spectra"), _("is the spectrum of y:"),
                           _("y is a circular convolution"), _("of size {p}").format(p=p)])]
    what = (_("P = N + K - 1 = {p}: y is the linear convolution, nothing wraps around").format(p=p) if padded else
            _("P = N = {p}, no padding: the last K - 1 = {k_1} rows and columns of the linear result wrap around "
              "onto the first ones").format(p=p, k_1=k - 1))
    note = _text_panel([what, _("spectra: frequency 0 in the centre, log scale; light grey: zeros added; "
                          "top right: black = 0")])
    alt = (_("The convolution theorem on a {n}x{n} image and a {k}x{k} kernel, arrays of size {p}x{p}: in space, the "
             "image, the kernel at the corner, the inverse DFT of the product, and its difference from the linear "
             "convolution (largest {fmt_np_abs_extra_max}); below, in frequency, log |DFT| of the image, of the "
             "kernel and of their product").format(n=n, k=k, p=p, fmt_np_abs_extra_max=fmt(np.abs(extra).max())))
    return _rows([top, bottom], note, sentences(alt, what))


def _rows(rows, note, alt):
    """Rows of panels in aligned columns, with a note below: a Picture with text alternative `alt`."""
    gap = STYLE["gap"]
    widths = [max(row[c].width for row in rows) for c in range(len(rows[0]))]
    heights = [max(panel.height for panel in row) for row in rows]
    canvas = Image.new("RGB", (max(sum(widths) + gap * (len(widths) + 1), note.width + 2 * gap),
                               sum(heights) + gap * (len(rows) + 1) + note.height), "white")
    y = gap
    for row, height in zip(rows, heights):
        x = gap
        for panel, width in zip(row, widths):
            paste(canvas, panel, (x, y))
            x += width + gap
        y += height + gap
    paste(canvas, note, (gap, y))
    return Picture(canvas, alt)


# --- Kernels as filters of frequencies ----------------------------------------------------

def _profile_panel(values, width, height=70, reference=1.0):
    """A line plot of `values` (the gain along one row of frequencies), with a dotted line at `reference`."""
    panel = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(panel)
    top, bottom = STYLE["font"] + 6, height - 4
    high = max(float(values.max()), reference) * 1.05 or 1.0
    xs = np.linspace(2, width - 3, len(values))
    ys = bottom - (bottom - top) * values / high
    draw.line((2, bottom, width - 3, bottom), fill=GRID)
    level = bottom - (bottom - top) * reference / high
    for x in range(2, width - 3, 6):
        draw.line((x, level, x + 2, level), fill=GRID)
    draw.line(list(zip(xs.tolist(), ys.tolist())), fill=_LINE, width=2)
    write(draw, (0, 0), _("the middle row"), size=STYLE["small"])
    return panel


def kernel_spectra(kernels, size=64, scale=2):
    """Each kernel's numbers above its gain ``|DFT|`` (:func:`convlib.frequency_response`).

    In each gain picture frequency 0 (a flat image) is in the centre and the
    fastest patterns (alternating from pixel to pixel) at the borders; white is
    the kernel's largest gain, black zero. Below it, the gain along the middle
    row: horizontal frequencies, from the fastest leftwards pattern through 0 to
    the fastest rightwards one. A low-pass filter is bright in the centre only.
    """
    columns = []
    for name, kernel in kernels.items():
        kernel = np.asarray(kernel, float)
        gain = frequency_response(kernel, size)
        picture = gray_panel(gain, _("gain 0 to {fmt_gain_max}").format(
                                       fmt_gain_max=fmt(gain.max())), 0, float(gain.max()), scale=scale)
        columns.append(stacked(grid_panel(kernel, name), picture,
                               _profile_panel(gain[size // 2], picture.width)))
    caption = (_("centre: frequency 0 (flat regions); borders: the fastest patterns; white: kept or amplified, "
                 "black: removed; dotted: gain 1"))
    gains = "; ".join(_("{name}, largest gain {gain}").format(
        name=name, gain=fmt(frequency_response(np.asarray(w, float), size).max())) for name, w in kernels.items())
    return side_by_side(*columns, caption=caption, alt=(
        _("{len_kernels} kernels, each with its numbers above a picture of its gain at every frequency and a line "
          "plot of the gain along the middle row: {gains}").format(len_kernels=len(kernels), gains=gains)))


# --- The circulant matrix, made diagonal -----------------------------------------------------

def circulant_diagonal(kernel, n):
    """The circulant matrix of a 1-D convolution that wraps around, and the same matrix
    in the Fourier basis: ``F M F^-1`` is diagonal, with the kernel's DFT on the diagonal.

    ``M[i, j] = w[(i - j) % n]`` (the kernel zero-padded to n), so ``M @ x`` is
    :func:`convlib.circular_convolve`. Magnitudes are shown (the diagonal is complex).
    """
    kernel = np.asarray(kernel, float)
    check_arrays([((n, n), np.complex128)] * 4, _("F, M, F^-1 and their product"), _("use a smaller n"))
    padded = np.zeros(n)
    padded[:len(kernel)] = kernel
    i, j = np.ogrid[:n, :n]
    M = padded[(i - j) % n]
    F = dft_matrix(n)
    D = F @ M @ np.linalg.inv(F)
    on_diagonal = np.eye(n, dtype=bool)
    fills = np.where(on_diagonal[..., None], np.array(OUTPUT) * 0.35 + 255 * 0.65, 255)
    alt = (_("Three grids of numbers: the {n}x{n} circulant matrix M of the kernel {kernel_numbers}, the "
             "magnitudes of F M F^-1, zero off the diagonal, and the {n} magnitudes of DFT(w), which are that "
             "diagonal: {magnitudes}").format(
               n=n, kernel_numbers=', '.join(map(fmt, kernel)),
               magnitudes=', '.join(fmt(v) for v in np.abs(np.fft.fft(padded)))))
    return side_by_side(
        grid_panel(M, _("M, {n}x{n}: every row the row above, shifted").format(n=n)),
        grid_panel(np.abs(D).round(2), _("|F M F^-1|: diagonal"), colors=fills),
        grid_panel(np.abs(np.fft.fft(padded))[None], _("|DFT(w)|"), colors=np.full((1, n, 3), 255)),
        caption=_("F M F^-1 is diagonal: the waves of the DFT are M's eigenvectors, DFT(w) its eigenvalues"),
        alt=alt,
    )


# --- The race map ---------------------------------------------------------------------------

def _cursor_cell(record, cursor):
    if cursor is None:
        return len(record["image_sizes"]) // 2, len(record["kernel_sizes"]) // 2
    n, k = cursor
    if n not in record["image_sizes"] or k not in record["kernel_sizes"]:
        raise ValueError(_("`cursor` must be an (image size, kernel size) of the record, sizes {record_image_sizes} "
                           "and {record_kernel_sizes}; got {cursor!r}").format(
                             record_image_sizes=record['image_sizes'], record_kernel_sizes=record['kernel_sizes'],
                             cursor=cursor))
    return record["image_sizes"].index(n), record["kernel_sizes"].index(k)


def _map_panel(record, at):
    """The grid of winners: a row per image size, a column per kernel size."""
    sizes, kernels = record["image_sizes"], record["kernel_sizes"]
    winners, small = race_winners(record), STYLE["small"]
    wrong = {(m.image_size, m.kernel_size) for m in choice_mistakes(record)}
    crossover = race_crossover(record)
    cell_w = max(text_width(name, small) for row in winners for name in row if name) + 12
    cell_h, left, top = STYLE["small"] + 16, text_width("N = 0000") + 8, 2 * (STYLE["font"] + 8)   # one line a cell
    panel = Image.new("RGB", (left + cell_w * len(kernels) + 2, top + cell_h * len(sizes) + 2), "white")
    draw = ImageDraw.Draw(panel)
    write(draw, (0, 0), _("fastest method (blue: direct, amber: FFT; * SciPy's choice > 10% slower)"))
    for j, k in enumerate(kernels):
        write(draw, (left + (j + 0.5) * cell_w, top - 4), f"K = {k}", anchor="mb")
    for i, n in enumerate(sizes):
        y = top + i * cell_h
        write(draw, (0, y + cell_h / 2), f"N = {n}", anchor="lm")
        for j, k in enumerate(kernels):
            x, name = left + j * cell_w, winners[i][j]
            fill = KIND_COLOURS[record["kinds"][name]] if name else PAD
            draw.rectangle((x, y, x + cell_w, y + cell_h), fill=fill, outline=GRID)
            label = (name or "-") + (" *" if (n, k) in wrong else "")
            write(draw, (x + cell_w / 2, y + cell_h / 2), label, size=small, anchor="mm")
        if crossover[n] is not None:
            x = left + kernels.index(crossover[n]) * cell_w
            draw.line((x, y + 1, x, y + cell_h - 1), fill=INK, width=4)
    i, j = at
    draw.rectangle((left + j * cell_w, top + i * cell_h, left + (j + 1) * cell_w, top + (i + 1) * cell_h),
                   outline=WINDOW, width=4)
    return panel


def _bars(record, at, width=200):
    """The title and every method's bar at one cell: {name: (length, note)}, None where not run."""
    i, j = at
    times = {name: ms[i][j] for name, ms in record["ms"].items()}
    timed = [v for v in times.values() if v is not None]
    low, high = np.log10(min(timed)) - 0.3, np.log10(max(timed)) + 0.05
    picked = {"fft": "fftconvolve", "direct": "signal direct"}[record["choice"][i][j]]
    fastest = min((v, name) for name, v in times.items() if v is not None)[1]
    notes = {name: f" {value:.3g} ms" + (_("  fastest") if name == fastest else "")
             + (_("  (SciPy's choice)") if name == picked else "")
             for name, value in times.items() if value is not None}
    title = _("N = {image_size}, K = {kernel_size}: median ms per call, log scale").format(
                image_size=record['image_sizes'][i], kernel_size=record['kernel_sizes'][j])
    return title, {name: None if value is None else (max(2, width * (np.log10(value) - low) / (high - low)),
                                                     notes[name]) for name, value in times.items()}


def _extent(title, bars, label_w):
    """How far to the right a cell's title, bars and notes reach."""
    ends = [label_w + 4 + (bar[0] + text_width(bar[1]) if bar else text_width(_("not run: far too slow")))
            for bar in bars.values()]
    return max(ends + [text_width(title)])


def _bars_panel(record, at):
    """Every method's time at one cell: bars on a logarithmic scale, the fastest outlined. The panel
    is as wide as the widest cell of the record needs, so that a widget's picture keeps its size."""
    label_w, row, top = max(text_width(name) for name in record["ms"]) + 8, STYLE["font"] + 10, STYLE["font"] + 12
    right = max(_extent(*_bars(record, (i, j)), label_w)
                for i in range(len(record["image_sizes"])) for j in range(len(record["kernel_sizes"])))
    title, bars = _bars(record, at)
    fastest = min(bar[0] for bar in bars.values() if bar)   # the shortest bar: lengths grow with the time
    panel = Image.new("RGB", (int(np.ceil(right)) + 4, top + row * len(bars)), "white")
    draw = ImageDraw.Draw(panel)
    write(draw, (0, 0), title)
    for r, (name, bar) in enumerate(bars.items()):
        y = top + r * row
        write(draw, (label_w - 4, y + row / 2), name, anchor="rm")
        if bar is None:
            write(draw, (label_w + 4, y + row / 2), _("not run: far too slow"), anchor="lm", fill=QUIET_INK)
            continue
        length, note = bar
        draw.rectangle((label_w, y + 3, label_w + length, y + row - 3), fill=KIND_COLOURS[record["kinds"][name]],
                       outline=INK if length == fastest else None, width=2)
        write(draw, (label_w + length + 4, y + row / 2), note, anchor="lm")
    return panel


def race_map(record=None, cursor=None):
    """Which method was fastest at every (image size N, kernel size K) of a race
    record, and every method's time at the `cursor` cell (N, K).

    A thick black line marks the crossover in each row: from there on an FFT
    method wins. A star marks the cells where ``scipy.signal.choose_conv_method``
    picks a method slower than the fastest one. The caption says where and when
    the record was measured (:data:`convlib.RECORDED_RACE` by default).
    """
    record = RECORDED_RACE if record is None else record
    at = _cursor_cell(record, cursor)
    timing = f" ({record['timing']})" if record.get("timing") else ""
    caption = (_("measured on {record_machine}, {record_date}{timing};\n{record_versions}; {record_dtype}, mode "
                 "'{record_mode}'").format(
                   record_machine=record['machine'], record_date=record['date'], timing=timing,
                   record_versions=record['versions'], record_dtype=record['dtype'], record_mode=record['mode']))
    winners = race_winners(record)
    fft_wins = sum(record["kinds"][name] == "fft" for row in winners for name in row if name)
    cells = sum(bool(name) for row in winners for name in row)
    n, k = record["image_sizes"][at[0]], record["kernel_sizes"][at[1]]
    fastest = winners[at[0]][at[1]] or "none"
    alt = (_("A map of the fastest method for {len_record_image_sizes} image sizes N by {len_record_kernel_sizes} "
             "kernel sizes K: an FFT method wins {fft_wins} of the {cells} cells measured, a direct method the "
             "others; beside it, every method's time at N = {n}, K = {k} as bars on a log scale, fastest there: "
             "{fastest}").format(
               len_record_image_sizes=len(record['image_sizes']),
               len_record_kernel_sizes=len(record['kernel_sizes']), fft_wins=fft_wins, cells=cells, n=n, k=k,
               fastest=fastest))
    spacer = Image.new("RGB", (1, STYLE["gap"] // 2), "white")   # the caption under the map keeps the picture low
    return side_by_side(stacked(_map_panel(record, at), spacer, _text_panel(caption.splitlines())),
                        _bars_panel(record, at), alt=sentences(alt, caption))
