"""Colour contrast of the site's own colours (WCAG 2.2 AA: 4.5:1 for text).

axe checks the rendered pages (tests/e2e/test_accessibility_browser.py); this catches a
colour change in site.css without a browser.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
WHITE = (255, 255, 255)


def channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(rgb) -> float:
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_rgb(value: str):
    value = value.lstrip("#")
    if value == "fff":
        value = "ffffff"
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def blend(rgba: str, background):
    """rgba(255, 255, 255, .9) over a background colour."""
    *rgb, alpha = (float(part) for part in re.findall(r"[\d.]+", rgba))
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, background, strict=True))


def variable(name: str) -> str:
    return re.search(rf"{name}:\s*([^;]+);", CSS).group(1).strip()


def test_the_open_day_orange_reads_on_white_and_carries_white_text():
    accent = hex_rgb(variable("--accent"))
    assert contrast(accent, WHITE) >= 4.5  # was #e07a1f: 3.0:1


@pytest.mark.parametrize("name", ["--bs-navbar-color", "--bs-navbar-hover-color"])
def test_menu_links_read_on_the_brand(name):
    brand = hex_rgb(variable("--brand"))
    value = variable(name)
    colour = blend(value, brand) if value.startswith("rgba") else hex_rgb(value)
    assert contrast(colour, brand) >= 4.5  # Bootstrap's 55 % white: 3.75:1


def test_the_focus_ring_shows_on_white_and_on_the_brand():
    assert contrast(hex_rgb(variable("--focus-ring")), WHITE) >= 3
    assert ":focus-visible" in CSS
