#!/usr/bin/env python3
"""Build seed-data/ from the project's reference data (standard library only).

Usage (from the repository root):
    python3 seed-data/tools/build_seed_data.py --ref ../shared/reference-data

Writes (see seed-data/SOURCES.md for origin, licence and what was changed):
    geo/nil.geojson                      NIL: coordinates rounded to 6 decimals, Shape_* dropped
    geo/milano-boundary.geojson          Milano, Rho, Assago from the ISTAT/Openpolis file
    geo/polizia-locale-comandi.geojson   byte copy
    geo/metro-stations.geojson           byte copy
    geo/streets-gazetteer.json           byte copy (ODbL)
    sensors/arpa-stations-milano.csv     header + rows whose NomeStazione starts with "Milano"
    venues.json                          hand-entered Milano-Cortina 2026 venues
    simulator/sensors.json               catalogue of SIMULATED sensors at real positions
    LICENSES/*                           byte copies
geo/municipi.geojson is made by reproject_municipi.py (run it first: sensors.json looks up the
municipio of each sensor in it).
"""
import argparse
import csv
import io
import json
import math
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def dump(obj, path, pretty):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        if pretty:
            json.dump(obj, fh, ensure_ascii=False, indent=2)
        else:
            json.dump(obj, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")


def r6(x):
    return round(float(x), 6)


# ----------------------------------------------------------------------------------------- geo

def round_ring(ring):
    out = []
    for x, y in ring:
        pt = [r6(x), r6(y)]
        if not out or out[-1] != pt:  # rounding can make consecutive vertices equal
            out.append(pt)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    assert len(out) >= 4, "ring degenerated after rounding"
    return out


def build_nil(ref, out):
    src = load(os.path.join(ref, "milano-geo", "nil_ds964_NIL_WM_4326.geojson"))
    feats = []
    for f in src["features"]:
        props = {k: v for k, v in f["properties"].items() if not k.startswith("Shape_")}
        g = f["geometry"]
        assert g["type"] == "Polygon"
        feats.append({"type": "Feature", "id": f.get("id"), "properties": props,
                      "geometry": {"type": "Polygon", "coordinates": [round_ring(r) for r in g["coordinates"]]}})
    assert len(feats) == 88
    dump({"type": "FeatureCollection", "crs": src["crs"], "features": feats}, out, pretty=False)


def build_boundary(ref, out):
    src = load(os.path.join(ref, "milano-geo", "limits_P_15_municipalities.geojson"))
    wanted = ["015146", "015182", "015011"]  # Milano, Rho, Assago
    by_code = {f["properties"]["com_istat_code"]: f for f in src["features"]}
    feats = [by_code[c] for c in wanted]
    xs = [p[0] for f in feats for ring in f["geometry"]["coordinates"] for p in ring]
    ys = [p[1] for f in feats for ring in f["geometry"]["coordinates"] for p in ring]
    dump({"type": "FeatureCollection", "bbox": [min(xs), min(ys), max(xs), max(ys)], "features": feats},
         out, pretty=False)


def build_arpa(ref, out):
    path = os.path.join(ref, "sensors", "arpa_lombardia_stazioni_idro_nivo_meteo.csv")
    with open(path, "rb") as fh:
        raw = fh.read()
    lines = raw.split(b"\n")
    header = lines[0]
    cols = next(csv.reader([header.decode("utf-8")]))
    i_name = cols.index("NomeStazione")
    keep = [header]
    for line in lines[1:]:
        if not line:
            continue
        row = next(csv.reader([line.decode("utf-8")]))
        if row[i_name].startswith("Milano"):
            keep.append(line)
    with open(out, "wb") as fh:
        fh.write(b"\n".join(keep) + b"\n")
    return len(keep) - 1


# ------------------------------------------------------------------------------- point helpers

class Index:
    def __init__(self, ref):
        g = os.path.join(ref, "milano-geo")
        self.metro = {f["properties"]["nome"]: f for f in load(os.path.join(g, "metro_fermate_tpl_metrofermate.geojson"))["features"]}
        self.streets = {i["id"]: i for i in load(os.path.join(g, "osm_streets_index_milano.json"))["items"]}
        self.pl = {f["properties"]["Polizia Locale -  Comandi decentrati"]: f
                   for f in load(os.path.join(g, "polizia_locale_comandi_decentrati.geojson"))["features"]}
        with open(os.path.join(ref, "sensors", "arpa_lombardia_stazioni_idro_nivo_meteo.csv"), encoding="utf-8") as fh:
            self.arpa = {r["IdSensore"]: r for r in csv.DictReader(fh)}
            fh.seek(0)
            self.arpa_station = {}
            for r in csv.DictReader(fh):
                self.arpa_station.setdefault(r["IdStazione"], r)
        self.municipi = load(os.path.join(SEED, "geo", "municipi.geojson"))["features"]

    def metro_stop(self, name):
        x, y = self.metro[name]["geometry"]["coordinates"]
        return r6(x), r6(y)

    def street(self, way):
        i = self.streets[way]
        return r6(i["lon"]), r6(i["lat"]), i["name"]

    def command(self, name):
        f = self.pl[name]
        x, y = f["geometry"]["coordinates"]
        return r6(x), r6(y), f["properties"]

    def municipio(self, lon, lat):
        for f in self.municipi:
            for poly in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                         else f["geometry"]["coordinates"]):
                if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
                    return f["properties"]["MUNICIPIO"]
        return None


