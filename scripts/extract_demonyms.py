"""Write ``src/uprooted/data/demonyms.yaml`` from the country files that countryinfo ships.

Run by hand when countryinfo changes (``pip install countryinfo==1.0.1``); the output is committed so
that uprooted does not depend on countryinfo at run time. Our own additions and corrections live in
``data/demonyms_extra.yaml`` and win over this extract when the gazetteer is built.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HEADER = """\
# Demonyms (adjectives of nationality) -> ISO 3166 alpha-3, one per country.
# Source: the country files of the countryinfo package 1.0.1 (MIT licence), field "demonym",
# extracted by scripts/extract_demonyms.py. Do not edit by hand: corrections and additions go in
# demonyms_extra.yaml, which the gazetteer reads after this file. Where two countries share a
# demonym, the more populous one is kept here.
"""


def extract() -> dict[str, str]:
    """Demonym -> ISO3, the more populous country winning a shared demonym."""
    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    best: dict[str, tuple[int, str]] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        demonym = (data.get("demonym") or "").strip()
        iso3 = ((data.get("ISO") or {}).get("alpha3") or "").strip()
        if not demonym or len(iso3) != 3:
            continue
        population = int(data.get("population") or 0)
        if demonym not in best or population > best[demonym][0]:
            best[demonym] = (population, iso3)
    return {name: iso3 for name, (_, iso3) in sorted(best.items())}


def render(table: dict[str, str]) -> str:
    lines = [HEADER, "demonyms:"]
    lines += [f"  {json.dumps(name, ensure_ascii=False)}: {iso3}" for name, iso3 in table.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "src" / "uprooted" / "data" / "demonyms.yaml"
    out.write_text(render(extract()), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
