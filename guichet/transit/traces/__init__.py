"""Trace-to-GTFS: from GPS traces of an informal route (Niamey's minibuses) to a GTFS proposal.

Plain Python + numpy, no Django import (like ``guichet.transit.planner``). See docs/transit.md,
« Cartographier un réseau informel ».
"""

from .parse import Trace, TraceError, parse_trace
from .proposal import Proposal, propose

__all__ = ["Proposal", "Trace", "TraceError", "parse_trace", "propose"]
