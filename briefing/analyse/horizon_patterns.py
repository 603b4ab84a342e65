"""Horizon patterns: the time phrases of `HORIZON` (briefing/analyse/horizon.py), each a
regular expression with the function that turns its match and the article date into a range."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a few": 3, "several": 3, "couple of": 2, "a couple of": 2,
}  # fmt: skip
_NUM = r"(?P<n>\d{1,3}|a couple of|couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_WORD_NUM = r"\d{1,3}|a couple of|couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# "two to three years", "12 to 18 months", "two or three quarters": the upper bound counts
_RANGE = r"(?:(?:" + _WORD_NUM + r")(?: to | or |-|–))?(?P<n>" + _WORD_NUM + r")"
_UNIT = r"(?P<unit>day|week|month|quarter|year|decade)s?"
_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9}
_ABBREVIATIONS |= {"sept": 9, "oct": 10, "nov": 11, "dec": 12}
MONTHS_AND_ABBREVIATIONS = MONTHS | _ABBREVIATIONS
# "June", or "Aug." with its full stop ("in dec" alone is too rare a spelling to trust)
_MONTH = r"(?P<month>" + "|".join(MONTHS) + "|(?:" + "|".join(_ABBREVIATIONS) + r")\.)"
_MONTH_AT = (
    r"(?P<by>by|before|in|until|till|from|on|as soon as|as early as|to be|towards?|through|into)"
)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _add(day: date, n: int, unit: str) -> date:
    if unit == "day":
        return day + timedelta(days=n)
    if unit == "week":
        return day + timedelta(weeks=n)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit]
    return add_months(day, n * months)


def _next_month(today: date) -> tuple[date, date]:
    first = add_months(today.replace(day=1), 1)
    return first, month_end(first.year, first.month)


_WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}


def _next_weekday(today: date, name: str) -> date:
    """The next such weekday after today ('by Sunday' on a Sunday: a week on)."""
    ahead = (_WEEKDAYS[name.lower()] - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def _within_some(today: date, unit: str) -> date:
    """'within days': ten days on; 'within weeks': six weeks; 'within months': six months."""
    if unit == "day":
        return today + timedelta(days=10)
    return today + timedelta(weeks=6) if unit == "week" else add_months(today, 6)


def _next_week(today: date) -> tuple[date, date]:
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=6)


def _quarter(today: date, offset: int) -> tuple[date, date]:
    first = add_months(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), 3 * offset)
    last = add_months(first, 2)
    return (today if offset == 0 else first), month_end(last.year, last.month)


def _year_part(year: int, part: str | None, today: date, by: bool) -> tuple[date, date]:
    spans = {"early": (1, 4), "mid": (5, 8), "middle": (5, 8), "late": (9, 12), "end": (10, 12)}
    first_month, last_month = spans.get((part or "").lower(), (1, 12))
    # "in 2025" is the calendar year, even said during it; "by 2025" runs from today
    start = today if by else date(year, first_month, 1)
    return start, month_end(year, last_month)


def _named_month(month: str, year: str | None, today: date, by: bool) -> tuple[date, date]:
    number = MONTHS_AND_ABBREVIATIONS[month.lower().rstrip(".")]
    y = int(year) if year else today.year + (1 if number < today.month else 0)
    start = today if by else max(today, date(y, number, 1))
    return start, month_end(y, number)


def _day_date(match: re.Match[str], today: date) -> tuple[date, date]:
    """'on Aug. 8', 'by 3 March 2027': that day ('by': from today), this year's or next."""
    month = MONTHS_AND_ABBREVIATIONS[(match["month"] or match["month2"]).rstrip(".")]
    day_number = int(match["day"] or match["day2"])
    year = int(match["year"]) if match["year"] else today.year
    day = date(year, month, day_number)
    if not match["year"] and day < today:
        day = date(year + 1, month, day_number)
    return (today if match["by"] in ("by", "before", "until", "till") else day), day


