"""What is installed and how: runtime needs apart from dev tools, ranges in pyproject, exact pins
with hashes in the locks, a typed package, a version from the package metadata."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = {"pytest", "ruff", "mypy", "scikit-learn", "types-pyyaml", "countryinfo"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n    --hash=sha256:([0-9a-f]{64})$", text, re.M)
    assert len(entries) == text.count("=="), f"{path.name}: an entry without a sha256"
    return {n.lower().replace("_", "-"): v for n, v, _ in entries}


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]  # type: ignore[no-any-return]


def test_the_runtime_lock_holds_no_dev_tool() -> None:
    """`make demo` installs requirements.lock only; dev tools used to take 270 MB of it."""
    assert not DEV_TOOLS & set(_locked(ROOT / "requirements.lock"))
    assert set(_locked(ROOT / "requirements-dev.lock")) >= DEV_TOOLS


def test_every_declared_dependency_is_locked_and_declared_as_a_range() -> None:
    project = _project()
    runtime = project["dependencies"]
    dev = project["optional-dependencies"]["dev"]  # type: ignore[index]
    assert isinstance(runtime, list)
    assert {_name(r) for r in runtime} <= set(_locked(ROOT / "requirements.lock"))
    assert {_name(r) for r in dev} <= set(_locked(ROOT / "requirements-dev.lock"))
    assert not [r for r in [*runtime, *dev] if "==" in r]


def test_the_store_extras_are_ranges_locked_for_the_tests() -> None:
    """`make test` exercises the store, so the dev lock holds its extras; users install them on demand."""
    extras = _project()["optional-dependencies"]
    store = [r for r in [*extras["store"], *extras["postgres"]] if not r.startswith("uprooted")]  # type: ignore[index]
    assert {_name(r) for r in store} <= set(_locked(ROOT / "requirements-dev.lock"))
    assert not {_name(r) for r in store} & set(_locked(ROOT / "requirements.lock"))
    assert not [r for r in store if "==" in r]


def test_the_package_is_typed_and_knows_its_version() -> None:
    import uprooted

    assert (ROOT / "src" / "uprooted" / "py.typed").is_file()
    assert uprooted.__version__ == version("uprooted")


def test_no_runtime_dependency_carries_share_alike_terms() -> None:
    """An MIT project cannot ship a database under ODbL or CC BY-SA terms: the gazetteer built from one
    would be a derivative database under the same terms."""
    from importlib.metadata import PackageNotFoundError, metadata

    share_alike = re.compile(r"ODbL|Open Database License|Share-?Alike|CC-BY-SA|CC BY-SA", re.I)
    offenders = []
    for name in _locked(ROOT / "requirements.lock"):
        try:
            meta = metadata(name)
        except PackageNotFoundError:
            continue
        terms = " ".join([meta.get("License-Expression") or "", meta.get("License") or "",
                          *(meta.get_all("Classifier") or [])])
        if share_alike.search(terms):
            offenders.append(name)
    assert offenders == []