def _in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def offset(lon, lat, east_m, north_m):
    """Move a point by metres east/north (local approximation, fine for a few hundred metres)."""
    dlat = north_m / 111_132.0
    dlon = east_m / (111_320.0 * math.cos(math.radians(lat)))
    return r6(lon + dlon), r6(lat + dlat)


def dist_m(a, b):
    (x1, y1), (x2, y2) = a, b
    k = math.cos(math.radians((y1 + y2) / 2))
    return math.hypot((x2 - x1) * 111_320.0 * k, (y2 - y1) * 111_132.0)


# ----------------------------------------------------------------------------------------- venues

def build_venues(ix):
    san_siro = (9.124, 45.47808)
    v = [
        {"id": "san-siro", "name": "Stadio San Siro (Giuseppe Meazza)",
         "discipline": "Cerimonia di apertura (6 febbraio 2026)",
         "address": "Via Piccolomini 5, 20151 Milano", "municipality": "Milano",
         "lon": san_siro[0], "lat": san_siro[1], "capacity": 80018,
         "positionSource": "exact",
         "note": "Coordinates and 80,018 seats from the Wikipedia infobox (reference SOURCES.md, Facts gathered)."},
        {"id": "arena-santa-giulia", "name": "Arena Santa Giulia",
         "gamesName": "Milano Santagiulia Ice Hockey Arena",
         "discipline": "Hockey su ghiaccio",
         "address": "Via Romualdo Bonfadini 148, Milano (Municipio 4)", "municipality": "Milano",
         "capacity": 11800, "stopName": "ROGOREDO FS",
         "note": "Up to 16,000 seats; 11,800 open to the public during the Games (capacity here). "
                 "No exact coordinates were gathered."},
        {"id": "unipol-forum-assago", "name": "Unipol Forum",
         "gamesName": "Milano Ice Skating Arena",
         "discipline": "Pattinaggio di figura e short track",
         "address": "Via G. di Vittorio 6, 20057 Assago", "municipality": "Assago",
         "capacity": None, "stopName": "ASSAGO MILANOFIORI FORUM",
         "note": "Outside the city of Milan. Capacity not gathered. No exact coordinates were gathered."},
        {"id": "milano-rho-ice-hockey-arena", "name": "Milano Rho Ice Hockey Arena",
         "discipline": "Hockey su ghiaccio",
         "address": "Fiera Milano, S.S. del Sempione 28, Rho", "municipality": "Rho",
         "capacity": None, "stopName": "RHO FIERAMILANO",
         "note": "Temporary venue inside Fiera Milano Rho; shares its stand-in point with the speed "
                 "skating stadium. Capacity not gathered."},
        {"id": "milano-speed-skating-stadium", "name": "Milano Speed Skating Stadium",
         "discipline": "Pattinaggio di velocità",
         "address": "Fiera Milano, S.S. del Sempione 28, Rho", "municipality": "Rho",
         "capacity": None, "stopName": "RHO FIERAMILANO",
         "note": "Temporary venue inside Fiera Milano Rho; shares its stand-in point with the ice "
                 "hockey arena. Capacity not gathered."},
        {"id": "olympic-village-porta-romana", "name": "Villaggio Olimpico (ex Scalo di Porta Romana)",
         "discipline": "Villaggio Olimpico (alloggio atleti)",
         "address": "Ex Scalo ferroviario di Porta Romana, accanto a Fondazione Prada, Milano",
         "municipality": "Milano",
         "capacity": 1700, "stopName": "LODI T.I.B.B.",
         "note": "Capacity is beds (about 1,700), not spectators; 6 buildings on about 60,000 m2; "
                 "student housing after the Games. M3 PORTA ROMANA is also nearby."},
    ]
    out = []
    for x in v:
        stop = x.pop("stopName", None)
        if stop:
            lon, lat = ix.metro_stop(stop)
            x["lon"], x["lat"] = lon, lat
            x["positionSource"] = "metro stop %s as stand-in" % stop
        ordered = {k: x[k] for k in ("id", "name", "discipline", "address", "lon", "lat", "capacity",
                                     "positionSource")}
        ordered.update({k: val for k, val in x.items() if k not in ordered})
        out.append(ordered)
    return out


