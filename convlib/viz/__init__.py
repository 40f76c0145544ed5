"""Pictures of what each notebook computes: a drawing kit and one module per lesson.

Every picture function returns a :class:`~convlib.viz.kit.Picture`; the last
line of a cell that returns one shows it as a static PNG. The live widgets in
:mod:`convlib.widgets` redraw the same functions. The pictures call the
algorithms, never the other way round.

==================  ==================================================
module              pictures of
==================  ==================================================
kit                 panels of numbers and pixels, lecture mode
welcome             00: a first blur
sliding_window      01: one step of the sliding window
dot_product         02: a window and a kernel as two rows of numbers
im2col              03: which inputs one output reads
==================  ==================================================
"""

from .kit import Picture, kernel_grid, lecture_mode, show_images
from .welcome import blur, blurred
from .sliding_window import filter_step, sliding_grid
from .dot_product import dot_product
from .im2col import receptive_field
