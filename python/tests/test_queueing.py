"""Erlang B/C/A from Python: the library's answers, arrays, targets and bad inputs."""

import csv
import math

import numpy as np
import pytest

import wfm
from conftest import DATA


def test_one_interval_matches_the_library_example():
    r = wfm.staff(100, 180, "30m", service_level=0.8, within=20, shrinkage=0.3)
    assert (r["agents"], r["scheduled"]) == (14, 20)
    assert r["meets_targets"] is True
    assert isinstance(r["agents"], int)
    assert r["service_level"] >= 0.8
    # Durations as text or seconds give the same answer.
    assert wfm.staff(100, "3m", 1800, within="20s", shrinkage=0.3) == r


def test_published_erlang_c_values():
    rows = [r for r in csv.DictReader(open(DATA / "erlang" / "reference.csv"))
            if r["model"] == "erlang_c" and r["rate_unit"] == "calls_per_30min"
            and r["agents"]]
    key = {"p_wait": "wait_probability", "service_level": "service_level",
           "asa_s": "asa_seconds", "occupancy": "occupancy",
           "traffic_erlangs": "traffic_erlangs"}
    rows = [r for r in rows if r["metric"] in key]
    assert len(rows) >= 15
    m = wfm.queueing.evaluate(
        np.array([float(r["arrival_rate"]) for r in rows]),
        np.array([float(r["aht"]) for r in rows]),
        np.array([int(r["agents"]) for r in rows]), "30m",
        within=20)
    for k, r in enumerate(rows):
        got = m[key[r["metric"]]][k]
        assert abs(got - float(r["expected_value"])) <= float(r["abs_tolerance"]), r["case_id"]


def test_a_year_of_intervals_in_one_call_equals_interval_by_interval():
    rng = np.random.default_rng(7)
    erlangs = rng.uniform(0, 2000, 35_040)
    volume = erlangs * 900 / 300
    year = wfm.staff(volume, 300, "15m", service_level=0.8, within=20, shrinkage=0.3)
    assert year["scheduled"].shape == (35_040,)
    assert year["agents"].dtype == np.int64
    for i in rng.integers(0, 35_040, 25):
        one = wfm.staff(float(volume[i]), 300, "15m", service_level=0.8, within=20,
                        shrinkage=0.3)
        assert one["scheduled"] == year["scheduled"][i]
        assert one["service_level"] == year["service_level"][i]


def test_arrays_broadcast_and_keep_their_shape():
    r = wfm.staff(np.array([[10.0, 20.0], [30.0, 40.0]]), [180, 240], "30m")
    assert r["agents"].shape == (2, 2)
    assert r["agents"][1, 1] == wfm.staff(40, 240, "30m")["agents"]


def test_every_target_and_erlang_a():
    base = dict(volume=100, aht=180, interval="30m", service_level=None)
    assert wfm.staff(**base, asa=15)["asa_seconds"] <= 15
    assert wfm.staff(**base, max_occupancy=0.7)["occupancy"] <= 0.7
    assert wfm.staff(**base, max_wait_probability=0.2)["wait_probability"] <= 0.2
    a = wfm.staff(**base, max_abandon=0.02, patience="2m")
    assert a["abandon_probability"] <= 0.02
    # With patience, the same 80/20 target needs no more agents than Erlang C.
    c = wfm.staff(100, 180, "30m")
    assert wfm.staff(100, 180, "30m", patience=120)["agents"] <= c["agents"]
    # One agent fewer misses the target.
    fewer = wfm.queueing.evaluate(100, 180, c["agents"] - 1, "30m", service_level=0.8)
    assert fewer["meets_targets"] is False


def test_concurrency_and_shrinkage_arrays():
    chat = wfm.staff(200, 600, "30m", concurrency=3)
    voice = wfm.staff(200, 600, "30m")
    assert chat["agents"] < voice["agents"]
    r = wfm.staff([100, 100], 180, "30m", shrinkage=[0.0, 0.5])
    assert r["scheduled"][1] == 2 * r["scheduled"][0]