# ----------------------------------------------------------------------------------------- sensors

def build_sensors(ix, venues):
    S = []

    def add(d):
        d["municipio"] = ix.municipio(d["lon"], d["lat"])
        S.append(d)

    # --- river level (ARPA Lombardia hydrometric gauges) ------------------------------------------
    for sid, sensor, river, name, base, thr, extra in [
        ("river-seveso-niguarda", "3118", "Seveso", "Idrometro Seveso – Milano Niguarda", 40,
         {"attention": 80, "preAlarm": 108, "alarm": 200},
         {"recordCm": 501,
          "note": "attention (80 cm) and preAlarm (108 cm) are the Comune di Milano emergency-plan reporting "
                  "steps (press coverage, 2017: hourly then every 30 min above 80 cm at Cesano Maderno, "
                  "Palazzolo or Milano via Valfurva; every 15 min above 108 cm at Palazzolo or via Valfurva), "
                  "applied here to the Niguarda gauge. alarm (200 cm) and baselineCm (40) are plausible, not "
                  "official. Record at Niguarda 5.01 m (Nov 2014); 4.92 m on 22 Sep 2025 (ARPA note)."}),
        ("river-lambro-feltre", "8125", "Lambro", "Idrometro Lambro – Milano via Feltre", 60,
         {"attention": 150, "preAlarm": 200, "alarm": 260},
         {"note": "The Lambro plan uses preallarme/allarme thresholds whose values were not published: all "
                  "three thresholds and baselineCm (60) are plausible, not official."}),
    ]:
        r = ix.arpa[sensor]
        assert r["Tipologia"] == "Livello Idrometrico"
        add({"id": sid, "kind": "river-level", "name": name,
             "lon": r6(r["lng"]), "lat": r6(r["lat"]),
             "positionSource": "ARPA Lombardia station %s '%s', sensor %s (sensors/arpa-stations-milano.csv)"
                               % (r["IdStazione"], r["NomeStazione"], sensor),
             "river": river, "unit": "cm", "baselineCm": base, "thresholdsCm": thr,
             "arpaSensorId": int(sensor), "arpaStationId": int(r["IdStazione"]), **extra})

    # --- air quality at real ARPA station positions ------------------------------------------------
    aq_note = ("Placed at the ARPA Lombardia station of this name in the hydro-nivo-meteo registry "
               "(sensors/arpa-stations-milano.csv); the air-quality registry was not available, so the "
               "pollutant values are simulated and the position is that of the weather station.")
    pm10 = {"pollutant": "PM10", "unit": "µg/m³", "limit": 50, "limitBasis": "daily mean (D.Lgs. 155/2010)",
            "baseline": 30}
    no2 = {"pollutant": "NO2", "unit": "µg/m³", "limit": 200, "limitBasis": "hourly mean (D.Lgs. 155/2010)",
           "baseline": 45}
    for sid, station, label, spec in [
        ("aq-brera-pm10", "620", "via Brera", pm10),
        ("aq-marche-no2", "501", "viale Marche", no2),
        ("aq-juvara-pm10", "502", "via Juvara", pm10),
        ("aq-zavattari-no2", "503", "piazza Zavattari", no2),
        ("aq-lambrate-pm10", "100", "Lambrate", pm10),
        ("aq-rosellini-no2", "1327", "via Rosellini", no2),
    ]:
        r = ix.arpa_station[station]
        add({"id": sid, "kind": "air-quality",
             "name": "Qualità dell'aria %s – Milano %s" % (spec["pollutant"], label),
             "lon": r6(r["lng"]), "lat": r6(r["lat"]),
             "positionSource": "ARPA Lombardia station %s '%s' (sensors/arpa-stations-milano.csv)"
                               % (station, r["NomeStazione"]),
             **spec, "note": aq_note})

    # --- traffic at named major roads (OSM gazetteer) -----------------------------------------------
    for sid, way, label, kmh in [
        ("traffic-fulvio-testi", "way/23156671", "Viale Fulvio Testi", 50),
        ("traffic-buenos-aires", "way/31310572", "Corso Buenos Aires", 40),
        ("traffic-monza", "way/1205710412", "Viale Monza (via Erodoto)", 50),
        ("traffic-certosa", "way/4911531", "Viale Certosa", 50),
        ("traffic-sempione", "way/4497547", "Corso Sempione", 50),
        ("traffic-lombardia", "way/85890914", "Viale Lombardia", 50),
        ("traffic-forlanini", "way/25092223", "Viale Enrico Forlanini", 70),
        ("traffic-novara", "way/8469720", "Via Novara", 50),
        ("traffic-zara", "way/4857424", "Viale Zara", 50),
        ("traffic-loreto", "way/23807644", "Piazzale Loreto", 30),
        ("traffic-corso-lodi", "way/24450641", "Corso Lodi", 50),
        ("traffic-fermi", "way/28359520", "Viale Enrico Fermi", 50),
    ]:
        lon, lat, osm_name = ix.street(way)
        add({"id": sid, "kind": "traffic", "name": "Traffico %s" % label,
             "lon": lon, "lat": lat, "positionSource": "OSM gazetteer %s" % way, "osmName": osm_name,
             "freeFlowKmh": kmh,
             "note": "The gazetteer gives one representative point per way. freeFlowKmh is plausible, not measured."})

    # --- crowd at the venues ------------------------------------------------------------------------
    vby = {v["id"]: v for v in venues}
    assumed = {"unipol-forum-assago": 12000, "milano-rho-ice-hockey-arena": 6000,
               "milano-speed-skating-stadium": 6000}
    crowd = [
        # id, venue, name, how placed, (east m, north m) or ("street", way) or ("metro", stop), share
        ("crowd-san-siro-piccolomini", "san-siro", "Conta persone San Siro – via dei Piccolomini",
         ("street", "way/87080828"), 0.25),
        ("crowd-san-siro-m5", "san-siro", "Conta persone M5 San Siro Stadio", ("metro", "SAN SIRO STADIO"), 0.10),
        ("crowd-santa-giulia-ingressi", "arena-santa-giulia", "Conta persone Arena Santa Giulia – ingressi",
         ("offset", 200, 150), 0.25),
        ("crowd-rogoredo-fs", "arena-santa-giulia", "Conta persone Rogoredo FS (Arena Santa Giulia)",
         ("metro", "ROGOREDO FS"), 0.15),
        ("crowd-unipol-forum-ingressi", "unipol-forum-assago", "Conta persone Unipol Forum – ingressi",
         ("offset", -200, 0), 0.25),
        ("crowd-rho-hockey-ingressi", "milano-rho-ice-hockey-arena", "Conta persone Rho Ice Hockey Arena – ingressi",
         ("offset", 250, 0), 0.25),
        ("crowd-rho-speed-skating-ingressi", "milano-speed-skating-stadium",
         "Conta persone Speed Skating Stadium – ingressi", ("offset", -250, 0), 0.25),
        ("crowd-villaggio-olimpico-varco", "olympic-village-porta-romana", "Conta persone varco Villaggio Olimpico",
         ("offset", -250, 0), 0.5),
    ]
    for sid, vid, name, how, share in crowd:
        v = vby[vid]
        if how[0] == "street":
            lon, lat, osm = ix.street(how[1])
            src = "OSM gazetteer %s (%s), %.0f m from the venue point" % (how[1], osm, dist_m((lon, lat), (v["lon"], v["lat"])))
        elif how[0] == "metro":
            lon, lat = ix.metro_stop(how[1])
            src = "metro stop %s (%.0f m from the venue point)" % (how[1], dist_m((lon, lat), (v["lon"], v["lat"])))
        else:
            lon, lat = offset(v["lon"], v["lat"], how[1], how[2])
            d = dist_m((lon, lat), (v["lon"], v["lat"]))
            assert d <= 300
            src = "venue point (%s) offset %.0f m (%+d m E, %+d m N): simulated placement" % (
                v["positionSource"], d, how[1], how[2])
        cap = v["capacity"] if v["capacity"] is not None else assumed[vid]
        add({"id": sid, "kind": "crowd", "name": name, "lon": lon, "lat": lat, "positionSource": src,
             "venueId": vid, "capacity": cap,
             "capacitySource": "venues.json" if v["capacity"] is not None else "assumed (plausible, not official)",
             "capacityShare": share, "thresholdPeople": int(round(cap * share, -1)),
             "note": "thresholdPeople = capacity x capacityShare (the part of the venue's crowd this area is "
                     "expected to hold at most), rounded to 10."})

    # --- cameras at metro stations and gazetteer places --------------------------------------------
    cams = [
        ("camera-m1-duomo", "Telecamera M1 Duomo", ("metro", "DUOMO M1")),
        ("camera-centrale-fs", "Telecamera M2/M3 Centrale FS", ("metro", "CENTRALE FS")),
        ("camera-m1-cadorna", "Telecamera M1 Cadorna", ("metro", "CADORNA FN M1")),
        ("camera-garibaldi-fs", "Telecamera M2/M5 Garibaldi FS", ("metro", "GARIBALDI FS")),
        ("camera-m1-loreto", "Telecamera M1 Loreto", ("metro", "LORETO M1")),
        ("camera-m1-san-babila", "Telecamera M1/M4 San Babila", ("metro", "SAN BABILA")),
        ("camera-m5-san-siro-stadio", "Telecamera M5 San Siro Stadio", ("metro", "SAN SIRO STADIO")),
        ("camera-piazza-duomo", "Telecamera Piazza del Duomo", ("street", "way/35875010")),
        ("camera-corso-como", "Telecamera Corso Como", ("street", "way/23331764")),
        ("camera-naviglio-grande", "Telecamera Alzaia Naviglio Grande", ("street", "way/4524877")),
    ]
    for sid, name, how in cams:
        if how[0] == "metro":
            lon, lat = ix.metro_stop(how[1])
            src = "metro stop %s (metro-stations.geojson)" % how[1]
        else:
            lon, lat, _ = ix.street(how[1])
            src = "OSM gazetteer %s" % how[1]
        add({"id": sid, "kind": "camera", "name": name, "lon": lon, "lat": lat, "positionSource": src,
             "feed": None, "note": "Simulated camera: status and events only, no video."})

    # --- intrusion/fire alarms at the Polizia Locale district commands ------------------------------
    for m in range(1, 10):
        cname = "Comando Decentrato %d" % m
        lon, lat, p = ix.command(cname)
        # "Comando Decentrato N" serves Municipio N; the site itself may lie in another Municipio
        # (Comando 2, via Settala, is in Municipio 3): the "municipio" field says where it is.
        add({"id": "alarm-polizia-locale-municipio-%d" % m, "kind": "alarm",
             "name": "Allarme sede Polizia Locale Municipio %d" % m,
             "lon": lon, "lat": lat,
             "positionSource": "Polizia Locale comandi decentrati: %s, %s (polizia-locale-comandi.geojson)"
                               % (cname, p["Indirizzo"]),
             "site": cname, "servesMunicipio": m, "address": "%s, Milano" % p["Indirizzo"],
             "alarmTypes": ["intrusione", "incendio", "guasto impianto"]})
    return S


