"""Photos for the demo catalogue, drawn with Pillow.

The demo must work offline and ship no binary assets, so every picture is
drawn here: a warm gradient and a few shapes that suggest the product. No
text is drawn: the machines that run the demo may have no CJK or Uyghur font.
A picture depends only on its kind and seed, so a re-run draws the same one.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageOps

PHOTO_SIZE = (800, 600)

Color = tuple[int, int, int]

# Background gradients, top colour to bottom colour: sand, apricot, dusk.
_WARM_GRADIENTS: tuple[tuple[Color, Color], ...] = (
    ((250, 226, 186), (229, 150, 92)),
    ((252, 236, 206), (216, 128, 86)),
    ((247, 214, 170), (190, 98, 72)),
    ((253, 240, 214), (236, 170, 110)),
)


def _rng(seed: int) -> random.Random:
    # Pictures only need to vary, not to be unpredictable.
    return random.Random(seed)  # noqa: S311


def _background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    top, bottom = rng.choice(_WARM_GRADIENTS)
    # A 256-pixel ramp stretched to the picture is much faster than drawing line by line.
    ramp = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, black=top, white=bottom)


def _shade(color: Color, factor: float) -> Color:
    red, green, blue = (max(0, min(255, round(channel * factor))) for channel in color)
    return (red, green, blue)


def _shadow(image: Image.Image, box: tuple[float, float, float, float]) -> None:
    """A soft shadow on the ground below the subject, so it does not float."""
    layer = Image.new("L", image.size, 0)
    ImageDraw.Draw(layer).ellipse(box, fill=110)
    layer = layer.filter(ImageFilter.GaussianBlur(18))
    image.paste((90, 50, 30), mask=layer)


def _ball(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, color: Color) -> None:
    """A round fruit with a darker rim and a highlight, which reads as a sphere."""
    draw.ellipse((x - r, y - r, x + r, y + r), fill=_shade(color, 0.72))
    draw.ellipse((x - r * 0.92, y - r * 0.95, x + r * 0.88, y + r * 0.85), fill=color)
    h = r * 0.28
    draw.ellipse((x - r * 0.45 - h, y - r * 0.45 - h, x - r * 0.45 + h, y - r * 0.45 + h), fill=_shade(color, 1.35))


def _oval(draw: ImageDraw.ImageDraw, x: float, y: float, rx: float, ry: float, color: Color) -> None:
    draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=_shade(color, 0.7))
    draw.ellipse((x - rx * 0.9, y - ry * 0.9, x + rx * 0.85, y + ry * 0.8), fill=color)
    draw.ellipse((x - rx * 0.55, y - ry * 0.6, x - rx * 0.15, y - ry * 0.3), fill=_shade(color, 1.3))


def _leaf(draw: ImageDraw.ImageDraw, x: float, y: float, length: float, angle: float, color: Color) -> None:
    dx, dy = math.cos(angle) * length, math.sin(angle) * length
    nx, ny = -dy * 0.35, dx * 0.35
    points = [(x, y), (x + dx / 2 + nx, y + dy / 2 + ny), (x + dx, y + dy), (x + dx / 2 - nx, y + dy / 2 - ny)]
    draw.polygon(points, fill=color)
    draw.line([(x, y), (x + dx, y + dy)], fill=_shade(color, 0.7), width=3)


def _pile(
    image: Image.Image, rng: random.Random, *, count: int, radius: tuple[int, int], colors: tuple[Color, ...]
) -> None:
    """A heap of small round things (walnuts, apricots): wider at the bottom, like a real pile."""
    w, h = image.size
    _shadow(image, (w * 0.18, h * 0.72, w * 0.82, h * 0.92))
    draw = ImageDraw.Draw(image)
    pieces = []
    for _ in range(count):
        spread = rng.random()
        x = w / 2 + rng.uniform(-1, 1) * w * (0.12 + 0.22 * spread)
        y = h * 0.82 - (1 - spread) * h * 0.42 + rng.uniform(-18, 18)
        pieces.append((y, x))
    for y, x in sorted(pieces):
        _ball(draw, x, y, rng.randint(*radius), rng.choice(colors))


def _grapes(image: Image.Image, rng: random.Random, colors: tuple[Color, ...]) -> None:
    w, h = image.size
    _shadow(image, (w * 0.3, h * 0.8, w * 0.7, h * 0.95))
    draw = ImageDraw.Draw(image)
    top = h * 0.2
    draw.line([(w / 2, top - 50), (w / 2 + 10, top + 10)], fill=(110, 80, 40), width=8)
    _leaf(draw, w / 2 + 5, top - 30, 120, -0.4, (96, 150, 60))
    # Rows narrow towards the tip: the silhouette of a bunch.
    rows = 8
    for row in range(rows):
        across = max(1, round(6 * (1 - row / rows)) + 1)
        y = top + 30 + row * 42
        for i in range(across):
            x = w / 2 + (i - (across - 1) / 2) * 46 + rng.uniform(-6, 6)
            _ball(draw, x, y + rng.uniform(-5, 5), 26, rng.choice(colors))


def grapes(image: Image.Image, rng: random.Random) -> None:
    _grapes(image, rng, ((170, 200, 90), (196, 214, 104), (150, 186, 80), (214, 208, 110)))


def raisins(image: Image.Image, rng: random.Random) -> None:
    _pile(image, rng, count=160, radius=(12, 16), colors=((140, 150, 60), (120, 120, 50), (160, 140, 70)))


def hami_melon(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.15, h * 0.74, w * 0.85, h * 0.94))
    cx, cy, rx, ry = w / 2, h * 0.52, w * 0.33, h * 0.3
    body = Image.new("L", image.size, 0)
    ImageDraw.Draw(body).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
    skin = Image.new("RGB", image.size, (214, 196, 96))
    draw = ImageDraw.Draw(skin)
    # Dark green stripes running pole to pole, then the netted rind.
    for i in range(-5, 6):
        x = cx + i * rx / 5.5
        draw.arc((x - 40, cy - ry, x + 40, cy + ry), 250, 290, fill=(80, 120, 50), width=18)
        draw.line([(x, cy - ry), (x + rng.uniform(-20, 20), cy + ry)], fill=(96, 134, 58), width=14)
    for _ in range(260):
        x, y = rng.uniform(cx - rx, cx + rx), rng.uniform(cy - ry, cy + ry)
        draw.line([(x, y), (x + rng.uniform(-18, 18), y + rng.uniform(-18, 18))], fill=(236, 224, 170), width=2)
    image.paste(skin, mask=body)
    ImageDraw.Draw(image).ellipse((cx - rx * 0.6, cy - ry * 0.7, cx - rx * 0.2, cy - ry * 0.4), fill=(236, 226, 150))


def _petal_flower(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, color: Color, petals: int = 6) -> None:
    for k in range(petals):
        angle = k * 2 * math.pi / petals
        px, py = x + math.cos(angle) * r * 0.55, y + math.sin(angle) * r * 0.55
        draw.ellipse((px - r * 0.5, py - r * 0.5, px + r * 0.5, py + r * 0.5), fill=color)
    draw.ellipse((x - r * 0.35, y - r * 0.35, x + r * 0.35, y + r * 0.35), fill=_shade(color, 0.75))


def rose_tea(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.22, h * 0.78, w * 0.78, h * 0.94))
    draw = ImageDraw.Draw(image)
    # A glass cup of rose-coloured tea among scattered petals and buds.
    draw.rounded_rectangle((w * 0.36, h * 0.4, w * 0.64, h * 0.84), radius=30, fill=(250, 240, 236))
    draw.rounded_rectangle((w * 0.38, h * 0.48, w * 0.62, h * 0.82), radius=24, fill=(214, 96, 120))
    draw.arc((w * 0.6, h * 0.5, w * 0.72, h * 0.7), 270, 90, fill=(250, 240, 236), width=12)
    for _ in range(26):
        x, y = rng.uniform(w * 0.06, w * 0.94), rng.uniform(h * 0.08, h * 0.92)
        if w * 0.3 < x < w * 0.74 and y > h * 0.34:
            continue
        color = rng.choice(((236, 120, 150), (222, 90, 130), (245, 160, 180)))
        if rng.random() < 0.5:
            _petal_flower(draw, x, y, rng.uniform(20, 34), color, petals=5)
        else:
            _oval(draw, x, y, rng.uniform(10, 18), rng.uniform(18, 26), color)


def _jar(image: Image.Image, jam: Color, lid: Color) -> None:
    w, h = image.size
    _shadow(image, (w * 0.26, h * 0.8, w * 0.74, h * 0.95))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((w * 0.32, h * 0.3, w * 0.68, h * 0.88), radius=40, fill=_shade(jam, 0.8))
    draw.rounded_rectangle((w * 0.34, h * 0.33, w * 0.66, h * 0.85), radius=36, fill=jam)
    draw.rectangle((w * 0.38, h * 0.38, w * 0.42, h * 0.78), fill=_shade(jam, 1.35))
    draw.rounded_rectangle((w * 0.3, h * 0.2, w * 0.7, h * 0.32), radius=12, fill=lid)
    # A paper label with a simple pattern instead of words.
    draw.rectangle((w * 0.38, h * 0.52, w * 0.62, h * 0.68), fill=(250, 240, 220))
    for i in range(6):
        x = w * 0.4 + i * w * 0.04
        draw.ellipse((x - 6, h * 0.6 - 6, x + 6, h * 0.6 + 6), fill=lid)


def rose_jam(image: Image.Image, rng: random.Random) -> None:
    _jar(image, (190, 50, 90), (230, 140, 160))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for _ in range(8):
        x = rng.choice((rng.uniform(w * 0.06, w * 0.26), rng.uniform(w * 0.74, w * 0.94)))
        _petal_flower(draw, x, rng.uniform(h * 0.15, h * 0.85), rng.uniform(20, 30), (236, 120, 150), petals=5)


def apricot_jam(image: Image.Image, rng: random.Random) -> None:
    _jar(image, (232, 140, 40), (200, 90, 40))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for x in (w * 0.16, w * 0.84):
        _ball(draw, x, h * 0.8, 42, (244, 160, 60))


def fig_jam(image: Image.Image, rng: random.Random) -> None:
    _jar(image, (120, 50, 70), (160, 110, 60))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for x in (w * 0.16, w * 0.84):
        _oval(draw, x, h * 0.78, 40, 50, (110, 60, 100))


def walnuts(image: Image.Image, rng: random.Random) -> None:
    _pile(image, rng, count=40, radius=(34, 42), colors=((176, 128, 80), (160, 112, 70), (190, 144, 92)))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    # A few cracked-open halves on top show the kernel.
    for _ in range(4):
        x, y = rng.uniform(w * 0.35, w * 0.65), rng.uniform(h * 0.45, h * 0.7)
        draw.ellipse((x - 30, y - 26, x + 30, y + 26), fill=(222, 190, 140))
        draw.arc((x - 22, y - 18, x + 22, y + 18), 0, 360, fill=(150, 100, 60), width=4)


def almonds(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.18, h * 0.72, w * 0.82, h * 0.92))
    draw = ImageDraw.Draw(image)
    for _ in range(70):
        x = w / 2 + rng.uniform(-1, 1) * w * 0.3
        y = rng.uniform(h * 0.35, h * 0.85)
        _oval(draw, x, y, rng.uniform(16, 20), rng.uniform(26, 32), rng.choice(((200, 150, 100), (186, 132, 86))))


def jujubes(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.18, h * 0.72, w * 0.82, h * 0.92))
    draw = ImageDraw.Draw(image)
    pieces = sorted((rng.uniform(h * 0.4, h * 0.84), w / 2 + rng.uniform(-1, 1) * w * 0.3) for _ in range(60))
    for y, x in pieces:
        _oval(draw, x, y, rng.uniform(26, 32), rng.uniform(36, 44), rng.choice(((170, 30, 30), (140, 24, 28))))


def apricots(image: Image.Image, rng: random.Random) -> None:
    _pile(image, rng, count=30, radius=(40, 50), colors=((246, 160, 50), (240, 140, 40), (250, 180, 70)))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    _leaf(draw, w * 0.52, h * 0.36, 110, -2.4, (96, 150, 60))


def dried_apricots(image: Image.Image, rng: random.Random) -> None:
    _pile(image, rng, count=70, radius=(22, 28), colors=((214, 130, 40), (196, 110, 36), (226, 150, 60)))


def figs(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.18, h * 0.72, w * 0.82, h * 0.92))
    draw = ImageDraw.Draw(image)
    for i in range(7):
        x = w * 0.22 + i * w * 0.093 + rng.uniform(-10, 10)
        y = h * (0.58 if i % 2 else 0.7)
        # Teardrop: a round base with a narrow neck.
        draw.polygon([(x - 34, y), (x, y - 92), (x + 34, y)], fill=(108, 64, 104))
        _ball(draw, x, y, 52, (118, 70, 112))
    # One cut fig shows its red flesh.
    cx, cy = w * 0.5, h * 0.34
    draw.ellipse((cx - 56, cy - 56, cx + 56, cy + 56), fill=(108, 64, 104))
    draw.ellipse((cx - 46, cy - 46, cx + 46, cy + 46), fill=(210, 70, 80))
    for _ in range(40):
        x, y = cx + rng.uniform(-30, 30), cy + rng.uniform(-30, 30)
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(250, 220, 170))


def pears(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.14, h * 0.76, w * 0.86, h * 0.94))
    draw = ImageDraw.Draw(image)
    for i in range(4):
        x = w * 0.2 + i * w * 0.2
        y = h * 0.64 + rng.uniform(-12, 12)
        color = rng.choice(((200, 210, 100), (214, 214, 110), (190, 200, 90)))
        _ball(draw, x, y, 78, color)
        _ball(draw, x, y - 80, 48, color)
        draw.line([(x, y - 124), (x + 8, y - 154)], fill=(110, 80, 40), width=6)


def apples(image: Image.Image, rng: random.Random) -> None:
    _pile(image, rng, count=14, radius=(62, 72), colors=((200, 40, 40), (214, 60, 44), (186, 36, 40)))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    # Aksu's "rock-sugar heart": a halved apple with a glassy amber core.
    cx, cy = w * 0.5, h * 0.3
    draw.ellipse((cx - 80, cy - 70, cx + 80, cy + 70), fill=(200, 40, 40))
    draw.ellipse((cx - 70, cy - 60, cx + 70, cy + 60), fill=(250, 236, 190))
    draw.ellipse((cx - 34, cy - 30, cx + 34, cy + 30), fill=(232, 180, 90))


def pomegranates(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.14, h * 0.76, w * 0.86, h * 0.94))
    draw = ImageDraw.Draw(image)
    for x, y, r in ((w * 0.3, h * 0.62, 100), (w * 0.68, h * 0.64, 92)):
        draw.polygon(
            [(x - 22, y - r + 6), (x - 14, y - r - 30), (x, y - r - 10), (x + 14, y - r - 30), (x + 22, y - r + 6)],
            fill=(150, 30, 30),
        )
        _ball(draw, x, y, r, (190, 36, 44))
    # Seeds spilling from the open one.
    for _ in range(60):
        x, y = rng.uniform(w * 0.38, w * 0.62), rng.uniform(h * 0.74, h * 0.88)
        draw.ellipse((x - 7, y - 9, x + 7, y + 9), fill=rng.choice(((220, 40, 70), (240, 70, 90))))


def flower_tea(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    _shadow(image, (w * 0.2, h * 0.74, w * 0.8, h * 0.92))
    draw = ImageDraw.Draw(image)
    for _ in range(90):
        x = w / 2 + rng.uniform(-1, 1) * w * 0.3
        y = rng.uniform(h * 0.3, h * 0.84)
        _petal_flower(draw, x, y, rng.uniform(12, 20), rng.choice(((240, 190, 40), (226, 150, 30))), petals=8)


def _ikat_band(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], colors: tuple[Color, ...]) -> None:
    """The blurred zigzag of atlas (ikat) silk: stacked chevrons in bright bands."""
    left, top, right, bottom = box
    step = 40
    band = (bottom - top) / len(colors)
    for i, color in enumerate(colors):
        y0 = top + i * band
        draw.rectangle((left, y0, right, y0 + band), fill=color)
        x = left
        while x < right:
            draw.polygon(
                [(x, y0 + band), (x + step / 2, y0 + band * 0.2), (x + step, y0 + band)],
                fill=colors[(i + 1) % len(colors)],
            )
            x += step


def atlas_silk(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    palettes = (
        ((200, 30, 70), (250, 200, 40), (30, 60, 150), (250, 250, 250), (20, 20, 20)),
        ((40, 140, 90), (250, 220, 60), (200, 40, 40), (40, 40, 120)),
        ((120, 30, 140), (240, 120, 40), (250, 230, 120), (30, 110, 170)),
    )
    cloth = Image.new("RGB", (int(w * 0.5), int(h * 0.9)))
    _ikat_band(ImageDraw.Draw(cloth), (0, 0, cloth.width, cloth.height), rng.choice(palettes))
    # Ikat threads are dyed before weaving, so the edges of the pattern blur.
    cloth = cloth.filter(ImageFilter.GaussianBlur(3)).rotate(-8, expand=True, fillcolor=None)
    mask = Image.new("L", (int(w * 0.5), int(h * 0.9)), 255).rotate(-8, expand=True)
    _shadow(image, (w * 0.22, h * 0.8, w * 0.8, h * 0.97))
    image.paste(cloth, (int(w * 0.24), int(h * 0.02)), mask)


def carpet(image: Image.Image, rng: random.Random) -> None:
    w, h = image.size
    field = rng.choice(((150, 30, 40), (40, 60, 120), (170, 70, 40)))
    border = (240, 220, 170)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = w * 0.1, h * 0.12, w * 0.9, h * 0.88
    draw.rectangle((left, top, right, bottom), fill=_shade(field, 0.6))
    draw.rectangle((left + 16, top + 16, right - 16, bottom - 16), fill=border)
    draw.rectangle((left + 40, top + 40, right - 40, bottom - 40), fill=field)
    # A border of small diamonds and a central medallion, as on Hotan carpets.
    for x in range(int(left + 28), int(right - 20), 34):
        for y in (top + 28, bottom - 28):
            draw.polygon([(x, y - 9), (x + 9, y), (x, y + 9), (x - 9, y)], fill=field)
    cx, cy = w / 2, h / 2
    for size, color in ((150, border), (110, (30, 90, 110)), (70, (230, 170, 60)), (30, field)):
        draw.polygon([(cx, cy - size), (cx + size * 1.4, cy), (cx, cy + size), (cx - size * 1.4, cy)], fill=color)
    for corner_x, corner_y in (
        (left + 90, top + 90),
        (right - 90, top + 90),
        (left + 90, bottom - 90),
        (right - 90, bottom - 90),
    ):
        _petal_flower(draw, corner_x, corner_y, 34, (230, 170, 60), petals=8)


PICTURES: dict[str, Callable[[Image.Image, random.Random], None]] = {
    "grapes": grapes,
    "raisins": raisins,
    "hami-melon": hami_melon,
    "rose-tea": rose_tea,
    "rose-jam": rose_jam,
    "apricot-jam": apricot_jam,
    "fig-jam": fig_jam,
    "walnuts": walnuts,
    "almonds": almonds,
    "jujubes": jujubes,
    "apricots": apricots,
    "dried-apricots": dried_apricots,
    "figs": figs,
    "pears": pears,
    "apples": apples,
    "pomegranates": pomegranates,
    "flower-tea": flower_tea,
    "atlas-silk": atlas_silk,
    "carpet": carpet,
}


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def product_photo(*, picture: str, seed: int) -> bytes:
    """A JPEG of the product kind ``picture`` (a key of ``PICTURES``) on a warm background."""
    rng = _rng(seed)
    image = _background(PHOTO_SIZE, rng)
    PICTURES[picture](image, rng)
    return _jpeg(image)


def village_photo(*, seed: int) -> bytes:
    """An oasis landscape: sky, snowy mountains, poplar rows and fields in the foreground."""
    rng = _rng(seed)
    w, h = PHOTO_SIZE
    sky = ImageOps.colorize(Image.linear_gradient("L").resize((w, h)), black=(120, 180, 230), white=(250, 220, 170))
    draw = ImageDraw.Draw(sky)
    horizon = h * rng.uniform(0.5, 0.6)
    peaks = [(0, horizon)]
    x = 0.0
    while x < w:
        x += rng.uniform(60, 140)
        peaks.append((x, horizon - rng.uniform(60, 170)))
    peaks.append((w, horizon))
    draw.polygon(peaks, fill=(150, 130, 140))
    for px, py in peaks[1:-1]:
        draw.polygon([(px - 26, py + 30), (px, py), (px + 26, py + 30)], fill=(245, 245, 250))
    draw.rectangle((0, horizon, w, h), fill=(214, 176, 110))
    # Fields of green and gold in strips, then the poplar windbreaks oases are known for.
    y = horizon
    while y < h:
        band = rng.uniform(24, 60)
        draw.rectangle((0, y, w, y + band), fill=rng.choice(((110, 160, 70), (150, 180, 80), (220, 190, 100))))
        y += band + 6
    for i in range(rng.randint(10, 18)):
        px = rng.uniform(0, w)
        tall = rng.uniform(70, 150)
        draw.line([(px, horizon + 10), (px, horizon - tall * 0.2)], fill=(100, 70, 40), width=4)
        draw.ellipse((px - 12, horizon - tall, px + 12, horizon + 5), fill=(60 + i % 3 * 15, 120, 60))
    # Mud-brick houses with flat roofs.
    for _ in range(rng.randint(2, 4)):
        hx, hy = rng.uniform(40, w - 140), horizon + rng.uniform(10, 50)
        draw.rectangle((hx, hy, hx + 100, hy + 60), fill=(200, 160, 110))
        draw.rectangle((hx + 40, hy + 25, hx + 60, hy + 60), fill=(110, 70, 40))
    return _jpeg(sky)
