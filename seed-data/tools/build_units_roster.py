#!/usr/bin/env python3
"""Build seed-data/units/roster.json, the simulator's unit roster (standard library only).

Usage (from the repository root; reads only files already in seed-data/):
    python3 seed-data/tools/build_units_roster.py

Inputs:
    geo/polizia-locale-comandi.geojson   the 14 Polizia Locale sites (Comune di Milano, CC BY 4.0)
    geo/municipi.geojson                 which Municipio each base lies in
    simulator/sensors.json, venues.json  the points that place the civil-protection teams

What is real: every base position (a command's point, rounded to 6 decimals) and its address.
What is invented: the call signs, the fleet size at each site, the choice of base for the
civil-protection teams and the liaisons (plausible, not official). See seed-data/SOURCES.md.
Deterministic: a rebuild gives the same bytes.
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)
NAME = "Polizia Locale -  Comandi decentrati"  # the source's property name (two spaces)
SECONDARY = " - sede secondaria"
PLAUSIBLE = "plausible, not official"


def load(rel):
    with open(os.path.join(SEED, rel), encoding="utf-8") as fh:
        return json.load(fh)


def r6(x):
    return round(float(x), 6)


def _in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def municipio_of(municipi, lon, lat):
    for f in municipi:
        g = f["geometry"]
        for poly in ([g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]):
            if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
                return f["properties"]["MUNICIPIO"]
    return None


def metres(a, b):
    """Equirectangular distance in metres between two (lon, lat) points: fine within a city."""
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * 111_320.0 * k, (a[1] - b[1]) * 111_132.0)


def commands():
    """The 14 sites: (district number, is main site, base name, lon, lat, municipio), in roster order."""
    municipi = load("geo/municipi.geojson")["features"]
    sites = []
    for f in load("geo/polizia-locale-comandi.geojson")["features"]:
        p = f["properties"]
        name = p[NAME].strip()
        main = not name.endswith(SECONDARY)
        district = int(name.replace(SECONDARY, "").rsplit(" ", 1)[1])
        lon, lat = (r6(c) for c in f["geometry"]["coordinates"])
        sites.append({
            "district": district, "main": main, "site": name, "address": p["Indirizzo"].strip(),
            "base": "%s – %s" % (name, p["Indirizzo"].strip()),
            "lon": lon, "lat": lat, "municipio": municipio_of(municipi, lon, lat),
        })
    sites.sort(key=lambda s: (s["district"], not s["main"]))
    return sites


def police_units(sites):
    units = []
    for d in sorted({s["district"] for s in sites}):
        cars = motos = feet = 0
        for s in (s for s in sites if s["district"] == d):
            where = "Comando Municipio %d%s" % (d, "" if s["main"] else " (sede secondaria, %s)" % s["address"])
            fleet = [("PatrolCar", "A", "Auto"), ("PatrolCar", "A", "Auto"), ("Motorcycle", "M", "Moto")]
            if s["main"]:
                fleet.append(("FootPatrol", "P", "Pattuglia appiedata"))
            for kind, letter, label in fleet:
                if kind == "PatrolCar":
                    cars += 1
                    n = cars
                elif kind == "Motorcycle":
                    motos += 1
                    n = motos
                else:
                    feet += 1
                    n = feet
                units.append({
                    "id": "PL-M%d-%s%02d" % (d, letter, n), "kind": kind,
                    "name": "%s %d – %s" % (label, n, where), "base": s["base"],
                    "lon": s["lon"], "lat": s["lat"], "municipio": s["municipio"], "servesMunicipio": d,
                })
    return units


def nearest(sites, point):
    return min(sites, key=lambda s: metres((s["lon"], s["lat"]), point))


def support_units(sites):
    """Civil-protection volunteer teams and liaisons, each at a Polizia Locale site chosen by a rule."""
    sensors = {s["id"]: s for s in load("simulator/sensors.json")}
    venues = {v["id"]: v for v in load("venues.json")}
    central = next(s for s in sites if s["district"] == 1 and s["main"])  # via Beccaria: the Centrale Operativa

    def at(site, why):
        return {"base": site["base"], "lon": site["lon"], "lat": site["lat"], "municipio": site["municipio"],
                "note": "Base %s: %s." % (PLAUSIBLE, why)}

    def near(point, label):
        s = nearest(sites, (point["lon"], point["lat"]))
        d = metres((s["lon"], s["lat"]), (point["lon"], point["lat"]))
        return at(s, "the Polizia Locale site nearest to %s (%.1f km)" % (label, d / 1000))

    teams = [
        ("PC-V01", "Squadra volontari 1 – Protezione civile (centro)",
         at(central, "the Centrale Operativa in via Beccaria, where the COC's volunteer function (F3) is coordinated")),
        ("PC-V02", "Squadra volontari 2 – Protezione civile (Seveso)",
         near(sensors["river-seveso-niguarda"], "the Seveso gauge at Niguarda (simulator/sensors.json)")),
        ("PC-V03", "Squadra volontari 3 – Protezione civile (Lambro)",
         near(sensors["river-lambro-feltre"], "the Lambro gauge in via Feltre (simulator/sensors.json)")),
        ("PC-V04", "Squadra volontari 4 – Protezione civile (San Siro)",
         near(venues["san-siro"], "San Siro stadium (venues.json), for the Olympic events")),
    ]
    links = [
        ("LK-VVF", "Collegamento VVF – Vigili del Fuoco"),
        ("LK-AMSA", "Collegamento AMSA – igiene urbana"),
        ("LK-ATM", "Collegamento ATM – trasporto pubblico"),
    ]
    units = [dict({"id": i, "kind": "VolunteerTeam", "name": n}, **b) for i, n, b in teams]
    for i, n in links:
        b = at(central, "a liaison officer sits in the operations room (Centrale Operativa, via Beccaria)")
        units.append(dict({"id": i, "kind": "Liaison", "name": n}, **b))
    for u in units:  # same key order as the police units
        note = u.pop("note")
        u["servesMunicipio"] = None
        u["note"] = note
    return units


def main():
    sites = commands()
    units = police_units(sites) + support_units(sites)
    ids = [u["id"] for u in units]
    assert len(ids) == len(set(ids)), "duplicate call signs"
    roster = {
        "note": "SIMULATED roster: base positions and addresses are the Comune di Milano's Polizia Locale sites "
                "(CC BY 4.0); call signs, fleet sizes and the civil-protection/liaison bases are invented "
                "(%s). Built by seed-data/tools/build_units_roster.py." % PLAUSIBLE,
        "units": units,
    }
    out = os.path.join(SEED, "units", "roster.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(roster, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    counts = {}
    for u in units:
        counts[u["kind"]] = counts.get(u["kind"], 0) + 1
    print("units/roster.json: %d units %s" % (len(units), counts))
    for u in units:
        if "note" in u:
            print("  %s: %s -> %s" % (u["id"], u["base"], u["note"]))


if __name__ == "__main__":
    main()
