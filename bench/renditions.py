"""Speed figures for image uploads and renditions.

Usage: .venv/bin/python bench/renditions.py [--side 6000] [--requests 50]
Measures, on a generated photo-like JPEG of side × side·2/3 pixels:
- the upload check and re-encode (cityhall.library.imaging.process_upload),
- making each rendition the first time (per spec and format),
- serving a stored rendition again (median, p95, SQL queries per request).
Uses a fresh temporary SQLite database unless BENCH_DATABASE_URL names another one.
"""

import argparse
import io
import statistics
import time

from benchenv import prepare


def photo_like(width, height):
    """Smooth gradients plus noise: compresses like a photo, unlike a flat colour."""
    from PIL import Image, ImageFilter

    noise = Image.effect_noise((width // 8, height // 8), 64).resize((width, height))
    gradient = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge("RGB", (noise, gradient, noise.filter(ImageFilter.GaussianBlur(4))))
    buf = io.BytesIO()
    picture.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=6000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    prepare(record_queries=False)
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, reset_queries
    from django.test import Client

    from cityhall.library import rendition_store, renditions
    from cityhall.library.imaging import process_upload
    from cityhall.library.models import Image
    from tests.factories import make_release

    width, height = args.side, args.side * 2 // 3
    raw = photo_like(width, height)
    t0 = time.perf_counter()
    cleaned = process_upload(SimpleUploadedFile("foto.jpg", raw))
    upload_s = time.perf_counter() - t0
    print(f"upload check + re-encode, {width}×{height} JPEG ({len(raw) / 1e6:.1f} MB): {upload_s:.2f} s")

    image = Image.objects.create(file=cleaned.file, alt_text="Bench")
    make_release(image=image)
    print("first request (made and stored):")
    for spec in ("w800", "w1600", "t800", "social"):
        for fmt in renditions.formats_for(image, spec):
            t0 = time.perf_counter()
            rendition = rendition_store.get_or_make(image, spec, fmt)
            took = time.perf_counter() - t0
            print(f"  {spec:7} {fmt:5} {took * 1000:7.0f} ms  {rendition.file.size / 1024:6.0f} KB")

    client = Client()
    url = renditions.url(image, "w1600", "webp")
    settings.DEBUG = True
    times, queries = [], []
    for _ in range(args.requests):
        reset_queries()
        t0 = time.perf_counter()
        response = client.get(url)
        b"".join(response.streaming_content)
        times.append(time.perf_counter() - t0)
        queries.append(len(connection.queries))
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"serving the stored w1600.webp again: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, {max(queries)} queries, on {connection.vendor}"
    )


if __name__ == "__main__":
    main()
