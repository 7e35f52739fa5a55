"""Contact exports in: help-desk tickets (Zendesk, Freshdesk, Salesforce, Jira) and call
records read into one interval history per queue, as ``wfm contacts`` writes them.

Each history table goes straight into :func:`wfm.forecast` and :func:`wfm.backtest`::

    c = wfm.contacts("tickets.csv", preset="zendesk", zone="Europe/London")
    c.summary                      # rows read, left out, duplicates, queues ...
    fc = wfm.forecast(c.histories["Billing"], horizon="7d", tz=c.summary["zone"])
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional

from . import _native
from ._convert import _native_invalid, minutes_text, seconds, table

__all__ = ["contacts", "Contacts"]


class Contacts:
    """What a contact export holds, per interval and queue.

    Attributes:
        histories: queue name -> its interval history table (``interval_start_utc``,
            ``interval_start_local``, ``offered``, ``handled``, ``abandoned``,
            ``aht_seconds``, ``service_level``, ``asa_seconds``, ``abandon_rate`` and, for
            tickets, ``solved`` and ``backlog``).
        files: queue name -> the file name ``wfm contacts`` gives its history.
        achieved: the achieved table (``achieved.csv``): per queue and interval, what was
            offered, handled and achieved.
        summary: rows read, ``excluded`` (by the exclude column), ``outside`` (the
            period), ``duplicates`` (exact copies left out; ``ids_checked`` says whether
            there was an id column to check), ``footer_rows`` (report footers left out),
            ``zone``, ``kind``, ``within_seconds``, ``interval_minutes``, ``start_utc``,
            ``intervals`` and ``delimiter_detected`` (the delimiter found from the header
            line when no layout names one and the preset's is not there, else ``None``).
    """

    def __init__(self, raw: dict):
        self.histories: Dict[str, Any] = {}
        self.files: Dict[str, str] = {}
        for name, file, text in raw["queues"]:
            self.histories[name] = table(text)
            self.files[name] = file
        self.achieved = table(raw["achieved"])
        self.summary = {k: raw[k] for k in (
            "rows", "excluded", "outside", "duplicates", "ids_checked", "footer_rows", "zone",
            "kind", "within_seconds", "interval_minutes", "start_utc", "intervals",
            "delimiter_detected")}

    def __repr__(self) -> str:
        s = self.summary
        return (f"Contacts({s['rows']} rows, {len(self.histories)} queues, "
                f"{s['intervals']} intervals of {s['interval_minutes']} min from "
                f"{s['start_utc']} ({s['zone']}))")


def contacts(export: Any, *, preset: Optional[str] = None, layout: Any = None,
             interval: Any = "30m", zone: Optional[str] = None, within: Any = None,
             date_from: Optional[str] = None, date_to: Optional[str] = None) -> Contacts:
    """Reads a contact export (CSV) into interval histories per queue.

    Args:
        export: path of the export (CSV, or JSON records such as Zendesk's export).
        preset: a known export's layout: ``zendesk``, ``zendesk_json``, ``freshdesk``,
            ``salesforce``, ``jira``, ``cdr`` or ``amazon_connect`` (Amazon Connect
            contact records).
        layout: the layout's fields over the preset's, as a dict or the path of a JSON
            mapping file (the fields of ``wfm contacts --mapping``: ``time_column``,
            ``queue_columns``, ``delimiter``, ``dates``, ``id_column`` ...; an unknown
            field is an error naming it).
        interval: the grid interval (``"30m"``, ``"15m"``, ``"1h"``).
        zone: IANA zone of timestamps written without an offset, and of local days.
        within: the service-level threshold (``"20s"``; default 20 s for calls, 24 h for
            tickets; a bare number is seconds).
        date_from, date_to: the first and last local day the export covers
            (``YYYY-MM-DD``); contacts outside are counted and left out.

    Returns:
        A :class:`Contacts`.
    """
    if not (isinstance(export, str) or hasattr(export, "__fspath__")):
        raise _native_invalid("export", f"must be a file path, got {type(export).__name__}")
    layout_json, layout_path = None, None
    if isinstance(layout, dict):
        try:
            layout_json = json.dumps(layout)
        except (TypeError, ValueError) as e:
            raise _native_invalid("layout", f"the dict is not JSON: {e}") from None
    elif isinstance(layout, str) or hasattr(layout, "__fspath__"):
        layout_path = os.fspath(layout)
    elif layout is not None:
        raise _native_invalid(
            "layout", f"must be a dict or a mapping file path, got {type(layout).__name__}")
    within_text = None if within is None else f"{seconds(within, 'within')}s"
    raw = _native.contacts(os.fspath(export), preset, layout_json, layout_path,
                           minutes_text(interval, "interval"), zone, within_text,
                           date_from, date_to)
    return Contacts(raw)
