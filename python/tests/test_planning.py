"""plan, evaluate and simulate from Python: scenarios as paths, JSON text and dicts; the
tables of `wfm plan`; every bad scenario and bad roster of the Rust tests; Ctrl-C."""

import _thread
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

import wfm
from conftest import DATA, REPO, SCENARIOS, listing

WEEK = SCENARIOS / "single_site_week.json"

ONE_DAY = {
    "name": "One day in London",
    "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1},
    "sites": [{"name": "london", "zone": "Europe/London"}],
    "queues": [{
        "name": "voice",
        "volume": [0, 0, 0, 0, 0, 0, 0, 0, 40, 90, 120, 110, 80, 90, 110, 100, 70, 40,
                   0, 0, 0, 0, 0, 0],
        "aht_seconds": 300,
        "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}},
        "shrinkage": 0.3,
    }],
    "templates": [{
        "name": "day", "site": "london", "queue": "voice", "paid_minutes": 300,
        "start_windows": [{"days": ["mon"], "from": "08:00", "to": "13:00"}],
    }],
}


@pytest.fixture(scope="module")
def week():
    return wfm.plan(WEEK)


def test_plan_tables(week):
    s = week.summary
    assert s["status"] == "optimal" and s["understaffed_intervals"] == 0
    assert s["cost"] >= s["lower_bound"] - 1e-9
    for name in ("requirements", "plan", "roster", "coverage"):
        assert isinstance(getattr(week, name), pd.DataFrame), name
    cov = week.coverage
    assert str(cov["interval_start_utc"].dt.tz) == "UTC"
    assert (cov["scheduled"] >= cov["required"]).all()
    assert week.roster["agent"].nunique() > 0
    assert str(week.roster["start_utc"].dt.tz) == "UTC"
    assert week.plan["count"].sum() == len(week.roster)
    assert week.interrupted is False


def test_the_same_scenario_as_path_text_and_dict(tmp_path):
    path = tmp_path / "one_day.json"
    path.write_text(json.dumps(ONE_DAY))
    a, b, c = wfm.plan(path), wfm.plan(json.dumps(ONE_DAY)), wfm.plan(ONE_DAY)
    assert a.summary["cost"] == b.summary["cost"] == c.summary["cost"]
    # The library's own example: 20 scheduled at the peak hour.
    req = c.requirements
    assert req.loc[req["interval_start_utc"] == pd.Timestamp("2027-03-08T10:00Z"),
                   "required"].item() == 20
    pd.testing.assert_frame_equal(a.coverage, c.coverage)


def test_evaluate_a_planned_roster_and_an_edited_one(week):
    same = wfm.evaluate(WEEK, week.roster)
    assert same.summary["cost"] == week.summary["cost"]
    assert same.plan is None
    pd.testing.assert_frame_equal(same.coverage, week.coverage)
    fewer = wfm.evaluate(WEEK, week.roster.iloc[10:])
    assert fewer.summary["understaffed_intervals"] > 0
    assert fewer.summary["cost"] < week.summary["cost"]
    rows = week.roster.to_dict("records")
    assert wfm.evaluate(WEEK, rows).summary["cost"] == week.summary["cost"]


def test_a_bad_roster_row_names_its_line_and_lenient_lists_it(week):
    bad = pd.concat([week.roster, week.roster.iloc[[0]]], ignore_index=True)
    with pytest.raises(wfm.ParseError) as e:
        wfm.evaluate(WEEK, bad)
    assert e.value.file == "roster" and e.value.line == len(bad) + 1
    lenient = wfm.evaluate(WEEK, bad, lenient=True)
    assert lenient.summary["warnings_total"] >= 1


@pytest.mark.parametrize("name, needle", listing(DATA / "bad_scenarios" / "EXPECTED.tsv"))
def test_every_bad_scenario_of_the_rust_tests(name, needle):
    with pytest.raises(wfm.WfmError) as e:
        wfm.plan(DATA / "bad_scenarios" / f"{name}.json")
    assert needle in str(e.value), str(e.value)


@pytest.mark.parametrize("name, needle", listing(DATA / "bad_rosters" / "EXPECTED.tsv"))
def test_every_bad_roster_of_the_rust_tests(name, needle):
    with pytest.raises(wfm.WfmError) as e:
        wfm.evaluate(DATA / "bad_rosters" / "scenario.json",
                     DATA / "bad_rosters" / f"{name}.csv")
    assert needle in str(e.value), str(e.value)


def test_scenario_errors_carry_field_file_and_line():
    bad = json.loads(json.dumps(ONE_DAY))
    bad["queues"][0]["aht_seconds"] = -5
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.plan(bad)
    assert e.value.field.startswith("queues[voice].aht_seconds[0]")
    assert e.value.file == "scenario"
    assert str(e.value).startswith("invalid scenario: queues[voice].aht_seconds[0]")
    with pytest.raises(wfm.ParseError) as e:
        wfm.plan('{\n  "name": "x",\n  "horizon": 3\n}')
    assert e.value.file == "scenario" and e.value.line == 3
    assert "horizon" in str(e.value)
    with pytest.raises(wfm.FileError) as e:
        wfm.plan(REPO / "no_such_scenario.json")
    assert isinstance(e.value, OSError)
    with pytest.raises(wfm.InvalidInput):
        wfm.plan(42)


