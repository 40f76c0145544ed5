"""Live widgets of notebook 07."""

__all__ = []
