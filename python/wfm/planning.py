"""Planning, evaluating and simulating scenarios (the scenario format is the library's,
docs/scenario.md).

A *scenario* is a path to a scenario JSON file, the JSON text itself, or a dict of the
same shape. Forecast CSVs, histories and special-day CSVs named inside a file are
relative to the file's folder; inside text or a dict, to ``base_dir`` (default: the
working directory).

Results carry the tables ``wfm plan`` writes, with the same columns: ``requirements``,
``forecast``, ``plan``, ``roster``, ``coverage`` (pandas DataFrames with tz-aware UTC
timestamps when pandas is installed, lists of row dicts otherwise) and ``summary`` (the dict of
``summary.json``).
"""

from __future__ import annotations

import json
import warnings
from typing import Any, Optional

from . import _native
from ._convert import count, number, scenario_source, table, table_source

__all__ = ["Result", "Simulation", "plan", "evaluate", "simulate"]


class Result:
    """What a plan or an evaluation produced.

    Attributes:
        summary: headline numbers (cost, paid hours, LP lower bound, gap, status, service
            level, under- and over-staffing), as in ``summary.json``.
        requirements: required agents per interval and queue (``requirements.csv``).
        forecast: the forecast the plan used per interval and queue, with its source,
            method, special days and quantile columns (``forecast.csv``).
        plan: how many shifts of each template start when (``plan.csv``; ``None`` for an
            evaluation).
        roster: one row per agent-shift (``roster.csv``); it can be edited and given back
            to :func:`evaluate`.
        coverage: required and scheduled agents with predicted service level, ASA and
            occupancy per interval and queue (``coverage.csv``).
        interrupted: whether Ctrl-C stopped the solve early (the best plan found by then).
    """

    def __init__(self, raw: dict):
        self.summary: dict = json.loads(raw["summary"])
        self.requirements = table(raw["requirements"])
        self.forecast = table(raw["forecast"])
        self.plan = table(raw["plan"])
        self.roster = table(raw["roster"])
        self.coverage = table(raw["coverage"])
        self.interrupted: bool = bool(raw["interrupted"])

    def __repr__(self) -> str:
        s = self.summary
        return (f"<wfm.Result {s.get('scenario')!r}: status {s.get('status')}, "
                f"cost {s.get('cost')}, paid hours {s.get('paid_hours')}>")


class Simulation:
    """A simulation's figures.

    Attributes:
        summary: the totals with 95 % intervals (``simulation.json``).
        intervals: per queue and interval: offered, answered, abandoned, service level,
            ASA, occupancy with their intervals (``simulation.csv``).
        roster: the roster simulated.
        interrupted: whether Ctrl-C stopped the plan that made the roster early.
    """

    def __init__(self, raw: dict):
        self.summary: dict = json.loads(raw["summary"])
        self.intervals = table(raw["simulation"])
        self.roster = table(raw["roster"])
        self.interrupted: bool = bool(raw["interrupted"])

    def __repr__(self) -> str:
        return f"<wfm.Simulation {self.summary.get('scenario')!r}>"


def _warn_interrupted(r):
    if r.interrupted:
        warnings.warn("the solve was interrupted (Ctrl-C): the result is the best plan "
                      "found so far", RuntimeWarning, stacklevel=3)
    return r


def plan(scenario: Any, *, base_dir: Any = None,
         time_limit_seconds: Optional[float] = None) -> Result:
    """Plans a scenario: requirements (Erlang B/C/A), the shift plan (LP, with its lower
    bound and gap), a roster of numbered or named agents, coverage and predicted KPIs.

    The solve runs with the GIL released. Ctrl-C sets the solve's stop flag; the best plan
    found by the time the planner stops is returned, with ``interrupted`` true (and a
    ``RuntimeWarning``). Planner phases that do not poll the flag run to their time limit.

    Args:
        scenario: a path, JSON text or a dict.
        base_dir: the folder forecast CSVs of text or dict scenarios are relative to.
        time_limit_seconds: overrides the scenario's ``solve.time_limit_seconds``.

    Raises:
        wfm.ParseError, wfm.InvalidInput: a bad scenario (field path, file and line).
        wfm.Infeasible: no plan can cover the requirements (names the interval and site).
    """
    path, text, name, base = scenario_source(scenario, base_dir)
    return _warn_interrupted(Result(_native.plan(path, text, name, base, time_limit_seconds)))


def evaluate(scenario: Any, roster: Any, *, base_dir: Any = None,
             lenient: bool = False) -> Result:
    """Evaluates a roster against a scenario: coverage, predicted KPIs and summary, the
    cost being the roster's paid hours at the templates' rates.

    Args:
        scenario: a path, JSON text or a dict.
        roster: a ``roster.csv`` path, or a table with its columns (``agent, site, template,
            start_utc, end_utc, start_local, end_local, paid_minutes, breaks``; e.g. a
            :attr:`Result.roster` edited). A table's errors name ``roster`` and its line
            (row ``k`` is line ``k + 2``).
        lenient: list the roster's problems (overlaps, duplicates, odd lengths) as
            warnings in ``summary["warnings"]`` instead of raising.
    """
    path, text, name, base = scenario_source(scenario, base_dir)
    rpath, rtext = table_source(roster, "roster")
    return Result(_native.evaluate_roster(path, text, name, base, rpath, rtext, "roster",
                                   bool(lenient)))


def simulate(scenario: Any, roster: Any = None, *, replications: int = 20, seed: int = 1,
             handle_cv: Optional[float] = None, threads: int = 0,
             base_dir: Any = None) -> Simulation:
    """Simulates a roster contact by contact (Poisson arrivals at the forecast volume,
    exponential handle times, or lognormal with coefficient of variation ``handle_cv``,
    exponential patience where a queue has one) over ``replications`` independent
    replications; the same seed gives the same numbers.

    Args:
        scenario: a path, JSON text or a dict.
        roster: a roster path or table (see :func:`evaluate`); ``None``: the scenario's own
            plan.
        threads: worker threads (0: every core).
    """
    path, text, name, base = scenario_source(scenario, base_dir)
    rpath, rtext = (None, None) if roster is None else table_source(roster, "roster")
    raw = _native.simulate(path, text, name, base, rpath, rtext, "roster",
                           count(replications, "replications"), count(seed, "seed"),
                           None if handle_cv is None else number(handle_cv, "handle_cv"),
                           count(threads, "threads"))
    return _warn_interrupted(Simulation(raw))
