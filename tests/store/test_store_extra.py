"""The store is an optional extra: ``import uprooted`` and the command line load none of its
libraries, and its commands without them say what to install and exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

STORE_LIBRARIES = ("sqlalchemy", "alembic", "feedparser", "warcio", "psycopg")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_importing_uprooted_and_its_command_line_loads_no_store_library() -> None:
    done = _python("import sys, uprooted, uprooted.cli; "
                   f"print(sorted(m for m in sys.modules if m.split('.')[0] in {STORE_LIBRARIES!r}))")
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.parametrize("command", [["ingest", "docs.jsonl"], ["reprocess"], ["export", "--format", "csv"],
                                     ["db", "upgrade"], ["db", "errors"]], ids=lambda c: " ".join(c))
def test_a_store_command_without_the_extra_says_how_to_install_it(command: list[str]) -> None:
    """sys.modules[name] = None is how Python marks a module that cannot be imported."""
    done = _python("import sys\n"
                   "for name in ('sqlalchemy', 'alembic'): sys.modules[name] = None\n"
                   "from uprooted.cli import main\n"
                   f"sys.argv = ['uprooted', *{command!r}]\n"
                   "main()")
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "the store needs the 'store' extra (sqlalchemy, alembic not installed): pip install 'uprooted[store]'" \
        in message