def test_infeasible_names_interval_and_site():
    s = json.loads(json.dumps(ONE_DAY))
    s["queues"][0]["volume"][3] = 50  # 03:00, nobody starts before 08:00
    with pytest.raises(wfm.Infeasible) as e:
        wfm.plan(s)
    assert "2027-03-08T03:00:00Z" in str(e.value)


def test_simulate_is_reproducible_and_close_to_erlang(week):
    a = wfm.simulate(WEEK, week.roster, replications=4, seed=7)
    b = wfm.simulate(WEEK, week.roster, replications=4, seed=7)
    pd.testing.assert_frame_equal(a.intervals, b.intervals)
    assert a.summary["replications"] == 4
    sl = a.summary["total"]["service_level"]["mean"]
    assert 0.7 < sl <= 1.0
    planned = wfm.simulate(WEEK, replications=2, seed=1)
    assert len(planned.roster) == len(week.roster)


@pytest.mark.parametrize("kwargs, field", [
    (dict(replications=2.5), "replications"),
    (dict(replications="4"), "replications"),
    (dict(seed=-1), "seed"),
    (dict(threads=None), "threads"),
    (dict(handle_cv="wide"), "handle_cv"),
])
def test_simulate_refuses_arguments_of_the_wrong_type_naming_the_field(week, kwargs, field):
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.simulate(WEEK, week.roster, **kwargs)
    assert e.value.field == field, str(e.value)


def test_ctrl_c_stops_the_solve_with_the_best_plan_so_far():
    # follow_the_sun asked for a proven optimum (gap 0) with ten minutes of work: the
    # search is still running when Ctrl-C comes after 1 s. Ctrl-C is repeated every half
    # second until the solve returns, and one that lands after the return is absorbed below.
    scenario = json.loads((SCENARIOS / "follow_the_sun.json").read_text())
    scenario["solve"] = dict(scenario.get("solve", {}), gap=0.0, time_limit_seconds=600)
    done = threading.Event()

    def press_ctrl_c():
        if done.wait(1.0):
            return
        while not done.is_set():
            _thread.interrupt_main()
            done.wait(0.5)

    # A process started in the background by a shell inherits SIGINT ignored, and then a
    # simulated Ctrl-C does nothing: Python's own handler is put back for this test.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    try:
        with pytest.warns(RuntimeWarning, match="interrupted"):
            r = wfm.plan(scenario, base_dir=SCENARIOS)
    finally:
        done.set()
        try:
            presser.join()
            time.sleep(0.1)
        except KeyboardInterrupt:
            pass
        signal.signal(signal.SIGINT, before)
    assert r.interrupted is True
    assert r.summary["cost"] > 0 and len(r.roster) > 0


def test_tables_without_pandas_are_row_dicts():
    code = (
        "import wfm, datetime\n"
        "r = wfm.plan(%r)\n"
        "row = r.coverage[0]\n"
        "assert isinstance(r.coverage, list) and isinstance(row, dict)\n"
        "assert row['interval_start_utc'].tzinfo is not None\n"
        "assert isinstance(row['required'], int)\n"
        "assert isinstance(r.roster[0]['agent'], str)\n"
        "bt = wfm.backtest(%r, horizon='1d', folds=1, tz='Asia/Jerusalem')\n"
        "assert isinstance(bt[0]['wape'], float) and bt.attrs['best']\n"
        "print('ok')\n" % (str(WEEK), str(DATA / "anonymous_bank_feb1999" / "intervals_30min.csv")))
    env = dict(os.environ, WFM_NO_PANDAS="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_a_scenario_forecast_from_history_with_a_bank_holiday():
    # The bundled example as a dict: its history and calendar are relative to base_dir.
    s = json.loads((SCENARIOS / "bank_holiday.json").read_text(encoding="utf-8"))
    r = wfm.plan(s, base_dir=SCENARIOS)
    f = r.forecast
    assert set(f["source"]) == {"history"} and set(f["method"]) == {"trimmed_profile"}
    for c in ("volume_p10", "volume_p50", "volume_p80", "volume_p90"):
        assert c in f.columns, c
    # The plan staffed the 80 % quantile.
    assert (f["volume_planned"] == f["volume_p80"]).all()
    day = f["interval_start_local"].astype(str).str[:10]
    holiday = f[day == "2027-05-03"]
    assert set(holiday["special_day"]) == {"early_may"}
    # Without the calendar, the bank holiday is forecast as a normal Monday.
    del s["sites"][0]["special_days_csv"]
    del s["sites"][0]["special_days"]
    plain = wfm.plan(s, base_dir=SCENARIOS).forecast
    plain_day = plain["interval_start_local"].astype(str).str[:10]
    assert holiday["volume"].sum() < 0.5 * plain[plain_day == "2027-05-03"]["volume"].sum()
