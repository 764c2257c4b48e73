"""Settings, read once from the environment (12-factor) into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
ENCODERS = ("onnx", "torch")  # onnxruntime (default, no torch) or sentence-transformers


class SettingsError(Exception):
    """A setting with a missing or malformed value; the message names the variable."""


def _split(value: str | None, sep: str = ",") -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(sep) if part.strip())


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _encoder(value: str | None) -> str:
    value = (value or "").strip().lower() or ENCODERS[0]
    if value not in ENCODERS:
        raise SettingsError(f"ROLEBOT_ENCODER must be one of {', '.join(ENCODERS)}, got {value!r}")
    return value


def _user_cache_dir(env: Mapping[str, str]) -> Path | None:
    """$XDG_CACHE_HOME/rolebot, else ~/.cache/rolebot; None without a home directory."""
    base = env.get("XDG_CACHE_HOME") or (
        str(Path(env["HOME"]) / ".cache") if env.get("HOME") else ""
    )
    return Path(base) / "rolebot" if base else None


def _adapter(value: str | None) -> str:
    value = (value or "").strip()
    if value.lower() in {"", "shipped"}:
        return "shipped"
    if value.lower() in {"none", "off", "0", "false"}:
        return "none"
    return value


@dataclass(frozen=True)
class Settings:
    model: str = BUNDLED_MODEL
    encoder: str = "onnx"  # ROLEBOT_ENCODER: "onnx" or "torch" (tune always uses torch)
    data_dir: Path = Path(".rolebot")
    # The ONNX graph made from the model, shared by every data directory of this user.
    user_cache_dir: Path | None = None
    knowledge_paths: tuple[Path, ...] = ()  # empty: the shipped guide
    log_level: str | None = None  # None: each command picks its own default
    query_adapter: str = "shipped"  # "shipped", "none", or the path of a `rolebot tune` file
    # Slack
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    onboarding_channels: tuple[str, ...] = ()
    welcome_dm: bool = False
    admins: tuple[str, ...] = ()
    # Storage
    database_url: str | None = None
    db_path: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("ROLEBOT_DATA_DIR") or ".rolebot")
        api_url = env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        if not api_url.endswith("/"):
            api_url += "/"
        return cls(
            model=env.get("ROLEBOT_MODEL") or BUNDLED_MODEL,
            encoder=_encoder(env.get("ROLEBOT_ENCODER")),
            data_dir=data_dir,
            user_cache_dir=_user_cache_dir(env),
            knowledge_paths=tuple(
                Path(p) for p in _split(env.get("ROLEBOT_KNOWLEDGE"), os.pathsep)
            ),
            log_level=(env.get("ROLEBOT_LOG_LEVEL") or "").upper() or None,
            query_adapter=_adapter(env.get("ROLEBOT_QUERY_ADAPTER")),
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_client_id=env.get("SLACK_CLIENT_ID") or None,
            slack_client_secret=env.get("SLACK_CLIENT_SECRET") or None,
            slack_api_url=api_url,
            port=_int(env, "PORT", 3000),
            onboarding_channels=_split(env.get("ROLEBOT_ONBOARDING_CHANNELS")),
            welcome_dm=_flag(env.get("ROLEBOT_WELCOME_DM")),
            admins=_split(env.get("ROLEBOT_ADMINS")),
            database_url=env.get("DATABASE_URL") or None,
            db_path=Path(env["ROLEBOT_DB"]) if env.get("ROLEBOT_DB") else None,
        )

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"
