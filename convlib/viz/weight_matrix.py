"""Pictures of notebook 05."""

__all__ = []
