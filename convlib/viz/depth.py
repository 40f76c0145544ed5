"""Pictures of notebook 04."""

__all__ = []
