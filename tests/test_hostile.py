"""The hostile-input suite: thousands of generated documents built to break a reader (binary data,
broken encodings, NULs, huge lines, nested markup and JSON, markup and formula ids, adversarial
numerals, duplicate ids) mixed with good ones, through one run of the command line.

Every input must give records or an error record, none may stop the batch, every good document
must come out exactly once, and the peak memory of the run must stay bounded.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

UPROOTED = str(Path(sys.executable).parent / "uprooted")
MAX_RSS_MB = 800  # the model, vocabularies and gazetteer take about 300 MB; the batch must add little

# The command line, writing its own peak resident memory (VmHWM) to a file as it exits. A child's
# ru_maxrss is no measure here: Linux carries the parent's peak over into it at exec.
_CLI_WITH_PEAK = """
import atexit, re, sys
peak_file = sys.argv.pop(1)
def _peak():
    with open("/proc/self/status") as status, open(peak_file, "w") as out:
        out.write(re.search(r"VmHWM:\\s+(\\d+)", status.read())[1])
atexit.register(_peak)
from uprooted.cli import main
main()
"""


def _good(n: int) -> dict[str, str]:
    return {"id": f"good-{n}", "text": f"Some {n + 100} families fled the floods near Velstrand on Monday."}


def _hostile_lines(rng: random.Random, n: int) -> list[bytes]:
    """JSONL lines, each one hostile in its own way (cycled through the kinds below)."""
    def line(obj: object) -> bytes:
        return json.dumps(obj).encode()

    kinds = [
        lambda i: b'{"id": "enc-%d", "text": "caf\xe9 \xff\xfe owners fled"}' % i,
        lambda i: rng.randbytes(rng.randint(1, 300)).replace(b"\n", b" "),
        lambda i: b"[" * rng.randint(5_000, 100_000),
        lambda i: b'{"id": "deep-%d", "text": ' % i + b"{\"a\": " * 50_000,
        lambda i: line({"id": f"[/x]{i}[bold]", "text": "About 300 people fled [/red] the [link=x]fire[/link]."}),
        lambda i: line({"id": f"=HYPERLINK(\"http://x/{i}\")", "text": "@SUM(1) -2+3 =cmd people fled."}),
        lambda i: line({"id": f"nul-{i}", "text": "Floods forced 4,0\u000000 people\u0000 to flee.\u0000"}),
        lambda i: line({"id": f"num-{i}", "text": rng.choice([
            "About 10^400 people fled.", "Some 1e308 people fled.", "9" * 400 + " people fled.",
            "one million million million people fled.", "between 5,000 and 2,000 people fled.",
            "1," * 200 + "000 people fled.", "Some -3 people fled.", "NaN people fled, Infinity more.",
        ])}),
        lambda i: line({"id": f"huge-{i}", "text": "The river rose. " * rng.randint(1_000, 2_000)} if i % 400 == 8
                       else {"id": f"long-{i}", "text": "About 30 people fled. " + "x" * 200_000}),
        lambda i: line({"id": f"html-{i}", "html": "<div>" * 3_000 + "<p>About 80 people fled.</p>"}),
        lambda i: line(rng.choice([[1, 2], 7, "text", None, True, {"id": "x"}, {"text": 5}])),
        lambda i: line({"id": f"pub-{i}", "text": "About 90 people fled.", "published": rng.choice(
            ["9999-99-99", "yesterday", 20240101, "", "2024-02-30"])}),
        lambda i: b'{"id": "sur-%d", "text": "About 50 people fled \\ud800 the fire."}' % i,
        lambda i: line({"id": f"empty-{i}", "text": rng.choice(["", " ", "\n\n\n", "\u200b" * 50])}),
        lambda i: line({"id": "x" * rng.randint(1_000, 20_000), "text": "About 60 people fled."}),
        lambda i: line({"id": f"ws\n\t{i}", "text": "\r\n".join(["About 70 people fled."] * 3)}),
    ]
    return [kinds[i % len(kinds)](i) for i in range(n)]


def _hostile_files(rng: random.Random, n: int) -> dict[str, bytes]:
    text = "Les habitants de Quelmar ont fui après les pluies. About 120 people fled Tarrowby."
    kinds = [
        lambda i: b"\x7fELF\x02\x01\x01" + rng.randbytes(2_000),
        lambda i: rng.randbytes(rng.randint(1, 4_000)),
        lambda i: text.encode("latin-1"),
        lambda i: text.encode("utf-16"),
        lambda i: text.encode("utf-16-le"),
        lambda i: gzip.compress(text.encode()),
        lambda i: gzip.compress(rng.randbytes(500))[:200],
        lambda i: b"<html><body>" + b"<b>" * 5_000 + b"About 40 people fled.</body></html>",
        lambda i: text.encode() + b"\x00" * rng.randint(1, 3),
        lambda i: b"",
    ]
    return {f"f{i:04d}.{'txt' if i % 3 else 'html'}": kinds[i % len(kinds)](i) for i in range(n)}


def test_hostile_batch_keeps_every_good_document_once_in_bounded_memory(tmp_path: Path) -> None:
    rng = random.Random(20240613)
    hostile = _hostile_lines(rng, 1_700)
    goods = [_good(n) for n in range(400)]
    first, rest = goods[:200], goods[200:]
    duplicates = [dict(g, text="About 10 people fled.") for g in rng.sample(first, 50)]
    mixed = [*hostile, *(json.dumps(d).encode() for d in [*rest, *duplicates])]
    rng.shuffle(mixed)
    lines = [*(json.dumps(g).encode() for g in first), *mixed]  # an original comes before its duplicate
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    folder = tmp_path / "files"
    folder.mkdir()
    files = _hostile_files(rng, 350)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    out, peak_file = tmp_path / "out.jsonl", tmp_path / "peak"
    env = {**os.environ, "UPROOTED_STRICT": "false"}  # a bug must become an error record, as in a real run
    run = subprocess.run([sys.executable, "-c", _CLI_WITH_PEAK, str(peak_file), "-q", "extract", "-f", "jsonl",
                          "--no-progress", "-o", str(out), str(batch), str(folder)],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr

    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = Counter(r["type"] for r in records)
    inputs = len([x for x in lines if x.strip()]) + len(files)
    assert inputs >= 2_000 + 450
    assert kinds["document"] + kinds["error"] == inputs  # one outcome for every input
    assert not [r for r in records if r["type"] == "error" and "internal error" in r["error"]]
    documents = Counter(r["doc_id"] for r in records if r["type"] == "document")
    assert all(documents[g["id"]] == 1 for g in goods)
    errors = Counter(r["doc_id"] for r in records if r["type"] == "error")
    assert all(errors[d["id"]] == 1 for d in duplicates)
    peak_mb = int(peak_file.read_text()) / 1024
    print(f"\nhostile suite: {inputs} inputs ({len(goods)} good), {kinds['document']} documents, "
          f"{kinds['error']} errors, peak RSS {peak_mb:.0f} MB")
    assert peak_mb < MAX_RSS_MB
