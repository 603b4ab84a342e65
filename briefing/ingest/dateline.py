"""Wire datelines: the place, outlet and date that open a story, in the forms agencies use.

'WASHINGTON (Reuters) -', 'SEOUL, Dec. 28 (Yonhap) --', 'Dec. 5 (UPI) --',
'Ganja. 12 March. CASPIANWIRE.AZ/', 'VERONA (Lakeside Wire / Gazette - 28th October, 2021)'.
Pure: text in, a Dateline (or None) out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# "Dec. 28", "28th October, 2021", "March 3, 2024"
_DATE = rf"(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})(?:,?\s+\d{{4}})?"
_PLACE = r"[A-Z][A-Z'’.\- ]{1,40}[A-Z.]"
_DASH = r"\s*(?::|—|–|-{1,2})\s+"

_FORMS = (
    # "WASHINGTON (Reuters) -", "LONDON, March 3 (Reuters) -", "NAIROBI, Kenya —", "SEOUL:"
    re.compile(
        rf"^(?P<place>{_PLACE})(?:,(?P<rest>[^:\n—–(]{{1,40}}))?"
        rf"\s*(?:\((?P<outlet>[^)\n]{{1,40}})\))?{_DASH}"
    ),
    # "VERONA (Lakeside Wire / Gazette - 28th October, 2021) Anna ...": no dash after
    re.compile(
        rf"^(?P<place>{_PLACE})\s*\((?P<outlet>[^)\n]{{1,60}}?)\s+-\s+(?P<rest>{_DATE})\)\s+"
    ),
    # "Brussels (dpa) -", "Beijing, Dec. 5 (Xinhua) --": a place in title case, with its outlet
    re.compile(
        r"^(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:,(?P<rest>[^:\n—–(]{1,40}))?"
        rf"\s*\((?P<outlet>[^)\n]{{1,40}})\){_DASH}"
    ),
    # "Dec. 5 (UPI) --", "Feb 20 (Reuters) -": the date alone before the outlet
    re.compile(rf"^(?P<rest>{_DATE})\s*\((?P<outlet>[^)\n]{{1,40}})\){_DASH}"),
    # "Ganja. 12 March. CASPIANWIRE.AZ/ The ...": place, date and the outlet's web name
    re.compile(
        rf"^(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\.\s+(?P<rest>{_DATE})\.\s+"
        r"(?P<outlet>[A-Z][A-Za-z]*(?:\.[A-Za-z]{2,})+)/\s*"
    ),
)
_DATE_PARTS = re.compile(
    rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH}))"
    r"(?:,?\s+(?P<year>\d{4}))?"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """What a dateline says, and where the story after it starts."""

    place: str | None
    outlets: tuple[str, ...]
    day: int | None
    month: int | None
    year: int | None
    end: int

    def date_on_or_before(self, today: date) -> date | None:
        """The dateline's date; without a year, the latest such day not after today."""
        if self.day is None or self.month is None:
            return None
        years = [self.year] if self.year else [today.year, today.year - 1]
        for year in years:
            try:
                found = date(year, self.month, self.day)
            except ValueError:
                continue
            if self.year or found <= today + timedelta(days=1):
                return found
        return None


def read_dateline(text: str) -> Dateline | None:
    """The dateline that opens text, if it has one of the agencies' forms."""
    for form in _FORMS:
        match = form.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        place = groups.get("place")
        day = month = year = None
        parts = _DATE_PARTS.search(groups.get("rest") or "")
        if parts:
            day = int(parts["d1"] or parts["d2"])
            month = _MONTHS[(parts["m1"] or parts["m2"])[:3].lower()]
            year = int(parts["year"]) if parts["year"] else None
        outlet = groups.get("outlet")
        outlets = tuple(o.strip() for o in outlet.split("/") if o.strip()) if outlet else ()
        return Dateline(
            place=place.strip().title() if place else None,
            outlets=outlets,
            day=day,
            month=month,
            year=year,
            end=match.end(),
        )
    return None