def _within(match: re.Match[str], today: date) -> tuple[date, date]:
    raw = match["n"].lower()
    n = int(raw) if raw.isdigit() else NUMBERS[raw]
    return today, _add(today, n, match["unit"].lower())


_ORDINAL = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # first month


def _named_quarter(match: re.Match[str], today: date) -> tuple[date, date]:
    """'the second quarter (of 2022)', 'Q3': that quarter, this year's or, once gone, the next."""
    number = _ORDINAL.get(match["ord"] or "") or int(match["q"])
    year = int(match["year"]) if match["year"] else today.year
    first = date(year, 3 * number - 2, 1)
    if not match["year"] and month_end(year, 3 * number) < today:
        first = date(year + 1, 3 * number - 2, 1)
    last = add_months(first, 2)
    start = today if match["by"] in ("by", "before", "until") else max(today, first)
    return start, month_end(last.year, last.month)


def _season(match: re.Match[str], today: date) -> tuple[date, date]:
    """The northern-hemisphere season named: the next one to end, or the one after ('next')."""
    name, year_text = match["season"] or match["fall"], match["year"] or match["year2"]
    by = match["by"] or match["by2"]
    first_month = _SEASONS[name]
    first = date(int(year_text), first_month, 1) if year_text else _next_season(first_month, today)
    if (match["next"] or by == "next") and not year_text and first <= today:
        first = add_months(first, 12)
    last = add_months(first, 2)
    start = today if by in ("by", "before", "until") else max(today, first)
    return start, month_end(last.year, last.month)


def _next_season(first_month: int, today: date) -> date:
    """The first day of the next season starting in that month to end on or after today."""
    first = date(today.year - (1 if first_month == 12 else 0), first_month, 1)
    while month_end(*_ym(add_months(first, 2))) < today:
        first = add_months(first, 12)
    return first


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def _fiscal_year(match: re.Match[str], today: date) -> tuple[date, date]:
    """'FY26', 'fiscal 2026': the fiscal year ending in 2026, from 1 April 2025 to the end of 2026.

    Fiscal years end in March, June, September or December depending on the body; without
    knowing which, the range holds all of them.
    """
    raw = match["fy"]
    year = int(raw) if len(raw) == 4 else 2000 + int(raw)
    start = date(year - 1, 4, 1)
    return (today if match["by"] in ("by", "before", "until") else max(today, start)), date(
        year, 12, 31
    )


def _year_to(match: re.Match[str], today: date) -> tuple[date, date]:
    """'in the year to March', 'the business year through March 2025': the twelve months
    ending with that month (the next one to end, unless a year is given), from today."""
    number = MONTHS_AND_ABBREVIATIONS[match["month"].rstrip(".")]
    year = int(match["year"]) if match["year"] else today.year
    if not match["year"] and month_end(year, number) < today:
        year += 1
    end = month_end(year, number)
    return max(today, add_months(date(year, number, 1), -11)), end


def _month_range(match: re.Match[str], today: date) -> tuple[date, date]:
    """'December through January', 'from June to August': the first month (this year's or,
    once gone, the next) to the end of the last one after it."""
    first = MONTHS_AND_ABBREVIATIONS[match["month"].rstrip(".")]
    last = MONTHS_AND_ABBREVIATIONS[match["month2"].rstrip(".")]
    year = today.year if month_end(today.year, first) >= today else today.year + 1
    start = date(year, first, 1)
    end_year = year + (1 if last < first else 0)
    return max(today, start), month_end(end_year, last)


def _season_alone(match: re.Match[str], today: date) -> tuple[date, date]:
    """'a warmer than normal winter': the next such season to end (not 'the winter of
    2024', 'last winter', nor a 'the spring' the season rule reads)."""
    first = _next_season(_SEASONS[match["season"]], today)
    last = add_months(first, 2)
    return max(today, first), month_end(last.year, last.month)


Rule = Callable[[re.Match[str], date], tuple[date, date]]


