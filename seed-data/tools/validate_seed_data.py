#!/usr/bin/env python3
"""Validate seed-data/ (standard library only).

Usage (from the repository root):
    python3 seed-data/tools/validate_seed_data.py [--ref ../shared/reference-data]

Checks: every .json/.geojson parses; every coordinate lies in lon 8.9-9.4, lat 45.3-45.6; feature
counts and key properties; the simulator catalogue's fields; and, with --ref, that the byte copies
and the CSV rows are identical to the reference data. Exits non-zero on the first class of failure.
"""
import argparse
import csv
import hashlib
import json
import os
import sys

SEED = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LON = (8.9, 9.4)
LAT = (45.3, 45.6)
# Real positions in byte copies that lie outside the box: the M2 Gessate branch runs east of lon 9.4.
KNOWN_OUTSIDE = {"geo/metro-stations.geojson": {"GORGONZOLA", "CASCINA ANTONIETTA", "GESSATE"}}
KINDS = {"river-level", "air-quality", "traffic", "crowd", "alarm", "camera"}
errors = []


def err(msg):
    errors.append(msg)
    print("FAIL:", msg)


def coords(obj):
    """Yield every [lon, lat] position in a GeoJSON object."""
    if isinstance(obj, dict):
        if obj.get("type") == "FeatureCollection":
            for f in obj["features"]:
                yield from coords(f)
        elif obj.get("type") == "Feature":
            yield from coords(obj["geometry"])
        elif "coordinates" in obj:
            yield from _positions(obj["coordinates"])


def _positions(c):
    if c and isinstance(c[0], (int, float)):
        yield c
    else:
        for x in c:
            yield from _positions(x)


def in_box(lon, lat):
    return LON[0] <= lon <= LON[1] and LAT[0] <= lat <= LAT[1]


def check_box(name, pts):
    n = bad = 0
    for p in pts:
        n += 1
        if not in_box(p[0], p[1]):
            bad += 1
            if bad <= 3:
                err("%s: position %r outside lon %s lat %s" % (name, p[:2], LON, LAT))
    print("%-40s %7d positions, %d outside the box" % (name, n, bad))


