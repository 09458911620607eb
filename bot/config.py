"""Configuration: one frozen dataclass read from the environment (and `.env`)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from dotenv import load_dotenv

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class ConfigError(ValueError):
    """A setting in the environment cannot be used."""


@dataclass(frozen=True)
class Config:
    """Everything the bot reads from its environment."""

    token: str = ""
    api_base_url: str = DEFAULT_API_BASE_URL
    database: Path = Path("data/bot.db")
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    timezone: str = "Asia/Shanghai"
    outbox_rate: float = 28.0
    today_override: dt.date | None = None   # BOT_TODAY: pretend it is this date (staging)
    retry_hours: float = 24.0            # notices: transient faults are retried this long
    retention_days: int = 180            # logged questions are deleted after this many days
    web_port: int = 8080
    public_url: str = ""                       # e.g. https://nuanxin.example.cn (web chat, posters)
    web_trusted_proxies: str = "127.0.0.1"     # addresses whose X-Forwarded-* headers are believed
    quiet_hours: bool = True             # BOT_QUIET_HOURS=0: notices go out at night too (tests, staging)

    @property
    def retry_deadline(self) -> dt.timedelta:
        """How long a notice is retried through transient faults."""
        return dt.timedelta(hours=self.retry_hours)

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        """Today in the bot's time zone, or BOT_TODAY when set (to check a season ahead of time)."""
        return self.today_override or dt.datetime.now(self.tz).date()

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, dotenv: bool = True) -> Config:
        """Read the settings from `env` (default: os.environ, after loading `.env`)."""
        if env is None:
            if dotenv:
                load_dotenv()
            env = dict(os.environ)
        try:
            admins = frozenset(
                int(part) for part in env.get("BOT_ADMIN_IDS", "").replace(" ", "").split(",") if part
            )
        except ValueError as exc:
            raise ConfigError("BOT_ADMIN_IDS 必须是用逗号分隔的数字 Telegram 用户 id") from exc
        timezone = env.get("BOT_TIMEZONE") or "Asia/Shanghai"
        try:
            ZoneInfo(timezone)
        except Exception as exc:  # ZoneInfoNotFoundError, ValueError
            raise ConfigError(f"BOT_TIMEZONE 不是有效的时区: {timezone}") from exc
        try:
            rate = float(env.get("BOT_OUTBOX_RATE") or 28)
        except ValueError as exc:
            raise ConfigError("BOT_OUTBOX_RATE 必须是每秒条数") from exc
        try:
            today = dt.date.fromisoformat(env["BOT_TODAY"].strip()) if env.get("BOT_TODAY", "").strip() else None
        except ValueError as exc:
            raise ConfigError("BOT_TODAY 必须是 YYYY-MM-DD 日期") from exc
        try:
            retry_hours = float(env.get("BOT_RETRY_HOURS") or 24)
            retention_days = int(env.get("BOT_QUESTION_RETENTION_DAYS") or 180)
        except ValueError as exc:
            raise ConfigError("BOT_RETRY_HOURS 必须是小时数，BOT_QUESTION_RETENTION_DAYS 必须是天数") from exc
        try:
            web_port = int(env.get("BOT_WEB_PORT") or 8080)
        except ValueError as exc:
            raise ConfigError("BOT_WEB_PORT 必须是端口号") from exc
        public_url = (env.get("BOT_PUBLIC_URL") or "").strip().rstrip("/")
        if public_url and not public_url.startswith(("http://", "https://")):
            raise ConfigError("BOT_PUBLIC_URL 要以 https:// 开头，例如 https://nuanxin.example.cn")
        return cls(
            today_override=today,
            web_port=web_port,
            public_url=public_url,
            web_trusted_proxies=env.get("BOT_WEB_TRUSTED_PROXIES") or "127.0.0.1",
            outbox_rate=rate,
            retry_hours=retry_hours,
            retention_days=retention_days,
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or DEFAULT_API_BASE_URL,
            database=Path(env.get("BOT_DATABASE") or "data/bot.db"),
            admin_ids=admins,
            timezone=timezone,
            quiet_hours=env.get("BOT_QUIET_HOURS", "1").strip() not in ("0", "false", "no"),
        )
