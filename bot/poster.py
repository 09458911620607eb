"""The station poster: an A4 page (PNG, and PDF) to print and put up at a service station.

Station name, address, holiday hours and phone, one large QR code and three plain lines on how to use
it. The large code opens the web chat (`BOT_PUBLIC_URL/s/<id>`, which WeChat's scanner opens) when a
public URL is set; the Telegram deep link is then a second, smaller code. Chinese needs a CJK font:
Debian's fonts-noto-cjk or fonts-wqy-microhei, or a file named by NUANXIN_CJK_FONT."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from knowledge.errors import KnowledgeError
from knowledge.stations import Station

DPI = 200
A4 = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))     # 1654 x 2339 px
MARGIN = 110
RED, DARK, GREY, PALE = (198, 40, 40), (34, 34, 34), (110, 100, 90), (255, 243, 241)
FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-{weight}.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]
WEB_STEPS = ("① 用微信“扫一扫”或手机相机扫上面的大二维码",
             "② 直接打字提问，比如“留岗红包怎么领”，或点话题按钮",
             "③ 不用登录、不用下载、免费；答案按本站所在地区给出")
TELEGRAM_STEPS = ("① 用手机扫上面的二维码，在 Telegram 里打开暖心助手",
                  "② 点“开始”，就会收到本站的通知，地区也自动设好",
                  "③ 直接打字提问，比如“留岗红包怎么领”，或点话题按钮")


class FontMissing(KnowledgeError):
    """No font that can write Chinese was found."""


@dataclass
class PosterFiles:
    """What `write_poster` wrote."""

    png: Path
    pdf: Path | None
    main_link: str
    second_link: str | None


def station_web_link(public_url: str, station_id: int) -> str:
    """The web chat link a station's poster carries."""
    return f"{public_url.rstrip('/')}/s/{station_id}"


def cjk_font_file(bold: bool = False) -> tuple[str, int]:
    """(path, index in the collection) of a font with Simplified Chinese."""
    wanted = os.environ.get("NUANXIN_CJK_FONT")
    candidates = [wanted] if wanted else [f.format(weight="Bold" if bold else "Regular") for f in FONT_FILES]
    for path in candidates:
        if not path or not Path(path).exists():
            continue
        for index in range(8):     # a collection: pick its Simplified Chinese face
            try:
                name = ImageFont.truetype(path, 12, index=index).getname()[0]
            except OSError:
                break
            if "SC" in name or "Micro Hei" in name or "Zen Hei" in name or "PingFang" in name or "YaHei" in name:
                return path, index
        return path, 0
    raise FontMissing("找不到中文字体，无法生成海报。请安装：apt-get install fonts-noto-cjk"
                      "（或 fonts-wqy-microhei），或用 NUANXIN_CJK_FONT 指定字体文件。")