def sha(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", help="shared/reference-data, to check the byte copies")
    a = ap.parse_args()

    docs = {}
    for root, _, files in os.walk(SEED):
        for f in sorted(files):
            if f.endswith((".json", ".geojson")):
                p = os.path.join(root, f)
                rel = os.path.relpath(p, SEED)
                try:
                    with open(p, encoding="utf-8") as fh:
                        docs[rel] = json.load(fh)
                except ValueError as e:
                    err("%s: not valid JSON: %s" % (rel, e))
    print("parsed %d JSON/GeoJSON files" % len(docs))

    for rel, d in sorted(docs.items()):
        if rel in KNOWN_OUTSIDE:
            allowed = KNOWN_OUTSIDE[rel]
            kept = [f for f in d["features"] if f["properties"].get("nome") not in allowed]
            out = sorted(f["properties"]["nome"] for f in d["features"] if f["properties"].get("nome") in allowed
                         and not in_box(*f["geometry"]["coordinates"][:2]))
            print("note: %s has %d known stations outside the box (%s)" % (rel, len(out), ", ".join(out)))
            check_box(rel + " (others)", coords({"type": "FeatureCollection", "features": kept}))
        elif rel.endswith(".geojson"):
            check_box(rel, coords(d))
    g = docs["geo/streets-gazetteer.json"]
    check_box("geo/streets-gazetteer.json", ([i["lon"], i["lat"]] for i in g["items"]))
    check_box("venues.json", ([v["lon"], v["lat"]] for v in docs["venues.json"]))
    check_box("simulator/sensors.json", ([s["lon"], s["lat"]] for s in docs["simulator/sensors.json"]))

    nil = docs["geo/nil.geojson"]["features"]
    if sorted(f["properties"]["ID_NIL"] for f in nil) != list(range(1, 89)):
        err("nil.geojson: ID_NIL is not 1..88")
    if any("NIL" not in f["properties"] or any(k.startswith("Shape_") for k in f["properties"]) for f in nil):
        err("nil.geojson: properties")
    mun = docs["geo/municipi.geojson"]["features"]
    if sorted(f["properties"]["MUNICIPIO"] for f in mun) != list(range(1, 10)) or \
            not all(type(f["properties"]["MUNICIPIO"]) is int for f in mun):
        err("municipi.geojson: MUNICIPIO is not the integers 1..9")
    codes = sorted(f["properties"]["com_istat_code"] for f in docs["geo/milano-boundary.geojson"]["features"])
    if codes != ["015011", "015146", "015182"]:
        err("milano-boundary.geojson: expected Assago, Milano, Rho, got %s" % codes)
    for rel, d in docs.items():
        if rel.endswith(".geojson"):
            for f in d["features"]:
                for ring_set in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else
                                 f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else []):
                    for ring in ring_set:
                        if len(ring) < 4 or ring[0] != ring[-1]:
                            err("%s: ring not closed or too short" % rel)

    venues = docs["venues.json"]
    vids = set()
    for v in venues:
        for k in ("id", "name", "discipline", "address", "lon", "lat", "capacity", "positionSource"):
            if k not in v:
                err("venues.json %s: missing %s" % (v.get("id"), k))
        if not (v["positionSource"] == "exact" or v["positionSource"].startswith("metro stop ")):
            err("venues.json %s: positionSource" % v["id"])
        vids.add(v["id"])

    sensors = docs["simulator/sensors.json"]
    ids = [s["id"] for s in sensors]
    if len(ids) != len(set(ids)):
        err("sensors.json: duplicate ids")
    need = {"river-level": ("river", "unit", "baselineCm", "thresholdsCm", "note"),
            "air-quality": ("pollutant", "unit", "limit"),
            "traffic": ("freeFlowKmh",),
            "crowd": ("venueId", "capacity", "thresholdPeople"),
            "alarm": (), "camera": ()}
    for s in sensors:
        for k in ("id", "kind", "name", "lon", "lat", "positionSource"):
            if k not in s:
                err("sensors.json %s: missing %s" % (s.get("id"), k))
        if s["kind"] not in KINDS:
            err("sensors.json %s: kind %s" % (s["id"], s["kind"]))
            continue
        for k in need[s["kind"]]:
            if k not in s:
                err("sensors.json %s: missing %s" % (s["id"], k))
        if s["kind"] == "river-level":
            t = s["thresholdsCm"]
            if not (s["baselineCm"] < t["attention"] < t["preAlarm"] < t["alarm"]):
                err("sensors.json %s: thresholds not increasing" % s["id"])
        if s["kind"] == "crowd" and s["venueId"] not in vids:
            err("sensors.json %s: unknown venue" % s["id"])
    print("venues: %d; sensors: %d" % (len(venues), len(sensors)))

    if a.ref:
        G = os.path.join(a.ref, "milano-geo")
        for src, dst in [
            (os.path.join(G, "polizia_locale_comandi_decentrati.geojson"), "geo/polizia-locale-comandi.geojson"),
            (os.path.join(G, "metro_fermate_tpl_metrofermate.geojson"), "geo/metro-stations.geojson"),
            (os.path.join(G, "osm_streets_index_milano.json"), "geo/streets-gazetteer.json"),
        ] + [(os.path.join(a.ref, "LICENSES", n), os.path.join("LICENSES", n))
             for n in os.listdir(os.path.join(a.ref, "LICENSES"))]:
            if sha(src) != sha(os.path.join(SEED, dst)):
                err("%s is not a byte copy of %s" % (dst, src))
        with open(os.path.join(a.ref, "sensors", "arpa_lombardia_stazioni_idro_nivo_meteo.csv"), "rb") as fh:
            src_lines = fh.read().split(b"\n")
        with open(os.path.join(SEED, "sensors", "arpa-stations-milano.csv"), "rb") as fh:
            out_lines = [x for x in fh.read().split(b"\n") if x]
        if out_lines[0] != src_lines[0] or not set(out_lines[1:]) <= set(src_lines[1:]):
            err("arpa-stations-milano.csv: rows are not byte-identical to the source")
        rows = list(csv.DictReader(l.decode("utf-8") for l in out_lines))
        if not rows or not all(r["NomeStazione"].startswith("Milano") for r in rows):
            err("arpa-stations-milano.csv: unexpected rows")
        want = sum(1 for l in src_lines[1:] if l and
                   next(csv.reader([l.decode("utf-8")]))[4].startswith("Milano"))
        if want != len(rows):
            err("arpa-stations-milano.csv: %d rows, source has %d Milano rows" % (len(rows), want))
        print("byte copies and CSV rows checked against", a.ref)

    if errors:
        print("%d problem(s)" % len(errors))
        return 1
    print("seed-data OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
