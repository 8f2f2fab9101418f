"""Analysts' merges and splits of groups, applied to reconciliation's verdicts by ``aggregate``.

Reconciliation groups figures by its rules; an analyst who knows better says "this figure's group is
that one's" (merge) or "this figure stands apart" (split). Both are decisions kept under stable keys
(``decisions``), replayed here in the order they were made on every aggregation, so they survive
``reprocess`` and new reports. A merged group keeps the recommended figure of the group it joined;
a split figure is alone in its own group and so recommended, unless rejected. When a split takes a
group's recommended figure away, the most confident figure left that no analyst rejected stands in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy import Connection, select

from ..reconcile import Verdict
from .models import Decision

__all__ = ["apply_regroupings", "regroupings"]


def regroupings(conn: Connection) -> list[tuple[str, str, str | None]]:
    """(action, stable key, stable key of the figure merged into) of every merge and split, in order."""
    rows = conn.execute(select(Decision.action, Decision.target_key, Decision.edit)
                        .where(Decision.target_type == "figure", Decision.action.in_(("merge", "split")))
                        .order_by(Decision.id))
    return [(action, key, (edit or {}).get("into")) for action, key, edit in rows]


def apply_regroupings(verdicts: dict[str, Verdict], ids: Mapping[str, str], confidence: Mapping[str, float],
                      excluded: Mapping[str, str], decisions: list[tuple[str, str, str | None]]) -> dict[str, Verdict]:
    """The verdicts after the analysts' merges and splits; ``ids`` maps a stable key to its figure id
    (keys of figures no longer in the store are skipped)."""
    out = dict(verdicts)
    for action, key, into in decisions:
        fid = ids.get(key)
        if fid is None or fid not in out:
            continue
        if action == "split":
            _split(out, fid, confidence, excluded)
        elif into is not None and ids.get(into) in out:
            _merge(out, fid, ids[into])
    return out


def _split(out: dict[str, Verdict], fid: str, confidence: Mapping[str, float], excluded: Mapping[str, str]) -> None:
    old = out[fid]
    members = [f for f, v in out.items() if v.group == old.group and f != fid]
    if not members:
        return
    out[fid] = Verdict(group=f"{old.group}/{fid}", recommended=fid not in excluded,
                       why=excluded.get(fid) or f"split from group {old.group} by an analyst")
    if old.recommended:
        standing = [f for f in members if f not in excluded]
        if standing:
            best = max(standing, key=lambda f: (confidence.get(f, 0.0), f))
            out[best] = replace(out[best], recommended=True,
                                why=f"recommended after an analyst split {fid} from the group")


def _merge(out: dict[str, Verdict], fid: str, into: str) -> None:
    source, target = out[fid].group, out[into].group
    if source == target:
        return
    for f, v in list(out.items()):
        if v.group == source:
            why = v.why if not v.recommended else f"its group {source} was merged into {target} by an analyst"
            out[f] = replace(v, group=target, recommended=False, why=why, contradiction=out[into].contradiction)
