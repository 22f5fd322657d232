"""The partnership map, computed on the server and drawn as inline SVG by
``templates/partnerships/includes/map.html``: coastlines from Natural Earth (``data/land-110m.json``,
public domain), the home city and one point per partner city. Nothing is loaded from elsewhere, so
looking at the map tells no third party that a citizen did.

The frame fits the cities with a margin; the projection is equirectangular, its horizontal scale
corrected for the middle latitude, which keeps Europe and East Asia recognisable on one map. Labels are
placed greedily to the right, left, above or below their point, whichever overlaps nothing placed yet.
"""

import json
import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings

LAND_FILE = Path(__file__).resolve().parent / "data" / "land-110m.json"
WIDTH = 960
MIN_RATIO, MAX_RATIO = 0.42, 0.7  # height / width
MARGIN_DEGREES = 5.0
MIN_SPAN_DEGREES = 14.0
FONT_SIZE = 15
POINT_RADIUS = 6
SIMPLIFY_TOLERANCE = 0.6  # in map units, below what anyone can see
# The home city: where every route starts. Settings may move it; Düsseldorf, Marktplatz by default.
DEFAULT_HOME = (51.2254, 6.7722, "Düsseldorf")


@dataclass
class MapPoint:
    name: str
    x: float
    y: float
    label: str = ""
    url: str = ""
    dormant: bool = False
    description: str = ""
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"

    @property
    def box_x(self):
        """The home city's square marker (14 × 14) around the point."""
        return round(self.x - 7, 1)

    @property
    def box_y(self):
        return round(self.y - 7, 1)


@dataclass
class PartnerMap:
    width: int
    height: int
    land: str
    home: MapPoint
    points: list = field(default_factory=list)

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


def home_location():
    latitude, longitude, name = getattr(settings, "PARTNERSHIPS_MAP_HOME", DEFAULT_HOME)
    return float(latitude), float(longitude), name


def build_map(partnerships, describe=None):
    """The map of ``partnerships`` (those without coordinates are left out), or None if none has any.
    ``describe(partnership)`` gives a point's longer text (defaults to the city's name)."""
    located = [p for p in partnerships if p.has_coordinates]
    if not located:
        return None
    home_lat, home_lon, home_name = home_location()
    frame = _frame(
        [float(p.latitude) for p in located] + [home_lat], [float(p.longitude) for p in located] + [home_lon]
    )
    project, width, height = _projection(*frame)

    home_x, home_y = project(home_lat, home_lon)
    home = MapPoint(name=home_name, x=home_x, y=home_y, label=home_name)
    points = []
    for partnership in located:
        x, y = project(float(partnership.latitude), float(partnership.longitude))
        points.append(
            MapPoint(
                name=partnership.partner_city,
                x=x,
                y=y,
                label=f"{partnership.partner_city} (ruht)"
                if partnership.is_dormant
                else partnership.partner_city,
                url=partnership.get_absolute_url(),
                dormant=partnership.is_dormant,
                description=describe(partnership) if describe else partnership.partner_city,
            )
        )
    _place_labels([home, *points], width, height)
    return PartnerMap(width=width, height=height, land=_land_path(frame), home=home, points=points)


def _frame(latitudes, longitudes):
    """(south, north, west, east) in degrees: the cities with a margin, at least MIN_SPAN wide and high,
    stretched to a height/width ratio between MIN_RATIO and MAX_RATIO."""
    south, north = min(latitudes) - MARGIN_DEGREES, max(latitudes) + MARGIN_DEGREES
    west, east = min(longitudes) - MARGIN_DEGREES, max(longitudes) + MARGIN_DEGREES
    south, north = _widen(south, north, MIN_SPAN_DEGREES)
    west, east = _widen(west, east, MIN_SPAN_DEGREES)
    squeeze = math.cos(math.radians((south + north) / 2))
    ratio = (north - south) / ((east - west) * squeeze)
    if ratio < MIN_RATIO:
        south, north = _widen(south, north, MIN_RATIO * (east - west) * squeeze)
    elif ratio > MAX_RATIO:
        west, east = _widen(west, east, (north - south) / (MAX_RATIO * squeeze))
    south, north = max(south, -85.0), min(north, 85.0)
    return round(south, 2), round(north, 2), round(west, 2), round(east, 2)


def _widen(low, high, span):
    if high - low >= span:
        return low, high
    middle = (low + high) / 2
    return middle - span / 2, middle + span / 2


def _projection(south, north, west, east):
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * squeeze)
    height = round((north - south) * scale)

    def project(latitude, longitude):
        return round((longitude - west) * squeeze * scale, 1), round((north - latitude) * scale, 1)

    return project, WIDTH, height


@cache
def _land_rings():
    with LAND_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)["rings"]


@lru_cache(maxsize=16)
def _land_path(frame):
    """The coastlines inside ``frame`` as one SVG path (even-odd fill), simplified to the map's scale."""
    south, north, west, east = frame
    project = _projection(*frame)[0]
    parts = []
    for ring in _land_rings():
        lons = [lon for lon, _ in ring]
        lats = [lat for _, lat in ring]
        if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
            continue
        points = _simplify([project(lat, lon) for lon, lat in ring], SIMPLIFY_TOLERANCE)
        if len(points) < 3:
            continue
        parts.append("M" + "L".join(f"{_num(x)},{_num(y)}" for x, y in points) + "Z")
    return "".join(parts)


def _num(value):
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _simplify(points, tolerance):
    """Douglas–Peucker, iterative; keeps the first and last point."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            px, py = points[index]
            d = (
                abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
                if length
                else math.hypot(px - x1, py - y1)
            )
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _place_labels(points, width, height):
    """Put each label where it overlaps no other label or point and stays inside the map."""
    taken = [_box(p.x - POINT_RADIUS, p.y - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS) for p in points]
    for point in sorted(points, key=lambda p: (p.x, p.y)):
        text_width = 0.56 * FONT_SIZE * len(point.label)
        gap = POINT_RADIUS + 4
        candidates = [
            (point.x + gap, point.y + FONT_SIZE * 0.35, "start", point.x + gap),
            (point.x - gap, point.y + FONT_SIZE * 0.35, "end", point.x - gap - text_width),
            (point.x, point.y - gap, "middle", point.x - text_width / 2),
            (point.x, point.y + gap + FONT_SIZE * 0.8, "middle", point.x - text_width / 2),
        ]
        chosen = None
        for x, y, anchor, left in candidates:
            box = _box(left, y - FONT_SIZE * 0.8, text_width, FONT_SIZE)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and not any(_overlaps(box, other) for other in taken):
                chosen = (x, y, anchor, box)
                break
        if chosen is None:  # crowded: to the right, or to the left at the map's right edge
            x, y, anchor, left = candidates[1] if point.x + gap + text_width > width else candidates[0]
            chosen = (x, y, anchor, _box(left, y - FONT_SIZE * 0.8, text_width, FONT_SIZE))
        point.label_x, point.label_y, point.anchor = round(chosen[0], 1), round(chosen[1], 1), chosen[2]
        taken.append(chosen[3])


def _box(left, top, box_width, box_height):
    return (left, top, left + box_width, top + box_height)


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
