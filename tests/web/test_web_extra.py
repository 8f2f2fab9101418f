"""The web workspace is an optional extra: ``import uprooted`` and the command line load none of
its libraries, ``uprooted serve`` without them says what to install and exits 2, and the extra's
libraries are ranges in pyproject, locked for the tests only."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB_LIBRARIES = ("fastapi", "starlette", "uvicorn", "playwright")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_importing_uprooted_and_its_command_line_loads_no_web_library() -> None:
    done = _python("import sys, uprooted, uprooted.cli; "
                   f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB_LIBRARIES!r}))")
    assert done.stdout.strip() == "[]", done.stderr


def test_serve_without_the_extra_says_how_to_install_it() -> None:
    """sys.modules[name] = None is how Python marks a module that cannot be imported."""
    done = _python("import sys\n"
                   "for name in ('fastapi', 'uvicorn'): sys.modules[name] = None\n"
                   "from uprooted.cli import main\n"
                   "sys.argv = ['uprooted', 'serve']\n"
                   "main()")
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "the web workspace needs the 'web' extra (fastapi, uvicorn not installed): pip install 'uprooted[web]'" \
        in message


def test_the_web_extra_is_ranges_locked_for_the_tests_only() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {re.split(r"[<>=\[]", r, maxsplit=1)[0].lower() for r in extras["web"] if not r.startswith("uprooted")}
    dev_lock = (ROOT / "requirements-dev.lock").read_text(encoding="utf-8").lower()
    runtime_lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").lower()
    assert names == {"fastapi", "uvicorn"}
    assert all(f"\n{n}==" in dev_lock for n in names)
    assert not any(f"\n{n}==" in runtime_lock for n in names)
