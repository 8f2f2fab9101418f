"""A report's own date: situation reports and flash updates state in their title the day or period
their counts stand at ("Flash Update No. 3 (as of 14 May)", "Rapid Assessment (2-9 June 2021)"),
often days before they are published. Undated stocks and "currently" belong to that date.

Part of the dates stage. Only a date closing the title, or one introduced by "as of", counts: a date
inside a headline's sentence ("The floods of 6 May have left ...") is the event's, not the report's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from ..records import DatePeriod
from .find import scan_dates
from .vocab import DateMention, DatesVocab

__all__ = ["at_report_time", "report_period"]

# What may follow the report's date at the end of a title: a clock time, closing brackets, stops.
_TAIL = re.compile(r"(?i)^[\s,.;:)\]-]*(?:\d{1,4}(?:[:.]\d\d)?\s*(?:hrs|h|am|pm|utc|gmt)?)?[\s.)\]]*$")
_REACH = dt.timedelta(days=92)  # a report older than a quarter when published is an archive, not an update


def report_period(title: str | None, published: dt.date | None, vocab: DatesVocab) -> DatePeriod | None:
    """The day or period a report's title says its figures stand at, else ``None``."""
    if not title:
        return None
    as_of = [w.lower() for w in vocab.as_of_words]
    found = None
    for start, end, period in scan_dates(title, published, vocab):
        if period.start is None or period.end is None:
            continue
        head = title[:start].rstrip().lower()
        if _TAIL.match(title[end:]) or any(head.endswith(w) for w in as_of):
            found = period
    if found is None or found.end is None:
        return None
    last = dt.date.fromisoformat(found.end)
    if published is not None and not (published - _REACH <= last <= published):
        return None
    return found.model_copy(update={"text": None})


def at_report_time(mentions: list[DateMention], report: DatePeriod | None, vocab: DatesVocab) -> list[DateMention]:
    """"The camps currently hold 900 people" in a report as of 14 May is true on 14 May, whenever
    the report went out: words of the present take the report's date, keeping their own text."""
    if report is None:
        return mentions
    present = {w.lower() for w, offset in vocab.relative_days.items() if offset == 0}
    return [replace(m, period=report.model_copy(update={"text": m.period.text}))
            if (m.period.text or "").lower() in present else m for m in mentions]
