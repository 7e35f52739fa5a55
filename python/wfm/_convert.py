"""Conversions between Python values and what the native module takes and returns.

Tables go across as CSV text: a DataFrame (or a list of row dicts) is written in the
library's own file format, so every check of the library's readers applies to it with the
same messages, and the library's output tables come back as the CSV text of the files the
``wfm`` command writes.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import numbers
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

try:  # pandas is optional: without it, tables are lists of row dicts.
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised by the no-pandas test in a subprocess
    _pd = None

from . import _native

#: Columns read as text whatever they hold (names that may look like numbers).
_TEXT_COLUMNS = {"agent", "site", "template", "queue", "breaks", "break_paid", "method",
                 "horizon", "metric"}


def has_pandas() -> bool:
    """Whether tables are pandas DataFrames (pandas importable, not disabled)."""
    return _pd is not None and os.environ.get("WFM_NO_PANDAS", "") == ""


def seconds(value: Any, field: str) -> float:
    """A duration in seconds: a number of seconds, or text such as ``"30m"``, ``"20s"``,
    ``"1h"``, ``"7d"`` (the library's duration syntax)."""
    if isinstance(value, bool):
        raise _native_invalid(field, f"must be a duration, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, str):
        return _native.parse_duration(field, value, 1.0)
    raise _native_invalid(field, f"must be a number of seconds or a duration such as \"30m\", got {value!r}")


def minutes_text(value: Any, field: str) -> str:
    """A duration as the library's text (``"30m"``); numbers are seconds."""
    if isinstance(value, str):
        return value
    s = seconds(value, field)
    return f"{s}s"


def text_arg(value: Any, field: str, *, optional: bool = False) -> Optional[str]:
    """A text argument (a preset, a zone): a ``str`` (or ``None`` where ``optional``),
    else a typed error naming ``field``."""
    if isinstance(value, str) or (optional and value is None):
        return value
    raise _native_invalid(field, f"must be text, got {type(value).__name__}")


def day_text(value: Any, field: str) -> Optional[str]:
    """An optional day: ``None``, ``"YYYY-MM-DD"`` (the library checks it) or a
    :class:`datetime.date` (not a datetime, whose time of day would be dropped)."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str):
        return value
    raise _native_invalid(
        field, f"must be a date YYYY-MM-DD or a datetime.date, got {type(value).__name__}")


def number(value: Any, field: str) -> float:
    """A real number (an int, a float, a numpy number; not a bool or text), else a typed
    error naming ``field``; the library checks its range (NaN too)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _native_invalid(field, f"must be a number, got {value!r:.80}")
    return float(value)


def count(value: Any, field: str) -> int:
    """A count (an int or a numpy integer, 0 to 2⁶³ − 1; not a bool, a float or text), else
    a typed error naming ``field``; the library checks its range further."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _native_invalid(field, f"must be a whole number, got {value!r:.80}")
    if not 0 <= value < 2**63:
        raise _native_invalid(field, f"must be a whole number ≥ 0, got {value}")
    return int(value)


def _native_invalid(field: str, reason: str) -> Exception:
    from .errors import InvalidInput

    e = InvalidInput(f"invalid {field}: {reason}")
    e.field, e.reason = field, reason
    return e


# ---------------------------------------------------------------------------------------
# Inputs: paths, CSV text, DataFrames, row dicts.

def _is_path(x: Any) -> bool:
    return isinstance(x, os.PathLike) or (isinstance(x, str) and "\n" not in x
                                          and not x.lstrip().startswith("{"))


def _stamp(v: Any) -> str:
    """A timestamp cell: RFC 3339 for aware values, ``YYYY-MM-DD HH:MM:SS`` for naive ones
    (read in the history's time zone), text unchanged."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if _pd is not None and isinstance(v, _pd.Timestamp):
        if v is _pd.NaT:
            return ""
        v = v.to_pydatetime()
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None:
            return v.strftime("%Y-%m-%d %H:%M:%S")
        u = v.astimezone(_dt.timezone.utc)
        return u.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, _dt.date):
        return v.strftime("%Y-%m-%d 00:00:00")
    return str(v)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v != v:  # NaN: an empty cell ("not known")
        return ""
    if isinstance(v, (_dt.datetime, _dt.date)) or (_pd is not None and isinstance(v, _pd.Timestamp)):
        return _stamp(v)
    return str(v)


def rows_of(table: Any, field: str) -> Tuple[List[str], List[List[Any]]]:
    """The header and rows of a DataFrame, a list of row dicts or a dict of columns."""
    if _pd is not None and isinstance(table, _pd.DataFrame):
        df = table
        if df.index.name is not None or isinstance(df.index, _pd.DatetimeIndex):
            df = df.reset_index()
        header = [str(c) for c in df.columns]
        return header, df.astype(object).where(df.notna(), None).values.tolist()
    if isinstance(table, dict):
        header = [str(k) for k in table]
        cols = [list(v) for v in table.values()]
        n = len(cols[0]) if cols else 0
        if any(len(c) != n for c in cols):
            raise _native_invalid(field, "every column must have the same length")
        return header, [list(r) for r in zip(*cols)]
    if isinstance(table, Sequence) and not isinstance(table, (str, bytes)):
        header: List[str] = []
        for r in table:
            if not isinstance(r, dict):
                raise _native_invalid(field, "rows must be dicts of column values")
            for k in r:
                if k not in header:
                    header.append(str(k))
        return header, [[r.get(h) for h in header] for r in table]
    raise _native_invalid(
        field, f"must be a path, a DataFrame, a list of row dicts or a dict of columns, "
        f"got {type(table).__name__}")


def to_csv(header: List[str], rows: List[List[Any]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([_cell(v) for v in r])
    return out.getvalue()


def table_source(table: Any, field: str) -> Tuple[Optional[str], Optional[str]]:
    """``(path, None)`` for a file path, ``(None, csv_text)`` for a table."""
    if _is_path(table):
        return os.fspath(table), None
    header, rows = rows_of(table, field)
    return None, to_csv(header, rows)


def scenario_source(scenario: Any, base_dir: Any) -> Tuple[Optional[str], Optional[str], str, str]:
    """``(path, json_text, name, base)`` for a scenario given as a path, JSON text or a
    dict; forecast files named in text or dicts are relative to ``base_dir`` (default: the
    working directory)."""
    base = os.fspath(base_dir) if base_dir is not None else os.getcwd()
    if isinstance(scenario, dict):
        try:
            text = json.dumps(scenario)
        except (TypeError, ValueError) as e:
            raise _native_invalid("scenario", f"the dict is not JSON: {e}") from None
        return None, text, "scenario", base
    if isinstance(scenario, (str, os.PathLike)) and _is_path(scenario):
        return os.fspath(scenario), None, os.fspath(scenario), base
    if isinstance(scenario, str):
        return None, scenario, "scenario", base
    raise _native_invalid(
        "scenario", f"must be a path, JSON text or a dict, got {type(scenario).__name__}")


# ---------------------------------------------------------------------------------------
# Outputs: the library's CSV tables as DataFrames or row dicts.

class Rows(list):
    """A table as a list of row dicts (when pandas is not installed), with ``attrs`` like a
    DataFrame's."""

    attrs: Dict[str, Any]

    def __init__(self, rows=()):
        super().__init__(rows)
        self.attrs = {}


def _utc(text: str) -> Optional[_dt.datetime]:
    if text == "":
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return _dt.datetime.fromisoformat(text)


def _value(column: str, text: str) -> Any:
    if column in _TEXT_COLUMNS or column.endswith("_local"):
        return text
    if column.endswith("_utc") or column in ("origin", "interval_start"):
        return _utc(text)
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def table(text: Optional[str]):
    """A CSV table of the library as a DataFrame (timestamps in ``*_utc`` columns
    time-zone-aware, UTC; ``*_local`` columns as the text of the files, with their UTC
    offset) or, without pandas, a :class:`Rows` list of dicts."""
    if text is None:
        return None
    if has_pandas():
        head = next(csv.reader(io.StringIO(text)), [])
        dtypes = {c: str for c in head if c in _TEXT_COLUMNS or c.endswith("_local")}
        df = _pd.read_csv(io.StringIO(text), dtype=dtypes, keep_default_na=False,
                          na_values={c: [""] for c in head if c not in dtypes})
        for c in df.columns:
            if c.endswith("_utc"):
                df[c] = _pd.to_datetime(df[c], utc=True, format="ISO8601")
        return df
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    return Rows({h: _value(h, v) for h, v in zip(header, r)} for r in reader)


def columns(cols: Dict[str, Any], attrs: Optional[Dict[str, Any]] = None):
    """A table from columns (lists or arrays of equal length)."""
    if has_pandas():
        df = _pd.DataFrame(cols)
        if attrs:
            df.attrs.update(attrs)
        return df
    names = list(cols)
    n = len(cols[names[0]]) if names else 0
    out = Rows({k: _py(cols[k][i]) for k in names} for i in range(n))
    if attrs:
        out.attrs.update(attrs)
    return out


def _py(v: Any) -> Any:
    item = getattr(v, "item", None)
    return item() if callable(item) else v


def utc_column(values: Sequence[str]):
    """RFC 3339 UTC instants as tz-aware timestamps (a pandas column, or datetimes)."""
    if has_pandas():
        return _pd.to_datetime(list(values), utc=True, format="ISO8601")
    return [_utc(v) for v in values]