def _to_year_end(match: re.Match[str], today: date) -> tuple[date, date]:
    return today, date(today.year, 12, 31)


RULES: list[tuple[re.Pattern[str], Rule]] = [
    (
        re.compile(
            r"\b(?:within|in|over|during|for) (?:the course of )?(?:the )?(?:next|coming|following) "
            + _RANGE
            + " "
            + _UNIT
            + r"\b"
        ),
        _within,
    ),
    (re.compile(r"\bwithin " + _NUM + " " + _UNIT + r"\b"), _within),
    (
        re.compile(
            r"\b(?:for|take|takes|taking|took|last|lasts|lasting) (?:at least |up to |another |"
            r"(?:the )?best part of )?" + _RANGE + " " + _UNIT + r"\b"
        ),
        _within,
    ),
    (
        re.compile(
            r"\b(?:in|over|within|during) the (?:next|coming) (?P<unit>day|week|month|quarter|year|decade)\b"
        ),
        lambda m, t: (t, _add(t, 1, m["unit"].lower())),
    ),
    (
        re.compile(r"\b(?:in|over) the (?:coming days|days (?:ahead|to come))\b"),
        lambda m, t: (t, t + timedelta(days=10)),
    ),
    (
        re.compile(r"\b(?:in|over) the (?:coming weeks|weeks (?:ahead|to come))\b"),
        lambda m, t: (t, t + timedelta(weeks=6)),
    ),
    (
        re.compile(r"\b(?:in|over) the (?:coming months|months (?:ahead|to come))\b"),
        lambda m, t: (t, add_months(t, 6)),
    ),
    (
        re.compile(r"\b(?:in|over) the (?:coming years|years (?:ahead|to come))\b"),
        lambda m, t: (t, add_months(t, 60)),
    ),
    (
        re.compile(r"\b(?:in|during|over) the (?:near|short) term\b|\bin the near future\b"),
        lambda m, t: (t, add_months(t, 6)),
    ),
    (
        re.compile(r"\b(?:in )?the new year\b|\bnext year\b|\bthe year ahead\b"),
        lambda m, t: (date(t.year + 1, 1, 1), date(t.year + 1, 12, 31)),
    ),
    (
        re.compile(
            r"\b(?:by|before) (?:the )?end of (?:the|this) year\b|\bby year-end\b|\bby the end of the year\b"
        ),
        _to_year_end,
    ),
    (re.compile(r"\b(?:later )?this year\b"), _to_year_end),
    (re.compile(r"\bnext month\b"), lambda m, t: _next_month(t)),
    (
        re.compile(
            r"\b(?:later )?this month\b|\b(?:by|before) (?:the )?end of (?:the|this) month\b"
        ),
        lambda m, t: (t, month_end(t.year, t.month)),
    ),
    (re.compile(r"\bnext week\b"), lambda m, t: _next_week(t)),
    (
        re.compile(r"\b(?:later )?this week\b"),
        lambda m, t: (t, t + timedelta(days=6 - t.weekday())),
    ),
    (re.compile(r"\bnext quarter\b"), lambda m, t: _quarter(t, 1)),
    (re.compile(r"\bthis quarter\b"), lambda m, t: _quarter(t, 0)),
    (
        re.compile(r"\b(?:next|the coming) decade\b"),
        lambda m, t: (date(t.year + 1, 1, 1), date(t.year + 10, 12, 31)),
    ),
    (re.compile(r"\btomorrow\b"), lambda m, t: (t + timedelta(days=1), t + timedelta(days=1))),
    (
        re.compile(
            r"\b(?P<by>by|before|in|during|until) (?:the )?(?:(?P<part>early|mid|middle|late|end)[- ](?:of )?)?(?P<year>20\d\d)\b"
        ),
        lambda m, t: _year_part(
            int(m["year"]), m["part"], t, m["by"].lower() in ("by", "before", "until")
        ),
    ),
    (
        re.compile(
            r"\b"
            + _MONTH_AT
            + r" (?:the )?(?:end of |early |mid-?|late )?(?:next )?"
            + _MONTH
            + r"(?:,? (?P<year>20\d\d))?(?![\w-])(?! \d{1,2}\b)"
        ),
        lambda m, t: _named_month(
            m["month"],
            m["year"],
            t,
            m["by"].lower() in ("by", "before", "until", "toward", "towards"),
        ),
    ),
    (
        re.compile(
            r"\b(?:(?P<by>by|before|until|in|from|during|for|through|into) )?(?:the )?"
            r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|q(?P<q>[1-4]))"
            r"(?:,? ?(?:of )?(?P<year>20\d\d))?\b"
        ),
        _named_quarter,
    ),
    (
        re.compile(
            r"\b(?:(?P<by>by|before|until|in|into|during|through|over|from)(?: the)? |the |this |"
            r"(?P<next>next) |(?:as )?early next |late )"
            r"(?P<season>spring|summer|autumn|winter)(?: (?:of )?(?P<year>20\d\d))?\b"
            r"|\b(?:(?P<by2>by|until|in|this|next)(?: the)?) (?P<fall>fall)(?: (?:of )?(?P<year2>20\d\d))?\b"
        ),
        _season,
    ),
    (
        re.compile(
            r"\b(?:(?P<by>by|before|until|in|for|during|through) )?(?:the )?"
            r"(?:fy ?|fiscal (?:year )?)(?:20\d\d[-/–])?(?P<fy>20\d\d|\d\d)\b"
        ),
        _fiscal_year,
    ),
    (
        re.compile(
            r"\b" + _MONTH_AT + " (?:" + _MONTH + r" (?P<day>\d{1,2})(?:st|nd|rd|th)?"
            r"|(?P<day2>\d{1,2}) " + _MONTH.replace("?P<month>", "?P<month2>") + r")"
            r"(?:,? (?P<year>20\d\d))?(?![\w-])"
        ),
        _day_date,
    ),
    (
        re.compile(r"\bwithin (?P<unit>day|week|month)s\b"),
        lambda m, t: (t, _within_some(t, m["unit"])),
    ),
    (
        re.compile(r"\b(?:by|before|until) (?:next )?(?P<day>" + "|".join(_WEEKDAYS) + r")\b"),
        lambda m, t: (t, _next_weekday(t, m["day"])),
    ),
    (
        re.compile(
            r"\b(?P<which>this|next|the current|the coming) (?:fiscal|business|financial) year\b"
        ),
        lambda m, t: (
            (t, add_months(t, 12))
            if m["which"] in ("this", "the current")
            else (add_months(t, 1), add_months(t, 24))
        ),
    ),
    (
        re.compile(
            r"\b(?:(?:in|for|during|over) )?the (?:(?:fiscal|business|financial|current) )*year "
            r"(?:to|through|ending(?: in)?) (?:the end of )?"
            + _MONTH
            + r"(?:,? (?P<year>20\d\d))?(?![\w-])"
        ),
        _year_to,
    ),
    (
        re.compile(
            r"\b(?:from )?"
            + _MONTH
            + r" (?:through|to|until|into|and) "
            + _MONTH.replace("?P<month>", "?P<month2>")
            + r"(?![\w-])(?! \d{1,2}\b)(?!,? 20\d\d)"
        ),
        _month_range,
    ),
    (
        re.compile(
            r"\b(?:very |fairly |relatively )?(?<!as )(?:soon|shortly|quickly|imminently)\b(?! as\b)"
            r"|\bin short order\b|\bbefore long\b|\bany (?:day|time) now\b"
        ),
        lambda m, t: (t, add_months(t, 3)),
    ),
    (
        re.compile(
            r"\b(?:gradually )?over time\b|\beventually\b|\bin the (?:long|longer) (?:run|term)\b"
        ),
        lambda m, t: (t, add_months(t, 60)),
    ),
    (
        re.compile(
            r"(?<!\blast )(?<!\bpast )(?<!\bprevious )(?<!\bthe )(?<!\bthis )(?<!\bthat )"
            r"(?<!\bin )(?<!\bnext )\b(?P<season>spring|summer|autumn|winter)\b(?! of\b)"
        ),
        _season_alone,
    ),
    (
        re.compile(r"(?<![\w$£€.,/-])(?P<year>20\d\d)(?![\w%/-]|[.,]\d)"),
        lambda m, t: _year_part(int(m["year"]), None, t, False),
    ),
]


