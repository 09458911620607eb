"""The web channel: a mobile chat page and a small JSON API on the same Assistant as the bot.

Opened from a station's QR code in WeChat's (or any) in-app browser; no login, no external assets."""

from web.app import create_app

__all__ = ["create_app"]
