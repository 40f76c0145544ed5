"""Depth: a dot product over channels, and the 1x1 convolution.

Taught in ``notebooks/04_depth.ipynb``.
"""

__all__ = []
