"""Erlang B, C and A: staffing and what a staffing delivers, for one interval or for arrays
of intervals (a year of 15-minute intervals is one call, run with the GIL released).

Every argument that varies per interval (volume, handle time, interval length, patience,
shrinkage) may be a scalar or an array; they are broadcast together. Results are a dict
of numpy arrays of that shape, or of Python numbers when every argument is a scalar.

The models and the service-level definition are those of the library (docs/queueing.md):
the service level is the fraction of *all offered* contacts answered within the threshold;
with Erlang A, abandoned contacts count as not answered in time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import _native
from ._convert import count, number, seconds

__all__ = ["staff", "evaluate", "erlang_b", "erlang_c"]

_FIELDS = ("agents", "scheduled", "traffic_erlangs", "wait_probability", "service_level",
           "service_level_seconds", "asa_seconds", "occupancy", "abandon_probability",
           "meets_targets")


def _seconds_array(value: Any, field: str) -> np.ndarray:
    if isinstance(value, str) or hasattr(value, "total_seconds"):
        return np.asarray(seconds(value, field), dtype=np.float64)
    return np.asarray(value, dtype=np.float64)


def _targets(service_level: Optional[float], within: Any, asa: Any,
             max_occupancy: Optional[float], max_abandon: Optional[float],
             max_wait_probability: Optional[float]) -> List[Tuple[str, float, float]]:
    t: List[Tuple[str, float, float]] = []
    if service_level is not None:
        t.append(("service_level", number(service_level, "service_level"), seconds(within, "within")))
    if asa is not None:
        t.append(("asa", seconds(asa, "asa"), 0.0))
    if max_occupancy is not None:
        t.append(("max_occupancy", number(max_occupancy, "max_occupancy"), 0.0))
    if max_abandon is not None:
        t.append(("max_abandon", number(max_abandon, "max_abandon"), 0.0))
    if max_wait_probability is not None:
        t.append(("max_wait_probability", number(max_wait_probability, "max_wait_probability"), 0.0))
    return t


def _prepare(volume, aht, interval, shrinkage, patience, extra=None):
    arrays = [np.asarray(volume, dtype=np.float64), _seconds_array(aht, "aht"),
              _seconds_array(interval, "interval"), np.asarray(shrinkage, dtype=np.float64)]
    if patience is not None:
        arrays.append(_seconds_array(patience, "patience"))
    if extra is not None:
        arrays.append(np.asarray(extra))
    scalar = all(a.ndim == 0 for a in arrays)
    shaped = np.broadcast_arrays(*arrays)
    shape = shaped[0].shape
    flat = [np.ascontiguousarray(a.reshape(-1)) for a in shaped]
    return flat, shape, scalar


def _shape(out: Dict[str, np.ndarray], shape, scalar: bool) -> Dict[str, Any]:
    if scalar:
        return {k: v[0].item() for k, v in out.items()}
    return {k: v.reshape(shape) for k, v in out.items()}


def staff(volume: Any, aht: Any, interval: Any = "30m", *,
          service_level: Optional[float] = 0.8, within: Any = "20s", asa: Any = None,
          max_occupancy: Optional[float] = None, max_abandon: Optional[float] = None,
          max_wait_probability: Optional[float] = None, patience: Any = None,
          shrinkage: Any = 0.0, concurrency: int = 1) -> Dict[str, Any]:
    """Agents needed: the smallest number of productive agents that meets every target,
    and the agents to schedule once shrinkage is taken off (``ceil(agents / (1 -
    shrinkage))``).

    Args:
        volume: contacts offered per interval (scalar or array).
        aht: average handle time: seconds (scalar or array) or text such as ``"3m"``.
        interval: interval length: seconds or text (``"30m"``, ``"15m"``, ``"1h"``).
        service_level: fraction answered within ``within`` (default 0.8; ``None`` for no
            service-level target).
        within: the service-level threshold, seconds or text (default ``"20s"``).
        asa: average speed of answer at most this (seconds or text).
        max_occupancy, max_abandon, max_wait_probability: caps, fractions.
        patience: mean patience (seconds or text, scalar or array): Erlang A; without it,
            Erlang C.
        shrinkage: fraction of paid time off the phones, scalar or array.
        concurrency: sessions one agent handles at once (chat).

    Returns:
        A dict with ``agents``, ``scheduled``, ``service_level``, ``asa_seconds``,
        ``occupancy``, ``wait_probability``, ``abandon_probability``, ``traffic_erlangs``,
        ``service_level_seconds`` and ``meets_targets``: numpy arrays of the broadcast
        shape, or numbers when every argument is a scalar.

    Raises:
        wfm.InvalidInput: a value outside its domain (the field names the interval for
            arrays: ``volume[17]``).
        wfm.Infeasible: no staffing within the limits meets the targets.

    >>> wfm.staff(100, 180, "30m", service_level=0.8, within=20, shrinkage=0.3)["scheduled"]
    20
    """
    targets = _targets(service_level, within, asa, max_occupancy, max_abandon,
                       max_wait_probability)
    flat, shape, scalar = _prepare(volume, aht, interval, shrinkage, patience)
    out = _native.staff(flat[0], flat[1], flat[2], flat[3], targets,
                        flat[4] if patience is not None else None, count(concurrency, "concurrency"), None)
    return _shape(out, shape, scalar)


def evaluate(volume: Any, aht: Any, agents: Any, interval: Any = "30m", *,
             service_level: Optional[float] = None, within: Any = "20s", asa: Any = None,
             max_occupancy: Optional[float] = None, max_abandon: Optional[float] = None,
             max_wait_probability: Optional[float] = None, patience: Any = None,
             shrinkage: Any = 0.0, concurrency: int = 1) -> Dict[str, Any]:
    """What ``agents`` productive agents deliver: service level (within ``within``), ASA,
    occupancy, probability of waiting and of abandoning, and whether the given targets
    are met (``meets_targets``; true when no target is given). ``scheduled`` is the
    agents to schedule at ``shrinkage``. Arguments as in :func:`staff`; ``agents`` is a
    whole number or an array of them.

    >>> round(wfm.queueing.evaluate(100, 180, 14, "30m")["service_level"], 3)
    0.888
    """
    targets = _targets(service_level, within, asa, max_occupancy, max_abandon,
                       max_wait_probability)
    a = np.asarray(agents)
    if a.dtype.kind == "f":
        if not np.all(np.isfinite(a)) or np.any(a != np.floor(a)):
            from .errors import InvalidInput

            e = InvalidInput(f"invalid agents: must be whole numbers, got {agents!r}")
            e.field, e.reason = "agents", "must be whole numbers"
            raise e
    flat, shape, scalar = _prepare(volume, aht, interval, shrinkage, patience,
                                   extra=a.astype(np.int64))
    within_s = None if service_level is not None else seconds(within, "within")
    out = _native.staffing_metrics(flat[0], flat[1], flat[2], flat[3], flat[-1], targets,
                           flat[4] if patience is not None else None, count(concurrency, "concurrency"),
                           within_s)
    return _shape(out, shape, scalar)


def _erlang(servers: Any, erlangs: Any, model: str):
    s = np.asarray(servers)
    e = np.asarray(erlangs, dtype=np.float64)
    scalar = s.ndim == 0 and e.ndim == 0
    s, e = np.broadcast_arrays(s.astype(np.int64), e)
    out = _native.erlang_probability(np.ascontiguousarray(s.reshape(-1)),
                                     np.ascontiguousarray(e.reshape(-1)), model)
    return out[0].item() if scalar else out.reshape(s.shape)


def erlang_b(servers: Any, erlangs: Any):
    """Erlang B blocking probability with ``servers`` and ``erlangs`` of offered load
    (scalars or arrays)."""
    return _erlang(servers, erlangs, "b")


def erlang_c(servers: Any, erlangs: Any):
    """Erlang C probability that a contact waits, with ``servers`` and ``erlangs`` of
    offered load (scalars or arrays; 1 when the load reaches the servers)."""
    return _erlang(servers, erlangs, "c")
