"""Exceptions raised by ``wfm``: one class per kind of error of the Rust library.

Every exception is a :class:`WfmError` and carries the place of the problem as attributes
(``None`` where the error has no such place):

* ``field``: the path of the offending value (``queues[0].aht_seconds``, ``volume[17]``);
* ``file`` and ``line``: the file (or the name of the DataFrame, e.g. ``history``) and its
  1-based line (the header is line 1, so DataFrame row ``k`` is line ``k + 2``);
* ``reason``: what is wrong, without the place.

``str(error)`` is the library's own message, the one the ``wfm`` command prints.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "WfmError",
    "InvalidInput",
    "ParseError",
    "UnknownTimeZone",
    "LocalTimeError",
    "FileError",
    "Infeasible",
    "SolverError",
]


class WfmError(Exception):
    """Base class of every error ``wfm`` raises."""

    field: Optional[str] = None
    file: Optional[str] = None
    line: Optional[int] = None
    reason: Optional[str] = None


class InvalidInput(WfmError, ValueError):
    """A value outside its domain (NaN, a negative volume, a fraction outside (0, 1], ...);
    ``field`` names it."""


class ParseError(InvalidInput):
    """A line of an input file (or a row of an input table) that cannot be understood;
    ``file`` and ``line`` name it."""


class UnknownTimeZone(InvalidInput):
    """A time zone name that is not in the IANA database."""


class LocalTimeError(InvalidInput):
    """A local time that a daylight-saving change skips or repeats, where it must be
    unambiguous."""


class FileError(WfmError, OSError):
    """A file that cannot be read or written; ``file`` names it."""


class Infeasible(WfmError):
    """The question has no answer: no staffing meets the targets, no plan covers the
    requirements. The message names the interval, site and rule involved."""


class SolverError(WfmError):
    """The LP/MIP backend failed in a way that is not the input's fault."""
