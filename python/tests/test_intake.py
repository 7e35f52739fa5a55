"""Contact exports, special-day calendars and the intraday re-forecast from Python: the
same library functions as `wfm contacts`, `wfm forecast --special-days` and
`wfm forecast reforecast`."""

import numpy as np
import pandas as pd
import pytest

import wfm
from conftest import BANK, REPO

TZ = "Asia/Jerusalem"
ZENDESK = REPO / "examples" / "contacts" / "zendesk_tickets.csv"


@pytest.fixture(scope="module")
def bank():
    raw = pd.read_csv(BANK)
    start = pd.to_datetime(raw["interval_start"]).dt.tz_localize(TZ)
    return pd.DataFrame({"interval_start": start, "volume": raw["arrivals"],
                         "aht_seconds": 180.0})


def test_contacts_reads_an_export_into_histories():
    c = wfm.contacts(ZENDESK, preset="zendesk", zone="Europe/London")
    s = c.summary
    assert s["kind"] == "tickets" and s["zone"] == "Europe/London"
    assert s["interval_minutes"] == 30 and s["ids_checked"]
    assert set(c.histories) == set(c.files) and len(c.histories) >= 2
    # Every row read is offered in exactly one queue's history (none left out here).
    offered = sum(int(h["offered"].sum()) for h in c.histories.values())
    left_out = s["excluded"] + s["outside"] + s["duplicates"]
    assert offered == s["rows"] - left_out
    for h in c.histories.values():
        assert len(h) == s["intervals"]
        assert str(h["interval_start_utc"].dt.tz) == "UTC"
    assert {"queue", "offered"} <= set(c.achieved.columns)
    assert "Contacts(" in repr(c)


def test_contacts_history_forecasts():
    c = wfm.contacts(ZENDESK, preset="zendesk", zone="Europe/London", interval="1h")
    name = max(c.histories, key=lambda q: c.histories[q]["offered"].sum())
    fc = wfm.forecast(c.histories[name], method="weekly_average", horizon="1d", aht_seconds=600,
                      tz="Europe/London")
    assert len(fc) == 24 and (fc["volume"] >= 0).all()


def test_contacts_layout_and_its_errors(tmp_path):
    # A layout dict over the preset: the period cut to one week.
    full = wfm.contacts(ZENDESK, preset="zendesk", zone="Europe/London")
    first = full.histories[next(iter(full.histories))]["interval_start_utc"].min()
    day = first.tz_convert("Europe/London").date()
    week = wfm.contacts(ZENDESK, preset="zendesk", zone="Europe/London",
                        date_from=str(day), date_to=str(day + pd.Timedelta(days=6)))
    assert week.summary["outside"] > 0
    assert week.summary["rows"] == full.summary["rows"]
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.contacts(ZENDESK, preset="zendesk", layout={"time_colum": "Created at"})
    assert "time_colum" in str(e.value)
    mapping = tmp_path / "m.json"
    mapping.write_text('{"time_column": "No such column"}')
    with pytest.raises(wfm.WfmError) as e:
        wfm.contacts(ZENDESK, preset="zendesk", layout=mapping, zone="Europe/London")
    assert "No such column" in str(e.value)
    with pytest.raises(wfm.WfmError) as e:
        wfm.contacts(ZENDESK, preset="nope")
    assert "nope" in str(e.value)
    with pytest.raises(wfm.InvalidInput):
        wfm.contacts(pd.DataFrame({"a": [1]}))


def test_special_days_in_backtest_and_forecast(bank):
    # A Wednesday of the scored week left out: its fold scores a day fewer.
    cal = pd.DataFrame({"date": ["1999-02-24"], "name": ["outage"], "multiplier": [None]})
    plain = wfm.backtest(bank, horizon="7d", folds=1, tz=TZ, methods=["weekday_mean"])
    left = wfm.backtest(bank, horizon="7d", folds=1, tz=TZ, methods=["weekday_mean"],
                        special_days=cal)
    full = lambda t: int(t[t["horizon"] == "7d"]["n"].iloc[0])
    assert full(left) == full(plain) - 48
    # A campaign day in the horizon with a multiplier: that day's volume scaled.
    base = wfm.forecast(bank, method="weekday_mean", horizon="2d", tz=TZ)
    day = base["interval_start_utc"].iloc[0].tz_convert(TZ).date()
    camp = pd.DataFrame({"date": [str(day)], "name": ["mailing"], "multiplier": [1.5]})
    boosted = wfm.forecast(bank, method="weekday_mean", horizon="2d", tz=TZ,
                           special_days=camp)
    local = base["interval_start_utc"].dt.tz_convert(TZ).dt.date
    on = (local == day).to_numpy()
    np.testing.assert_allclose(boosted["volume"][on], 1.5 * base["volume"][on])
    np.testing.assert_allclose(boosted["volume"][~on], base["volume"][~on])
    with pytest.raises(wfm.WfmError) as e:
        wfm.forecast(bank, method="weekday_mean", horizon="1d", tz=TZ,
                     special_days=pd.DataFrame({"date": ["1999-02-30"], "name": ["x"]}))
    assert "special_days" in str(e.value)


