"""Draw the app icons (PNG) from the site's mark, static/images/favicon.svg.

The mark is a rounded square in the brand colour with "SJ" in white. Pillow cannot read
SVG, so the same shapes are drawn here; run this again if the mark changes. The PNGs are
committed (a fresh machine needs no font to serve them).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFont

BRAND = "#0b5563"
WHITE = "#ffffff"
# name → (size, maskable): "any" icons are the mark itself; the maskable one keeps the
# letters inside the central 80 % safe zone and fills the whole square with the brand.
ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),
    "favicon-32.png": (32, False),
}
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def draw_mark(size: int, maskable: bool) -> Image.Image:
    # Drawn four times larger, then reduced: smooth edges without anti-aliasing support.
    scale = 4
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 // 32, fill=BRAND)
    # favicon.svg: font-size 16 of 32 → half the square; a maskable icon's letters smaller.
    letters = font(int(big * (0.40 if maskable else 0.50)))
    draw.text((big / 2, big / 2), "SJ", font=letters, fill=WHITE, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


class Command(BaseCommand):
    help = "Draw the PNG app icons into static/images/icons/ from the site's mark."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "images" / "icons"
        folder.mkdir(parents=True, exist_ok=True)
        for name, (size, maskable) in ICONS.items():
            image = draw_mark(size, maskable)
            if maskable:  # no transparency where the platform masks the square
                image = image.convert("RGB")
            image.save(folder / name, optimize=True)
            self.stdout.write(f"{name}: {size}×{size}")