def test_erlang_b_and_c():
    assert wfm.erlang_b(1, 1.0) == pytest.approx(0.5)
    assert wfm.erlang_c(11, 10.0) == pytest.approx(0.6821182, abs=1e-6)
    b = wfm.erlang_b(np.arange(1, 5), 2.0)
    assert b.shape == (4,) and np.all(np.diff(b) < 0)


@pytest.mark.parametrize("kwargs, cls, needle, field", [
    (dict(volume=-1, aht=180), wfm.InvalidInput, "invalid volume: must not be negative, got -1", "volume"),
    (dict(volume=float("nan"), aht=180), wfm.InvalidInput, "invalid volume: must be a finite number", "volume"),
    (dict(volume=100, aht=0), wfm.InvalidInput, "invalid aht_seconds", "aht_seconds"),
    (dict(volume=1e20, aht=180), wfm.InvalidInput, "above the limit", "volume"),
    (dict(volume=100, aht=180, shrinkage=0.999999), wfm.InvalidInput, "invalid shrinkage: must be at most", "shrinkage"),
    (dict(volume=100, aht=180, service_level=1.5), wfm.InvalidInput, "invalid targets[0].service_level.fraction: must be a fraction in (0, 1], got 1.5", "targets[0].service_level.fraction"),
    (dict(volume=100, aht=180, service_level=None, max_abandon=0.1), wfm.InvalidInput, "an abandonment target needs Erlang A (give a patience)", "targets[0].max_abandon"),
    (dict(volume=100, aht=180, patience=1e-300), wfm.InvalidInput, "invalid patience_seconds", "patience_seconds"),
    (dict(volume=100, aht=180, concurrency=0), wfm.InvalidInput, "invalid concurrency", "concurrency"),
    (dict(volume=100, aht=180, service_level=None), wfm.InvalidInput, "give at least one target", "targets"),
    (dict(volume=100, aht=180, interval="30x"), wfm.InvalidInput, "interval", "interval"),
])
def test_bad_inputs_raise_the_librarys_messages(kwargs, cls, needle, field):
    with pytest.raises(cls) as e:
        wfm.staff(**kwargs)
    assert needle in str(e.value)
    assert e.value.field == field
    assert isinstance(e.value, wfm.WfmError) and isinstance(e.value, ValueError)


@pytest.mark.parametrize("kwargs, field", [
    (dict(service_level="high"), "service_level"),
    (dict(service_level=True), "service_level"),
    (dict(service_level=None, max_occupancy="0.9", within="20s", asa=30), "max_occupancy"),
    (dict(concurrency=1.5), "concurrency"),
    (dict(concurrency="2"), "concurrency"),
    (dict(concurrency=-1), "concurrency"),
])
def test_arguments_of_the_wrong_type_are_refused_naming_the_field(kwargs, field):
    for call in (lambda: wfm.staff(100, 180, **kwargs),
                 lambda: wfm.queueing.evaluate(100, 180, 14, **kwargs)):
        with pytest.raises(wfm.InvalidInput) as e:
            call()
        assert e.value.field == field, str(e.value)


def test_an_array_error_names_the_interval():
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.staff([10, 20, -3], 180)
    assert e.value.field == "volume[2]"
    assert str(e.value) == "invalid volume[2]: must not be negative, got -3"


def test_evaluate_rejects_fractional_and_negative_agents():
    with pytest.raises(wfm.InvalidInput):
        wfm.queueing.evaluate(100, 180, 1.5)
    with pytest.raises(wfm.InvalidInput) as e:
        wfm.queueing.evaluate(100, 180, -1)
    assert e.value.field == "agents"


def test_infinite_asa_of_an_unstable_queue_is_inf():
    m = wfm.queueing.evaluate(100, 180, 5, "30m")
    assert math.isinf(m["asa_seconds"]) and m["service_level"] == 0.0


def test_the_docstring_examples():
    import doctest

    failed, tried = doctest.testmod(wfm.queueing, extraglobs={"wfm": wfm})
    assert tried >= 2 and failed == 0