# The rules of RULES by name, in the same order, each with the phrase it exists for.
RULE_NAMES: tuple[tuple[str, str], ...] = (
    (
        "next_n_units",
        "'within the next three months', 'over the next two to three years', 'over the course "
        "of the next 12 to 18 months': from today to the upper bound",
    ),
    ("within_n_units", "'within two weeks': from today"),
    (
        "duration",
        "'for a few months', 'could take several years', 'lasting two to three weeks': from today",
    ),
    ("next_unit", "'in the coming year', 'over the next week': one unit from today"),
    ("coming_days", "'in the coming days', 'the days ahead': ten days from today"),
    ("coming_weeks", "'in the coming weeks', 'the weeks ahead': six weeks from today"),
    ("coming_months", "'in the coming months', 'the months ahead': six months from today"),
    ("coming_years", "'in the coming years', 'the years to come': five years from today"),
    (
        "near_term",
        "'in the near term', 'in the short term', 'in the near future': six months from today",
    ),
    ("next_year", "'in the new year', 'next year', 'the year ahead': the next calendar year"),
    ("year_end", "'by the end of the year', 'by year-end': today to 31 December"),
    ("this_year", "'later this year': today to 31 December"),
    ("next_month", "'next month': the next calendar month"),
    (
        "this_month",
        "'later this month', 'before the end of the month': today to the month's end",
    ),
    ("next_week", "'next week': next Monday to Sunday"),
    ("this_week", "'later this week': today to Sunday"),
    ("next_quarter", "'next quarter': the next calendar quarter"),
    ("this_quarter", "'this quarter': today to the quarter's end"),
    ("next_decade", "'the next decade', 'the coming decade': the ten years after this one"),
    ("tomorrow", "'tomorrow': the next day"),
    (
        "named_year",
        "'in 2025', 'by 2026', 'in late 2027': that year or part of it ('by': from today)",
    ),
    (
        "named_month",
        "'by March', 'in June 2026', 'in the December review', 'to be November': that month "
        "('by': from today)",
    ),
    ("named_quarter", "'in the second quarter of 2022', 'Q3': that calendar quarter"),
    ("season", "'in the spring', 'next winter', 'into the summer': that season, northern months"),
    ("fiscal_year", "'for FY26', 'fiscal 2026': the fiscal year ending in that year"),
    ("day_date", "'on Aug. 8', 'by 3 March': that day ('by': from today)"),
    (
        "within_units",
        "'within weeks', 'within days': six weeks (ten days, six months) from today",
    ),
    ("weekday", "'by Sunday', 'before next Friday': from today to that day"),
    (
        "relative_fiscal_year",
        "'this fiscal year', 'the current business year': the twelve months from today; 'next "
        "fiscal year': the two years after next month (fiscal years start in different months)",
    ),
    (
        "year_to",
        "'in the year to March', 'the business year through March 2025': the twelve months "
        "ending with that month",
    ),
    ("month_range", "'December through January', 'from June to August': those months"),
    ("soon", "'soon', 'quickly', 'in short order', 'before long': three months from today"),
    ("long_run", "'over time', 'eventually', 'in the long run': five years from today"),
    ("season_alone", "'a warmer than normal winter': the next such season (weak)"),
    ("year_alone", "'the company's 2015 profit', '2027 will be harder': that calendar year"),
)
