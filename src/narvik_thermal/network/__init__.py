"""Network graph: named nodes and edges, circuits, compilation, results."""

from .network import Network
from .result import Flag, Result

__all__ = ["Network", "Result", "Flag"]