class _Fonts:
    def __init__(self) -> None:
        self.regular, self.bold = cjk_font_file(False), cjk_font_file(True)
        self.cache: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}

    def __call__(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        if (size, bold) not in self.cache:
            path, index = self.bold if bold else self.regular
            self.cache[(size, bold)] = ImageFont.truetype(path, size, index=index)
        return self.cache[(size, bold)]


def _qr(link: str, size: int) -> Image.Image:
    """A QR code image of about `size` pixels, drawn with whole pixels per module."""
    code = segno.make(link, error="m")
    modules = code.symbol_size(scale=1, border=2)[0]
    scale = max(1, size // modules)
    image = Image.new("1", (modules * scale, modules * scale), 1)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(code.matrix_iter(scale=1, border=2)):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle([x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1], fill=0)
    return image.convert("RGB")


NO_LINE_START = "）)，。、；：！？”’》"


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break Chinese text into lines that fit `width` (closing punctuation never starts a line)."""
    lines, line = [], ""
    for char in text:
        if line and char not in NO_LINE_START and draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return lines + ([line] if line else [])


def render_poster(station: Station, region_short: str, main_link: str, second_link: str | None = None,
                  web: bool = True) -> Image.Image:
    """The poster as an A4 image at 200 dpi; the large code takes whatever room the texts leave."""
    font = _Fonts()
    width, height = A4
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    inner = width - 2 * MARGIN

    # Measure the texts first.
    name_font = font(84 if len(station.name) <= 24 else 68, True)
    name_lines = _wrap(draw, station.name, name_font, inner)[:3]
    steps = [line for step in (WEB_STEPS if web else TELEGRAM_STEPS) for line in _wrap(draw, step, font(44), inner)]
    details = [("地址", station.address), ("春节开放", station.hours), ("电话", station.phone)]
    detail_lines = []
    for label, text in details:
        if text:
            for i, line in enumerate(_wrap(draw, f"{label}：{text}", font(44), inner - 60)[:4]):
                detail_lines.append((line if i == 0 else "　　" + line, label == "电话"))
    band, second_height = 300, (300 if second_link else 40)
    fixed = (band + 60 + len(name_lines) * (name_font.size + 20) + 80   # name and region
             + 60 + 92 + 70                                           # code frame, hint, link
             + len(steps) * 60 + 40
             + (len(detail_lines) * 62 + 50 + 30 if detail_lines else 0)
             + second_height)
    qr_size = max(480, min(900 if second_link else 960, height - fixed))

    # Red band: who we are.
    draw.rectangle([0, 0, width, band], fill=RED)
    draw.text((width // 2, 120), "暖心助手", font=font(112, True), fill="white", anchor="mm")
    draw.text((width // 2, 235), "就地过年帮扶政策 · 扫码就能问", font=font(54), fill="white", anchor="mm")

    y = band + 60
    for line in name_lines:
        draw.text((width // 2, y), line, font=name_font, fill=DARK, anchor="ma")
        y += name_font.size + 20
    draw.text((width // 2, y), f"（{region_short}）", font=font(48), fill=GREY, anchor="ma")
    y += 80 + 30

    # The large code.
    code = _qr(main_link, qr_size)
    x = (width - code.width) // 2
    draw.rectangle([x - 16, y - 16, x + code.width + 16, y + code.height + 16], outline=RED, width=8)
    page.paste(code, (x, y))
    y += code.height + 40
    hint = "微信扫一扫  打开就能问" if web else "用手机扫码  在 Telegram 里打开"
    draw.text((width // 2, y), hint, font=font(64, True), fill=RED, anchor="ma")
    y += 92
    draw.text((width // 2, y), main_link, font=font(34), fill=GREY, anchor="ma")
    y += 70

    # Three plain lines.
    for line in steps:
        draw.text((MARGIN, y), line, font=font(44), fill=DARK)
        y += 60
    y += 30

    # The station: address, holiday hours, phone.
    if detail_lines:
        box_height = len(detail_lines) * 62 + 50
        draw.rounded_rectangle([MARGIN, y, width - MARGIN, y + box_height], radius=24, fill=PALE)
        ty = y + 25
        for line, bold in detail_lines:
            draw.text((MARGIN + 30, ty), line, font=font(44, bold), fill=DARK)
            ty += 62

    # The second, smaller code.
    if second_link:
        small = _qr(second_link, 230)
        sy = height - small.height - 50
        page.paste(small, (MARGIN, sy))
        tx = MARGIN + small.width + 40
        draw.text((tx, sy + 30), "已在用 Telegram 的工友，也可以扫这个：", font=font(38), fill=GREY)
        draw.text((tx, sy + 90), "收本站通知、地区自动设好", font=font(38), fill=GREY)
        for i, line in enumerate(_wrap(draw, second_link, font(30), width - MARGIN - tx)):
            draw.text((tx, sy + 150 + i * 40), line, font=font(30), fill=GREY)
    return page


def write_poster(station: Station, region_short: str, out: Path, *, public_url: str = "",
                 bot_username: str = "", pdf: bool = True) -> PosterFiles:
    """Render and save the poster (PNG, plus a PDF next to it)."""
    from bot.handlers_admin import station_link

    bot = bot_username.lstrip("@")
    telegram = station_link(bot, station.id) if bot else None
    if public_url:
        main, second, web = station_web_link(public_url, station.id), telegram, True
    elif telegram:
        main, second, web = telegram, None, False
    else:
        raise KnowledgeError("海报需要链接：请设置 BOT_PUBLIC_URL（网页聊天），或用 --bot 指定 Telegram 机器人用户名")
    image = render_poster(station, region_short, main, second, web=web)
    out = out.with_suffix(".png")
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, dpi=(DPI, DPI))
    pdf_path = None
    if pdf:
        pdf_path = out.with_suffix(".pdf")
        image.save(pdf_path, "PDF", resolution=DPI)
    return PosterFiles(png=out, pdf=pdf_path, main_link=main, second_link=second)
