"""Reading whatever bytes arrive: encodings, gzip, binary files, broken JSONL lines, deep JSON,
folders with look-alike names and earlier outputs."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from uprooted.errors import MissingInputError, ReadError
from uprooted.read import InputDoc, iter_inputs
from uprooted.settings import load_settings

TEXT = "Le maire a déclaré que 2 000 familles ont été évacuées près de Véronne, où l'eau monte encore."


def _one(path: Path) -> InputDoc | ReadError:
    (item,) = list(iter_inputs(str(path), load_settings()))
    return item


# --- encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
def test_text_file_is_decoded_whatever_its_encoding(tmp_path: Path, encoding: str) -> None:
    """UTF-16 used to come out as text full of NULs and Latin-1 as mojibake."""
    path = tmp_path / "note.txt"
    path.write_bytes(TEXT.encode(encoding))
    doc = _one(path)
    assert isinstance(doc, InputDoc) and doc.text == TEXT


def test_gzipped_text_file_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "note.txt.gz"
    path.write_bytes(gzip.compress(TEXT.encode("utf-8")))
    doc = _one(path)
    assert isinstance(doc, InputDoc) and doc.text == TEXT


def test_binary_file_is_a_clear_read_error(tmp_path: Path) -> None:
    """An executable used to give "places" read from its bytes."""
    path = tmp_path / "program"
    shutil.copyfile(shutil.which("ls") or "/bin/ls", path)
    err = _one(path)
    assert isinstance(err, ReadError)
    assert (err.doc_id, err.message) == ("program", "binary data, not text (give a text, HTML or JSONL file)")


def test_missing_input_is_its_own_error_class(tmp_path: Path) -> None:
    err = _one(tmp_path / "absent.txt")
    assert isinstance(err, MissingInputError) and err.message == "no such file, folder or URL"


# --- JSONL batches ----------------------------------------------------------------------------------


def _batch(tmp_path: Path, lines: list[bytes], name: str = "docs.jsonl") -> list[InputDoc | ReadError]:
    path = tmp_path / name
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return list(iter_inputs(str(path), load_settings()))


def _doc(i: int) -> bytes:
    return json.dumps({"id": f"n{i}", "text": f"Some {i + 10} families left the hamlet."}).encode()


def test_a_line_that_is_not_utf8_costs_only_itself(tmp_path: Path) -> None:
    """One bad byte used to end the whole batch with one file-level error."""
    lines = [_doc(i) for i in range(6)]
    lines[2] = b'{"id": "bad", "text": "caf\xe9 owners fled"}'
    items = _batch(tmp_path, lines)
    assert [i.id for i in items if isinstance(i, InputDoc)] == ["n0", "n1", "n3", "n4", "n5"]
    (err,) = [i for i in items if isinstance(i, ReadError)]
    assert (err.doc_id, err.message) == ("docs.jsonl:3", "line 3 is not UTF-8 (byte 0xe9 at column 27)")


def test_deeply_nested_json_line_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """100,000 nested brackets used to raise RecursionError and kill the run."""
    items = _batch(tmp_path, [_doc(0), b"[" * 100_000, b'{"id": "deep", "text": ' + b"[" * 100_000, _doc(1)])
    assert [i.id for i in items if isinstance(i, InputDoc)] == ["n0", "n1"]
    errors = [(i.doc_id, i.message) for i in items if isinstance(i, ReadError)]
    assert errors == [("docs.jsonl:2", "line 2 is JSON nested too deeply to read"),
                      ("docs.jsonl:3", "line 3 is JSON nested too deeply to read")]


def test_gzipped_and_ndjson_batches_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.ndjson").write_bytes(_doc(0) + b"\n")
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(_doc(1) + b"\n" + _doc(2) + b"\n"))
    ids = [i.id for t in ("a.ndjson", "b.jsonl.gz") for i in iter_inputs(str(tmp_path / t), load_settings())
           if isinstance(i, InputDoc)]
    assert ids == ["n0", "n1", "n2"]


def test_utf16_batch_is_read(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(("\n".join(json.dumps({"id": "é1", "text": TEXT}, ensure_ascii=False) for _ in range(1))
                      + "\n").encode("utf-16"))
    (doc,) = list(iter_inputs(str(path), load_settings()))
    assert isinstance(doc, InputDoc) and (doc.id, doc.text) == ("é1", TEXT)


def test_lone_surrogate_escape_becomes_a_replacement_character(tmp_path: Path) -> None:
    """"\\ud800" is valid JSON but no UTF-8 can hold it: the record could not be written."""
    (doc,) = _batch(tmp_path, [b'{"id": "s\\ud800", "text": "About 30 people fled \\udc00 the fire."}'])
    assert isinstance(doc, InputDoc)
    assert (doc.id, doc.text) == ("s\ufffd", "About 30 people fled \ufffd the fire.")


@pytest.mark.parametrize("value", [b"[1, 2]", b'{"a": 1}', b"true"])
def test_id_of_the_wrong_type_is_an_error_naming_the_line(tmp_path: Path, value: bytes) -> None:
    (err,) = _batch(tmp_path, [b'{"id": ' + value + b', "text": "About 30 people fled."}'])
    assert isinstance(err, ReadError)
    assert (err.doc_id, err.message) == ("docs.jsonl:1", "line 1: id must be a string or a number")


# --- folders ----------------------------------------------------------------------------------------


def test_files_of_the_same_name_in_two_folders_get_distinct_ids(tmp_path: Path) -> None:
    """Both were "report.txt", so their records shared ids and --resume skipped the second."""
    for sub in ("north", "south"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.txt").write_text(f"About 50 people fled the {sub} bank.")
    ids = [i.id for i in iter_inputs(str(tmp_path), load_settings()) if isinstance(i, InputDoc)]
    assert ids == ["north/report.txt", "south/report.txt"]


def test_folder_leaves_out_earlier_outputs_and_the_excluded_file(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("About 50 people fled the river bank.")
    (tmp_path / "records.jsonl").write_text(json.dumps({"type": "document", "doc_id": "story.txt"}) + "\n")
    (tmp_path / "figures.csv").write_text("doc_id,id,value,low,high,qualifier,quantity_text,unit\n")
    (tmp_path / "new.jsonl").write_text("")
    items = list(iter_inputs(str(tmp_path), load_settings(), exclude=[tmp_path / "new.jsonl"]))
    assert [i.id for i in items if isinstance(i, InputDoc)] == ["story.txt"]
    assert len(items) == 1
