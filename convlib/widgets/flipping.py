"""Live widgets of notebook 06."""

__all__ = []
