"""Pictures of what each notebook computes: a drawing kit and one module per lesson.

Every picture function returns a :class:`~convlib.viz.kit.Picture`; the last
line of a cell that returns one shows it as a static PNG. The live widgets in
:mod:`convlib.widgets` redraw the same functions. The pictures call the
algorithms, never the other way round. Each lesson module lists its pictures
in ``__all__``; they are all available as ``viz.NAME``.

==================  ==================================================
module              pictures of
==================  ==================================================
kit                 panels of numbers and pixels, lecture mode
text                labels rendered once and reused (what kit.write draws with)
welcome             00: the notation, and a first blur
sliding_window      01: one step of the sliding window; kernels on the portrait
vectors             02: a window and a kernel as two rows of numbers (dot_product)
im2col              03: windows becoming columns; which inputs one output reads
depth               04: channels and 1x1 convolutions
weight_matrix       05, 06: the weight-tied matrix and the backward pass
flipping            07: convolution versus correlation
fft                 08: spectra, wrap-around and the race
plots               matplotlib figures: images side by side; a sequence (06's loss, 07's stems)
==================  ==================================================
"""

from .kit import Picture, kernel_grid, lecture_mode
from .welcome import *
from .sliding_window import *
from .vectors import *
from .im2col import *
from .depth import *
from .weight_matrix import *
from .flipping import *
from .fft import *
from .plots import *