# ----------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ref", required=True, help="path to shared/reference-data")
    a = ap.parse_args()
    ref = a.ref
    for d in ("geo", "sensors", "simulator", "LICENSES"):
        os.makedirs(os.path.join(SEED, d), exist_ok=True)

    build_nil(ref, os.path.join(SEED, "geo", "nil.geojson"))
    build_boundary(ref, os.path.join(SEED, "geo", "milano-boundary.geojson"))
    for src, dst in [
        ("milano-geo/polizia_locale_comandi_decentrati.geojson", "geo/polizia-locale-comandi.geojson"),
        ("milano-geo/metro_fermate_tpl_metrofermate.geojson", "geo/metro-stations.geojson"),
        ("milano-geo/osm_streets_index_milano.json", "geo/streets-gazetteer.json"),
    ]:
        shutil.copyfile(os.path.join(ref, src), os.path.join(SEED, dst))
    for name in sorted(os.listdir(os.path.join(ref, "LICENSES"))):
        shutil.copyfile(os.path.join(ref, "LICENSES", name), os.path.join(SEED, "LICENSES", name))
    n = build_arpa(ref, os.path.join(SEED, "sensors", "arpa-stations-milano.csv"))
    print("arpa rows:", n)

    ix = Index(ref)
    venues = build_venues(ix)
    dump(venues, os.path.join(SEED, "venues.json"), pretty=True)
    sensors = build_sensors(ix, venues)
    ids = [s["id"] for s in sensors]
    assert len(ids) == len(set(ids)), "duplicate sensor id"
    # A bare array: every sensor here is SIMULATED; positions are real (see positionSource).
    dump(sensors, os.path.join(SEED, "simulator", "sensors.json"), pretty=True)
    from collections import Counter
    print("venues:", len(venues), "sensors:", len(sensors), dict(Counter(s["kind"] for s in sensors)))


if __name__ == "__main__":
    main()
