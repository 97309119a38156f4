"""paperkit: council committee papers from structured content."""

__version__ = "0.1.0"
