#!/usr/bin/env python3
"""Draws Settle's icons into frontend/public/ from one set of shapes.

Writes favicon.svg, icons/icon-192.png, icons/icon-512.png (purpose "any":
rounded square, transparent corners) and icons/maskable-512.png (purpose
"maskable": full-bleed background, mark shrunk to sit well inside the safe
circle of 80% diameter).

The mark: a white check ("settled") above a mint ledger rule, on the brand
green. Needs Pillow:

    python3 -m venv /tmp/icons && /tmp/icons/bin/pip install pillow
    /tmp/icons/bin/python scripts/make-icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = "#1f4b3f"
WHITE = "#ffffff"
MINT = "#9fdcc2"

# Geometry on a 512 x 512 canvas.
SIZE = 512
CORNER = 112  # radius of the rounded square ("any" icons, favicon)
CHECK = [(150, 235), (226, 311), (366, 159)]
CHECK_WIDTH = 52
RULE = [(150, 365), (362, 365)]
RULE_WIDTH = 28
MASKABLE_SCALE = 0.8  # the farthest point of the mark ends ~140px from centre (< 204.8)

SUPERSAMPLE = 4
PUBLIC = Path(__file__).resolve().parent.parent / "frontend" / "public"


def scaled(points, scale):
    c = SIZE / 2
    return [(c + (x - c) * scale, c + (y - c) * scale) for x, y in points]


def stroke(draw, points, width, colour, k):
    pts = [(x * k, y * k) for x, y in points]
    w = width * k
    draw.line(pts, fill=colour, width=round(w), joint="curve")
    r = w / 2
    for x, y in (pts[0], pts[-1]):  # round caps
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def render(px, maskable):
    k = SUPERSAMPLE * px / SIZE
    big = round(SIZE * k)
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=GREEN)
        scale = MASKABLE_SCALE
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * k, fill=GREEN)
        scale = 1.0
    stroke(draw, scaled(RULE, scale), RULE_WIDTH * scale, MINT, k)
    stroke(draw, scaled(CHECK, scale), CHECK_WIDTH * scale, WHITE, k)
    return img.resize((px, px), Image.LANCZOS)


def svg():
    def poly(points):
        return " ".join(f"{x},{y}" for x, y in points)

    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">
  <title>Settle</title>
  <rect width="{SIZE}" height="{SIZE}" rx="{CORNER}" fill="{GREEN}"/>
  <g fill="none" stroke-linecap="round" stroke-linejoin="round">
    <polyline points="{poly(RULE)}" stroke="{MINT}" stroke-width="{RULE_WIDTH}"/>
    <polyline points="{poly(CHECK)}" stroke="{WHITE}" stroke-width="{CHECK_WIDTH}"/>
  </g>
</svg>
"""


def main():
    icons = PUBLIC / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    (PUBLIC / "favicon.svg").write_text(svg())
    render(192, maskable=False).save(icons / "icon-192.png", optimize=True)
    render(512, maskable=False).save(icons / "icon-512.png", optimize=True)
    render(512, maskable=True).save(icons / "maskable-512.png", optimize=True)
    for p in sorted([PUBLIC / "favicon.svg", *icons.glob("*.png")]):
        print(f"wrote {p.relative_to(PUBLIC.parent.parent)} ({p.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
