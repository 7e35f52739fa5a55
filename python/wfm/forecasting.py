"""Forecasting contact volume and handle time: the built-in methods, rolling-origin
backtests, forecasts, and the scoring of any other tool's forecast on the same folds.

A *history* is a CSV file path, or a table (DataFrame, list of row dicts, dict of columns)
with a time column (``interval_start``, ``interval_start_utc``, ``timestamp``, ...), a
volume column (``volume``, ``calls``, ``arrivals``, ...) and optionally ``aht_seconds``:
the library's history reader reads it, with its checks and messages (a table's errors name
``history`` and the line its row would have in a CSV: row ``k`` is line ``k + 2``).
Timestamps may be time-zone-aware (any zone) or naive (read in ``tz``).
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import numpy as np

from . import _native
from ._convert import (_native_invalid, columns, count, minutes_text, number, table_source,
                       text_arg, utc_column)

__all__ = ["methods", "backtest", "forecast", "score", "reforecast", "reforecast_backtest"]

#: Metric columns of backtest and score tables, in order.
METRIC_COLUMNS = ["n", "mae", "rmse", "wape", "smape", "mase", "bias", "pinball",
                  "coverage80"]


def methods() -> List[str]:
    """Names of the built-in forecasting methods, in report order."""
    return list(_native.methods())


def _interval(interval: Any) -> Optional[str]:
    return None if interval is None else minutes_text(interval, "interval")


def _fold_table(rows: dict, attrs: dict):
    cols = {k: rows[k] for k in ("method", "fold")}
    cols["origin"] = utc_column(rows["origin"])
    cols["horizon"] = rows["horizon"]
    for k in METRIC_COLUMNS:
        cols[k] = np.asarray([np.nan if v is None else v for v in rows[k]], dtype=float) \
            if k in ("pinball", "coverage80") else rows[k]
    return columns(cols, attrs)


def backtest(history: Any, interval: Any = "30m", horizon: Any = "7d", folds: int = 8, *,
             tz: str = "UTC", methods: Optional[Sequence[str]] = None,
             special_days: Any = None):
    """Rolling-origin backtest: every method (or those named) forecasts ``horizon`` from
    ``folds`` origins, each trained on everything before it (at least three weeks), and is
    scored on the observed intervals after it.

    Args:
        history: a history CSV path or table (see the module docs).
        interval: the grid interval (``"30m"``; ``None``: the rows' spacing).
        horizon: the forecast window of each fold (``"7d"``, ``"1d"``).
        folds: the number of origins.
        tz: zone of naive timestamps and of local days and weeks (IANA name).
        methods: method names (default: every built-in method).
        special_days: a special-day calendar (CSV path or table with ``date``, ``name`` and
            optionally ``multiplier``, as ``wfm forecast --special-days``
            reads): its dates are left out of fitting and scoring.

    Returns:
        The per-fold metrics table: one row per method, fold and horizon (``1d`` = next
        open day, and the full horizon), columns ``method, fold, origin, horizon, n, mae,
        rmse, wape, smape, mase, bias, pinball, coverage80`` (WAPE, sMAPE, bias, pinball
        and coverage in percent). Its ``attrs`` hold ``ranking`` (methods with their mean
        WAPE at the full horizon, best first), ``best``, ``horizon``, ``origins``,
        ``unscored_folds`` and ``text`` (the ranking as the ``wfm`` command prints it).
    """
    path, text = table_source(history, "history")
    spath, stext = _special(special_days)
    out = _native.backtest(path, text, "history", tz, _interval(interval),
                           minutes_text(horizon, "horizon"), count(folds, "folds"),
                           None if methods is None else list(methods), spath, stext)
    return _fold_table(out["rows"], _attrs(out))


def _special(calendar: Any):
    """``(path, text)`` of a special-day calendar, ``(None, None)`` without one."""
    if calendar is None:
        return None, None
    return table_source(calendar, "special_days")


def _forecast_source(forecast: Any):
    """``(path, text)`` of a forecast given as a path or a table (``interval_start`` is
    read as ``interval_start_utc``)."""
    if isinstance(forecast, str) or hasattr(forecast, "__fspath__"):
        return table_source(forecast, "forecast")
    from ._convert import rows_of, to_csv

    header, rows = rows_of(forecast, "forecast")
    header = ["interval_start_utc" if h == "interval_start" else h for h in header]
    return None, to_csv(header, rows)


def _attrs(bt: dict) -> dict:
    ranking = [(m, w) for m, w in bt["ranking"]]
    return {"ranking": ranking, "best": ranking[0][0] if ranking else None,
            "horizon": bt["horizon"], "origins": list(bt["origins"]),
            "unscored_folds": list(bt["unscored_folds"]), "text": bt["table"]}


def forecast(history: Any, method: str = "best", horizon: Any = "7d", *,
             interval: Any = None, tz: str = "UTC", folds: Optional[int] = None,
             aht_seconds: Optional[float] = None, special_days: Any = None):
    """Forecast of volume and handle time for ``horizon`` after the history.

    Args:
        history: a history CSV path or table (see the module docs).
        method: a method name (:func:`methods`), or ``"best"``: the lowest mean WAPE in a
            backtest over ``folds`` origins at ``horizon`` (default: 4, or as many as the
            history holds after three weeks of training, as ``wfm forecast``).
        horizon: how far ahead (``"7d"``).
        interval: the grid interval (default: the rows' spacing).
        tz: zone of naive timestamps and of local days.
        aht_seconds: the handle time to use when the history has none.
        special_days: a special-day calendar (path or table, as in :func:`backtest`): its
            past dates are left out of fitting (and of the backtest behind ``"best"``),
            its dates in the horizon are forecast by their own profile or multiplier.

    Returns:
        A table with ``interval_start_utc`` (UTC, tz-aware), ``volume``, ``aht_seconds``,
        ``open`` and the quantile columns ``volume_p10 ... volume_p90`` (when the history is
        long enough), the columns of the forecast CSV a scenario reads. ``attrs`` hold
        ``method`` and, for ``"best"``, ``backtest`` (the backtest's per-fold table).
    """
    path, text = table_source(history, "history")
    out = _native.forecast(path, text, "history", tz, _interval(interval),
                           minutes_text(horizon, "horizon"), method,
                           None if folds is None else count(folds, "folds"),
                           None if aht_seconds is None else number(aht_seconds, "aht_seconds"),
                           *_special(special_days))
    cols = {"interval_start_utc": utc_column(out["interval_start_utc"]),
            "volume": out["volume"], "aht_seconds": out["aht_seconds"], "open": out["open"]}
    for name, values in out["quantiles"]:
        cols[name] = values
    attrs = {"method": out["method"]}
    if out["backtest"] is not None:
        bt = out["backtest"]
        attrs["backtest"] = _fold_table(bt["rows"], _attrs(bt))
    return columns(cols, attrs)


def score(history: Any, forecast: Any, interval: Any = "30m", horizon: Any = "7d",
          folds: int = 8, *, tz: str = "UTC", label: str = "external"):
    """Scores a forecast made by any tool on the folds of :func:`backtest` (same history,
    interval, horizon and folds): each fold's forecast rows against that fold's actuals,
    MASE scaled by the fold's training history, exactly as the backtest scores its own
    methods. The result has the backtest table's columns, ``method`` being ``label``, so
    the two tables concatenate into one comparison.

    Args:
        history: the history the backtest ran on (path or table).
        forecast: the other tool's forecast for the fold windows: a CSV path or a table
            with ``interval_start_utc`` (or ``interval_start``), ``volume`` and optionally
            ``volume_pNN`` quantile columns (``volume_p10`` and ``volume_p90`` give
            pinball loss and 80 % coverage).
        label: the name of the forecast in the ``method`` column.

    Returns:
        The per-fold table; ``attrs`` hold ``origins`` and ``unscored_folds`` (folds the
        forecast has no row for, or whose window holds no observation).
    """
    path, text = table_source(history, "history")
    fpath, ftext = _forecast_source(forecast)
    out = _native.score_folds(path, text, "history", tz, _interval(interval),
                              minutes_text(horizon, "horizon"), count(folds, "folds"), fpath,
                              ftext,
                              "forecast", label)
    return _fold_table(out["rows"], {"origins": list(out["origins"]),
                                     "unscored_folds": list(out["unscored_folds"])})


def reforecast(forecast: Any, actuals: Any, *, shrink: float = 0.25, tz: str = "UTC",
               interval: Any = None):
    """The intraday re-forecast: the rest of today from the morning's actuals, as
    ``wfm forecast reforecast`` prints it.

    With ``P`` the forecast and ``A`` the actual volume before the cut-off (the end of the
    last observed interval) and ``D`` the whole day's forecast, the rest of the day is
    multiplied by ``1 + w (A / P - 1)``, ``w = P / (P + shrink D)``.

    Args:
        forecast: the day's forecast (a path or table with ``interval_start_utc``,
            ``volume`` and optionally ``aht_seconds``; :func:`forecast`'s table will do).
        actuals: today's observed intervals so far (a history path or table), all within
            one local day of ``tz``.
        shrink: the share of the day's forecast after which the observed ratio gets half
            its weight.
        tz: zone of naive timestamps and of the local day.
        interval: the grid interval of the actuals (default: the rows' spacing).

    Returns:
        A table of the rest of the day: ``interval_start_utc``, ``forecast``,
        ``reforecast``, ``load_change_erlangs`` (with ``aht_seconds`` in the forecast) and
        ``agents`` (``more``, ``fewer`` or ``same``: the load changes by half an erlang or
        more). ``attrs`` hold ``day``, ``cutoff_utc``, ``actual_so_far``,
        ``forecast_so_far``, ``forecast_day`` and ``factor``.
    """
    fpath, ftext = _forecast_source(forecast)
    path, csv = table_source(actuals, "actuals")
    out = _native.reforecast(fpath, ftext, "forecast", path, csv, "actuals",
                             text_arg(tz, "tz"), _interval(interval), number(shrink, "shrink"))
    load = [np.nan if v is None else v for v in out["load_change_erlangs"]]
    cols = {"interval_start_utc": utc_column(out["interval_start_utc"]),
            "forecast": np.asarray(out["forecast"], dtype=float),
            "reforecast": np.asarray(out["reforecast"], dtype=float),
            "load_change_erlangs": np.asarray(load, dtype=float),
            "agents": list(out["agents"])}
    attrs = {k: out[k] for k in ("day", "cutoff_utc", "actual_so_far", "forecast_so_far",
                                 "forecast_day", "factor")}
    return columns(cols, attrs)


def _cutoffs(cutoffs: Any) -> str:
    """The cut-off times as the library's list text (``"10:00,12:00"``)."""
    try:
        cuts = None if isinstance(cutoffs, str) else list(cutoffs)
    except TypeError:
        cuts = None
    if cuts is None or not all(isinstance(c, str) and "," not in c for c in cuts):
        raise _native_invalid(
            "cutoffs", f"must be a list of times HH:MM, got {cutoffs!r:.80}")
    return ",".join(cuts)


def reforecast_backtest(history: Any, method: str = "trimmed_profile", folds: int = 8, *,
                        cutoffs: Sequence[str] = ("10:00", "12:00", "14:00"),
                        shrink: float = 0.25, tz: str = "UTC", interval: Any = None):
    """Backtest of :func:`reforecast`: ``method``'s week-ahead forecast of each of the last
    ``folds`` weeks, every day cut at each local cut-off time, the rest of the day scored
    with and without the re-forecast (as ``wfm forecast reforecast --history``).

    Returns:
        One row per cut-off: ``cutoff``, ``days`` scored, ``wape_forecast`` and
        ``wape_reforecast`` (percent, pooled over the days).
    """
    path, csv = table_source(history, "history")
    out = _native.reforecast_backtest(path, csv, "history", text_arg(tz, "tz"),
                                      _interval(interval), text_arg(method, "method"),
                                      count(folds, "folds"), _cutoffs(cutoffs),
                                      number(shrink, "shrink"))
    return columns({"cutoff": list(out["cutoff"]), "days": list(out["days"]),
                    "wape_forecast": np.asarray(out["wape_forecast"], dtype=float),
                    "wape_reforecast": np.asarray(out["wape_reforecast"], dtype=float)})
