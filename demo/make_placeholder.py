"""Draw the demo's placeholder picture: a plain JPEG, no third-party photo.

Run from the project folder: ``.venv/bin/python demo/make_placeholder.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1600, 900)
BACKGROUND = (226, 228, 231)
FOREGROUND = (90, 96, 105)
TEXT = "Platzhalterbild"
TARGET = Path(__file__).resolve().parent / "images" / "videoschalte.jpg"


def main():
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=96)
    draw.text((SIZE[0] / 2, SIZE[1] / 2), TEXT, font=font, fill=FOREGROUND, anchor="mm")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    image.save(TARGET, "JPEG", quality=85, optimize=True)
    print(f"{TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
