"""Live widgets: controls that redraw a picture of :mod:`convlib.viz`, one module per lesson.

Every widget has a static twin: call the matching ``viz`` function first, so
the notebook also reads where no widget can run (GitHub, slides, paper). Each
lesson module lists its widgets in ``__all__``; they are all ``widgets.NAME``.
"""

from .explorer import Explorer
from .welcome import *
from .sliding_window import *
from .dot_product import *
from .im2col import *
from .depth import *
from .weight_matrix import *
from .flipping import *
from .fft import *
