"""Regenerate ``land-110m.json`` (the coastlines of the partnership map) from Natural Earth's 1:110m land
polygons in world-atlas's TopoJSON (npm package ``world-atlas``, ``land-110m.json``)::

    npm pack world-atlas && tar xzf world-atlas-*.tgz
    python partnerships/data/make_land.py package/land-110m.json > partnerships/data/land-110m.json

The output lists the polygons' rings as ``[longitude, latitude]`` pairs rounded to 0.01°, outer rings and
holes alike (the map fills them with the even-odd rule)."""

import json
import sys


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry):
    if geometry["type"] == "Polygon":
        yield geometry["arcs"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["arcs"]
    elif geometry["type"] == "GeometryCollection":
        for child in geometry["geometries"]:
            yield from polygons(child)


def main(path):
    with open(path, encoding="utf-8") as handle:
        topology = json.load(handle)
    arcs = decode_arcs(topology)
    rings = []
    for polygon in polygons(topology["objects"]["land"]):
        for indexes in polygon:
            rings.append([[round(lon, 2), round(lat, 2)] for lon, lat in ring(arcs, indexes)])
    data = {
        "source": "Natural Earth 1:110m land (public domain), via world-atlas 2 (ISC licence)",
        "rings": rings,
    }
    json.dump(data, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