def test_reforecast_scales_the_rest_of_the_day(bank):
    history, today = bank.iloc[:-48], bank.iloc[-48:]
    fc = wfm.forecast(history, method="weekday_mean", horizon="1d", tz=TZ)
    morning = today.iloc[:20].copy()
    morning["volume"] = morning["volume"] * 1.3
    r = wfm.reforecast(fc, morning, tz=TZ)
    a = r.attrs
    assert len(r) == 28
    p, d = a["forecast_so_far"], a["forecast_day"]
    w = p / (p + 0.25 * d)
    assert a["factor"] == pytest.approx(1 + w * (a["actual_so_far"] / p - 1))
    np.testing.assert_allclose(r["reforecast"], a["factor"] * r["forecast"])
    np.testing.assert_allclose(r["load_change_erlangs"],
                               (r["reforecast"] - r["forecast"]) * 180 / 1800)
    assert set(r["agents"]) <= {"more", "fewer", "same"}
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.reforecast(fc, bank.iloc[-60:], tz=TZ)
    assert "one local day" in str(e.value)


def test_reforecast_backtest(bank):
    t = wfm.reforecast_backtest(bank, method="weekday_mean", folds=1, tz=TZ)
    assert list(t["cutoff"]) == ["10:00", "12:00", "14:00"]
    assert (t["days"] > 0).all() and (t["wape_forecast"] > 0).all()
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.reforecast_backtest(bank, folds=9, tz=TZ)
    assert "folds" in str(e.value)


def test_contacts_finds_the_delimiter_and_reads_json(tmp_path):
    text = ZENDESK.read_text(encoding="utf-8")
    semi = tmp_path / "semi.csv"
    semi.write_text(text.replace(",", ";"), encoding="utf-8")
    base = wfm.contacts(ZENDESK, preset="zendesk", zone="Europe/London")
    found = wfm.contacts(semi, preset="zendesk", zone="Europe/London")
    assert base.summary["delimiter_detected"] is None
    assert found.summary["delimiter_detected"] == ";"
    for q in base.histories:
        pd.testing.assert_frame_equal(found.histories[q], base.histories[q])
    # A layout that names the delimiter is kept as given (and then the columns are not found).
    with pytest.raises(wfm.WfmError):
        wfm.contacts(semi, preset="zendesk", zone="Europe/London", layout={"delimiter": ","})
    # The same tickets as the JSON export writes them (UTC instants; the CSV's naive times
    # are the account's Paris time).
    paris = wfm.contacts(ZENDESK, preset="zendesk", zone="Europe/Paris")
    js = wfm.contacts(REPO / "examples" / "contacts" / "zendesk_tickets.json",
                      preset="zendesk_json", zone="Europe/Paris")
    assert set(js.histories) == set(paris.histories)
    for q in paris.histories:
        pd.testing.assert_frame_equal(js.histories[q], paris.histories[q])


def test_amazon_connect_records_read_as_the_call_records_of_the_same_calls():
    contacts = REPO / "examples" / "contacts"
    week = dict(zone="America/New_York", interval="1h", date_from="2027-02-01",
                date_to="2027-02-07")
    cdr = wfm.contacts(contacts / "cdr_calls.csv", preset="cdr", **week)
    ctr = wfm.contacts(contacts / "amazon_connect_ctrs.json", preset="amazon_connect", **week)
    # Outbound calls and a call that ended in the voice menu are left out; early deliveries
    # of a record and repeated records are duplicates.
    assert (ctr.summary["excluded"], ctr.summary["duplicates"]) == (11, 29)
    assert set(ctr.histories) == set(cdr.histories) == {"sales", "support"}
    for q in cdr.histories:
        pd.testing.assert_frame_equal(ctr.histories[q], cdr.histories[q])
    # A version without its id column cannot be told apart: refused, naming the field.
    with pytest.raises(wfm.WfmError, match="updated_column"):
        wfm.contacts(contacts / "cdr_calls.csv", preset="cdr", layout={"updated_column": "start_time"},
                     **week)
