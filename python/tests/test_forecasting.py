"""Forecasting from Python: methods, backtests, forecasts, scoring another tool's forecast
on the same folds, and every bad history file of the Rust tests."""

import numpy as np
import pandas as pd
import pytest

import wfm
from conftest import BANK, DATA, listing

TZ = "Asia/Jerusalem"


@pytest.fixture(scope="module")
def bank():
    """The bank's 28 days of half-hours as the DataFrame a user would build."""
    raw = pd.read_csv(BANK)
    start = pd.to_datetime(raw["interval_start"]).dt.tz_localize(TZ)
    return pd.DataFrame({"interval_start": start, "volume": raw["arrivals"],
                         "aht_seconds": 180.0})


def test_methods():
    names = wfm.methods()
    assert {"seasonal_naive", "weekly_average", "holt_winters", "double_seasonal",
            "day_profile", "weekday_mean", "trimmed_profile"} <= set(names)
    assert len(set(names)) == len(names)


def test_backtest_table(bank):
    bt = wfm.backtest(bank, interval="30m", horizon="1d", folds=7, tz=TZ)
    assert list(bt.columns) == ["method", "fold", "origin", "horizon", "n", "mae", "rmse",
                                "wape", "smape", "mase", "bias", "pinball", "coverage80"]
    assert len(bt) == len(wfm.methods()) * 7
    assert set(bt["horizon"]) == {"1d"}
    assert str(bt["origin"].dt.tz) == "UTC"
    # The ranking is by mean WAPE at the full horizon, best first.
    means = bt.groupby("method")["wape"].mean()
    ranking = bt.attrs["ranking"]
    assert sorted(m for m, _ in ranking) == sorted(means.index)
    for m, w in ranking:
        assert w == pytest.approx(means[m], rel=1e-12)
    assert [w for _, w in ranking] == sorted(w for _, w in ranking)
    assert bt.attrs["best"] == ranking[0][0] and means[ranking[0][0]] == means.min()
    assert len(bt.attrs["origins"]) == 7
    assert "rank" in bt.attrs["text"]


def test_a_path_and_a_dataframe_give_the_same_backtest(bank):
    from_df = wfm.backtest(bank, horizon="1d", folds=3, tz=TZ, methods=["weekly_average"])
    from_file = wfm.backtest(str(BANK), horizon="1d", folds=3, tz=TZ,
                             methods=["weekly_average"])
    pd.testing.assert_frame_equal(from_df, from_file)


def test_the_issue_call_shape_runs_where_the_history_allows(bank):
    # 28 days hold one 7-day fold after three weeks of training; 8 are refused by the
    # library with its own message.
    one = wfm.backtest(bank, interval="30m", horizon="7d", folds=1, tz=TZ)
    assert set(one["horizon"]) == {"1d", "7d"}
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.backtest(bank, interval="30m", horizon="7d", folds=8, tz=TZ)
    assert e.value.field == "--folds"
    assert "leave less than three weeks of training data" in str(e.value)


def test_forecast(bank):
    fc = wfm.forecast(bank, method="best", horizon="7d", folds=1, tz=TZ)
    assert len(fc) == 7 * 48
    assert fc["interval_start_utc"].iloc[0] == pd.Timestamp("1999-02-28T22:00:00Z")
    assert fc.attrs["method"] == fc.attrs["backtest"].attrs["best"]
    assert {"volume_p10", "volume_p90"} <= set(fc.columns)
    assert (fc["volume"] >= 0).all() and (fc["aht_seconds"] == 180).all()
    named = wfm.forecast(bank, method="weekly_average", horizon="1d", tz=TZ)
    assert named.attrs["method"] == "weekly_average" and len(named) == 48


def test_forecast_needs_a_handle_time():
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.forecast(str(BANK), method="weekly_average", horizon="1d", tz=TZ)
    assert "no handle time" in str(e.value)
    ok = wfm.forecast(str(BANK), method="weekly_average", horizon="1d", tz=TZ,
                      aht_seconds=180)
    assert len(ok) == 48


def test_an_external_forecast_is_scored_on_the_backtests_folds(bank):
    """Last week's value, made outside the library, scores exactly as the built-in
    seasonal naive method on every fold."""
    bt = wfm.backtest(bank, horizon="1d", folds=7, tz=TZ, methods=["seasonal_naive"])
    hist = bank.set_index("interval_start")["volume"]
    theirs = pd.DataFrame({"interval_start_utc": hist.index + pd.Timedelta(days=7),
                           "volume": hist.values})
    sc = wfm.score(bank, theirs, interval="30m", horizon="1d", folds=7, tz=TZ,
                   label="last_week")
    assert list(sc.columns) == list(bt.columns)
    assert set(sc["method"]) == {"last_week"}
    assert sc.attrs["origins"] == bt.attrs["origins"]
    merged = bt.merge(sc, on=["fold", "horizon"], suffixes=("_ours", "_theirs"))
    assert len(merged) == 7
    for m in ("mae", "rmse", "wape", "smape", "mase", "bias"):
        np.testing.assert_allclose(merged[m + "_ours"], merged[m + "_theirs"], rtol=1e-9)
    table = pd.concat([wfm.backtest(bank, horizon="1d", folds=7, tz=TZ), sc])
    assert table["method"].nunique() == len(wfm.methods()) + 1


def test_a_forecast_outside_every_fold_is_an_error(bank):
    far = pd.DataFrame({"interval_start_utc": pd.date_range("2030-01-01", periods=4,
                                                            freq="30min", tz="UTC"),
                        "volume": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.score(bank, far, horizon="1d", folds=2, tz=TZ)
    assert e.value.field == "forecast"


@pytest.mark.parametrize("name, needle", listing(DATA / "bad_history" / "EXPECTED.tsv"))
def test_every_bad_history_file_of_the_rust_tests(name, needle):
    with pytest.raises(wfm.WfmError) as e:
        wfm.forecast(str(DATA / "bad_history" / f"{name}.csv"), horizon="7d")
    assert needle in str(e.value), str(e.value)


def test_a_bad_dataframe_row_names_its_line(bank):
    bad = bank.head(100).copy()
    bad.loc[5, "volume"] = -2
    with pytest.raises(wfm.ParseError) as e:
        wfm.backtest(bad, horizon="1d", folds=1, tz=TZ)
    assert e.value.file == "history" and e.value.line == 7
    assert str(e.value) == "history:7: column volume: must not be negative, got -2"


def test_unknown_zone_and_method(bank):
    with pytest.raises(wfm.UnknownTimeZone) as e:
        wfm.backtest(bank, tz="Mars/Olympus")
    assert e.value.field == "tz"
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.backtest(bank, horizon="1d", folds=1, tz=TZ, methods=["crystal_ball"])
    assert "unknown method \"crystal_ball\"" in str(e.value)
