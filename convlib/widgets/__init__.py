"""Live widgets: controls that redraw a picture of :mod:`convlib.viz`, one module per lesson.

Every widget has a static twin: call the matching ``viz`` function first, so
the notebook also reads where no widget can run (GitHub, slides, paper).
"""

from .explorer import Explorer
from .welcome import explore_blur
from .sliding_window import explore_filter, explore_sliding_grid
from .dot_product import explore_dot_product
from .im2col import explore_receptive_field
