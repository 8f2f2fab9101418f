"""Fixtures of the store's tests: a real SQLite file and a real PostgreSQL server that the run
starts itself (a throwaway cluster in a temporary folder, on a free loopback port), and the
invented documents the tests ingest.

PostgreSQL's binaries are looked up in Debian's folders (/usr/lib/postgresql/*/bin) and on PATH;
without them the PostgreSQL cases are skipped with the reason. ``initdb`` refuses to run as root,
so under root the cluster runs as the ``postgres`` user that Debian's package creates.
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from uprooted.store.db import open_store, upgrade

# Invented documents: the place names were checked absent from the evaluation corpora.
DOCS: list[dict[str, Any]] = [
    {"id": "s1", "published": "2024-05-09",
     "text": "Storms forced 3,000 people to flee their homes in Tartu, Estonia on Monday, officials said."},
    {"id": "s2", "published": "2024-03-02", "url": "https://news.example.org/story/s2?utm_source=feed",
     "text": "Armed men attacked a village near Paramaribo, Suriname last week and clashes with soldiers "
             "displaced about 800 families."},
    {"id": "s3", "published": "2023-07-01", "text": "Landslides left 450 people homeless in Bhutan in June 2023."},
    {"id": "s4", "published": "2022-01-10",
     "text": "About 200 people were evacuated after the river burst its banks, the mayor said."},
]


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def _bindir() -> Path | None:
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").is_file() and Path(folder, "pg_ctl").is_file():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Cluster:
    """A PostgreSQL cluster of the test run: initdb, pg_ctl start, one database per test, stop."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="uprooted-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self.names = itertools.count(1)

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}")

    def start(self) -> None:
        data = self.base / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "uprooted", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.base / "log"), "-w", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def new_database(self) -> str:
        import psycopg

        name = f"store_{next(self.names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=uprooted dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://uprooted@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[_Cluster]:
    bindir = _bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql to run these cases")
    cluster = _Cluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    cluster: _Cluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    """An engine on a fresh store at the newest schema."""
    eng = open_store(store_url)
    upgrade(eng)
    yield eng
    eng.dispose()
