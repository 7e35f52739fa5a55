"""wfm: contact-centre workforce management, from Python.

Forecast contact volume and handle time, backtest forecasting methods (and score any
other tool's forecast on the same folds), staff intervals with Erlang B, C and A, plan
shifts by linear programming, roster named agents, evaluate a roster and simulate it
contact by contact. The work is done by the ``wfm`` Rust library; this package converts
and calls.

Queueing::

    import wfm
    wfm.staff(100, "3m", "30m", service_level=0.8, within="20s", shrinkage=0.3)
    wfm.staff(volumes_array, aht_array, "15m")      # a year of intervals in one call

Forecasting::

    table = wfm.backtest(history_df, interval="30m", horizon="7d", folds=8)
    fc = wfm.forecast(history_df, method="best", horizon="7d")
    theirs = wfm.score(history_df, their_forecast_df, horizon="7d", folds=8)
    fc = wfm.forecast(history_df, special_days="holidays.csv")   # holidays left out, forecast
    wfm.reforecast(fc, this_morning_df)          # the rest of today from the morning
    wfm.reforecast_backtest(history_df)          # ... backtested at 10:00, 12:00, 14:00

Contact exports::

    c = wfm.contacts("tickets.csv", preset="zendesk", zone="Europe/London")
    c.histories["Billing"]                       # a history table per queue

Planning::

    result = wfm.plan("examples/scenarios/single_site_week.json")
    result.summary, result.coverage, result.roster
    wfm.evaluate(scenario, result.roster)
    wfm.simulate(scenario, result.roster, replications=20)

Errors are :class:`wfm.WfmError` subclasses (:class:`InvalidInput`, :class:`ParseError`,
:class:`Infeasible`, ...) with ``field``, ``file`` and ``line`` attributes.
"""

from . import _native
from .errors import (FileError, Infeasible, InvalidInput, LocalTimeError, ParseError,
                     SolverError, UnknownTimeZone, WfmError)
from .contacts import Contacts, contacts
from .forecasting import (backtest, forecast, methods, reforecast, reforecast_backtest,
                          score)
from .planning import Result, Simulation, evaluate, plan, simulate
from .queueing import erlang_b, erlang_c, staff
from . import queueing

#: The package version: the Rust crate's.
__version__: str = _native.__version__

__all__ = [
    "__version__",
    "staff", "erlang_b", "erlang_c", "queueing",
    "methods", "backtest", "forecast", "score", "reforecast", "reforecast_backtest",
    "contacts", "Contacts",
    "plan", "evaluate", "simulate", "Result", "Simulation",
    "WfmError", "InvalidInput", "ParseError", "UnknownTimeZone", "LocalTimeError",
    "FileError", "Infeasible", "SolverError",
]
