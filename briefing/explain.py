"""`briefing context --explain`: the rules that made each claim, forecast and actor."""

from __future__ import annotations

from briefing.models import Analysis


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def explain_lines(analysis: Analysis) -> list[str]:
    """Per article: actors with their passes, claims with the rules that found and resolved
    them, cues dropped with the rule that dropped them, forecasts with theirs."""
    lines: list[str] = []
    for article in analysis.articles:
        lines += [f"# {article.id}", "", "actors:"]
        for actor in analysis.actors:
            if article.id in actor.articles:
                lines.append(f"  {actor.name} ({actor.kind}): {', '.join(actor.made_by)}")
        lines += ["", "claims:"]
        for claim in sorted(
            (c for c in analysis.claims if c.article == article.id), key=lambda c: c.start
        ):
            lines.append(f"  [{claim.sentence}] {claim.source} {claim.cue}: {_short(claim.text)}")
            lines.append(f"      found by {claim.found_by}; source by {claim.resolved_by}")
        dropped = [d for d in analysis.dropped if d.article == article.id]
        if dropped:
            lines += ["", "dropped:"]
            for d in dropped:
                lines.append(f"  [{d.sentence}] {_short(d.text)}")
                lines.append(f"      found by {d.found_by}; dropped by {d.rule}")
        lines += ["", "outlook:"]
        for f in (f for f in (*analysis.outlook, *analysis.own_outlook) if f.article == article.id):
            band = f.likelihood.band if f.likelihood else "unstated"
            when = f"{f.horizon.start}..{f.horizon.end}" if f.horizon else "no horizon"
            lines.append(f"  {f.sentences} {f.source}: {_short(f.text)}")
            by = [f"forecast by {f.decided_by}", f"band {band} by {f.likelihood_by or '-'}"]
            by.append(f"horizon {when} by {f.horizon_by or '-'}")
            if f.continued_by:
                by.append(f"continued by {f.continued_by}")
            if f.split_by:
                by.append(f"split by {f.split_by}")
            lines.append("      " + "; ".join(by))
        lines.append("")
    return lines
