"""The station poster: A4 PNG and PDF, the web link on the large code, Telegram on the small one."""

from __future__ import annotations

import pytest
import segno
from PIL import Image

from bot import cli
from bot.poster import A4, FontMissing, _qr, cjk_font_file, station_web_link, write_poster
from knowledge.errors import KnowledgeError
from knowledge.stations import Station

STATION = Station(id=7, name="迎江区暖民稳岗服务站", region="安徽省安庆市迎江区", address="人民路1号",
                  phone="0556-5512345", hours="除夕至初六 9:00-17:00")

try:
    cjk_font_file()
    NO_FONT = ""
except FontMissing as exc:
    NO_FONT = str(exc)
needs_font = pytest.mark.skipif(bool(NO_FONT), reason=f"no CJK font: {NO_FONT} (.ci/run installs fonts-noto-cjk)")


def test_qr_image_matches_the_code() -> None:
    link = "https://nuanxin.example.cn/s/7"
    image = _qr(link, 400).convert("L")
    matrix = [list(row) for row in segno.make(link, error="m").matrix_iter(scale=1, border=2)]
    scale = image.width // len(matrix)
    assert scale >= 8
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = image.getpixel((x * scale + scale // 2, y * scale + scale // 2))
            assert (pixel < 128) == bool(dark)


@needs_font
def test_poster_with_web_link_and_telegram(tmp_path) -> None:
    files = write_poster(STATION, "安庆迎江区", tmp_path / "p.png", public_url="https://nuanxin.example.cn/",
                         bot_username="@nuanxin_bot")
    assert files.main_link == "https://nuanxin.example.cn/s/7"
    assert files.second_link == "https://t.me/nuanxin_bot?start=st_7"
    with Image.open(files.png) as image:
        assert image.size == A4
        # Mostly white paper, a red band on top.
        assert image.getpixel((10, 10))[:3] == (198, 40, 40) and image.getpixel((10, A4[1] // 2))[:3] == (255, 255, 255)
    assert files.pdf.read_bytes().startswith(b"%PDF")


@needs_font
def test_poster_telegram_only(tmp_path) -> None:
    files = write_poster(STATION, "安庆迎江区", tmp_path / "p.png", bot_username="nuanxin_bot", pdf=False)
    assert files.main_link == "https://t.me/nuanxin_bot?start=st_7" and files.second_link is None and files.pdf is None
    with pytest.raises(KnowledgeError):
        write_poster(STATION, "安庆迎江区", tmp_path / "q.png")


def test_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUANXIN_CJK_FONT", "/nonexistent/font.ttc")
    with pytest.raises(FontMissing, match="fonts-noto-cjk"):
        cjk_font_file()


def test_station_web_link() -> None:
    assert station_web_link("https://a.cn/", 3) == "https://a.cn/s/3"


@needs_font
def test_station_qr_command(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("BOT_DATABASE", str(tmp_path / "bot.db"))
    monkeypatch.setenv("BOT_PUBLIC_URL", "https://nuanxin.example.cn")
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    assert cli.main(["station", "add", "--name", "测试站", "--region", "迎江区", "--phone", "0556-5512345"]) == 0
    out = tmp_path / "poster.png"
    assert cli.main(["station", "qr", "1", "--bot", "nuanxin_bot", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "https://nuanxin.example.cn/s/1" in printed and "st_1" in printed
    assert out.exists() and out.with_suffix(".pdf").exists()
    code = tmp_path / "code.png"
    assert cli.main(["station", "qr", "1", "--code-only", "--out", str(code)]) == 0
    assert code.read_bytes().startswith(b"\x89PNG")
