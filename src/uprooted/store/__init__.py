"""The store: documents and their records kept across runs (``uprooted ingest``, ``export``,
``reprocess``, ``db``), in one SQLite file or a PostgreSQL server with the same schema.

An optional extra (``uprooted[store]``): nothing here imports SQLAlchemy at import time, so
``import uprooted`` stays light; ``missing_extra`` tells the command line what to install when the
extra is absent. The modules: ``models`` (tables), ``db`` (opening, migrations, error mapping),
``keys`` (canonical keys and hashes), ``inputs`` (feeds and WARC files beside what ``read`` reads),
``ingest`` (write and reprocess), ``cluster`` (extraction on Dask workers: the ``cluster`` extra),
``decisions``, ``export`` and ``formats`` (the exports), ``cli``.
"""

from __future__ import annotations

from importlib.util import find_spec

__all__ = ["CLUSTER_HINT", "INSTALL_HINT", "missing_cluster_extra", "missing_extra"]

INSTALL_HINT = "pip install 'uprooted[store]'  (and 'uprooted[postgres]' for a PostgreSQL server)"

CLUSTER_HINT = "pip install 'uprooted[cluster]'"

_NEEDED = ("sqlalchemy", "alembic", "feedparser", "warcio")
_CLUSTER = ("dask", "distributed")


def absent(name: str) -> bool:
    """Whether a library is not installed, probed without importing it (the web extra asks too)."""
    try:
        return find_spec(name) is None
    except ValueError:  # set to None in sys.modules: imports of it are blocked
        return True


def missing_extra() -> list[str]:
    """The store's libraries that are not installed (probed without importing them)."""
    return [name for name in _NEEDED if absent(name)]


def missing_cluster_extra() -> list[str]:
    """The libraries of ``ingest --dask`` (the ``cluster`` extra) that are not installed."""
    return [name for name in _CLUSTER if absent(name)]
