#!/usr/bin/env python3
"""Reproject Comune di Milano "Municipi" from WGS 84 / UTM zone 32N (EPSG:32632) to WGS 84 lon/lat.

Standard library only. The inverse transverse Mercator uses the Krueger series to order n^6 as
given by C. F. F. Karney, "Transverse Mercator with an accuracy of a few nanometers",
J. Geodesy 85 (2011) 475-485, eqs. (11)-(12) and (36), and solves for the geographic latitude from
the conformal latitude by Newton's method (Karney eqs. (7)-(9), (19)-(21)); accuracy is far below
a millimetre inside a UTM zone, so the output is limited only by rounding to 6 decimals (~0.1 m).

Usage (from the repository root):
    python3 seed-data/tools/reproject_municipi.py \
        --src ../shared/reference-data/milano-geo/municipi_utm32n.geojson \
        --check ../shared/reference-data/milano-geo/zone_decentramento_wgs84.geojson \
        --arpa ../shared/reference-data/sensors/arpa_lombardia_stazioni_idro_nivo_meteo.csv \
        --nil ../shared/reference-data/milano-geo/nil_ds964_NIL_WM_4326.geojson \
        --out seed-data/geo/municipi.geojson

--check, --arpa and --nil are optional verifications; without --out nothing is written.
The zone file (--check) is the same boundaries but sits ~79 m off (a datum error in that 2013
conversion), so it is compared for shape: area ratio, and vertex distances after removing the
mean offset. --nil compares with the Comune's current EPSG:4326 NIL file, which shares boundaries.
Exit status is non-zero when a verification exceeds its tolerance.
"""
import argparse
import csv
import json
import math
import sys

# WGS 84 ellipsoid and UTM zone 32N.
A_AXIS = 6378137.0
FLAT = 1 / 298.257223563
K0 = 0.9996
FALSE_EASTING = 500000.0
FALSE_NORTHING = 0.0  # northern hemisphere
LON0 = math.radians(9.0)  # central meridian of zone 32

N = FLAT / (2 - FLAT)
E2 = FLAT * (2 - FLAT)
ECC = math.sqrt(E2)
# Rectifying radius (Karney eq. 14).
RECT = A_AXIS / (1 + N) * (1 + N**2 / 4 + N**4 / 64 + N**6 / 256)

# Karney (2011) eq. (36): beta (inverse) and alpha (forward) coefficients, order n^6.
BETA = [
    N / 2 - 2 * N**2 / 3 + 37 * N**3 / 96 - N**4 / 360 - 81 * N**5 / 512 + 96199 * N**6 / 604800,
    N**2 / 48 + N**3 / 15 - 437 * N**4 / 1440 + 46 * N**5 / 105 - 1118711 * N**6 / 3870720,
    17 * N**3 / 480 - 37 * N**4 / 840 - 209 * N**5 / 4480 + 5569 * N**6 / 90720,
    4397 * N**4 / 161280 - 11 * N**5 / 504 - 830251 * N**6 / 7257600,
    4583 * N**5 / 161280 - 108847 * N**6 / 3991680,
    20648693 * N**6 / 638668800,
]
ALPHA = [
    N / 2 - 2 * N**2 / 3 + 5 * N**3 / 16 + 41 * N**4 / 180 - 127 * N**5 / 288 + 7891 * N**6 / 37800,
    13 * N**2 / 48 - 3 * N**3 / 5 + 557 * N**4 / 1440 + 281 * N**5 / 630 - 1983433 * N**6 / 1935360,
    61 * N**3 / 240 - 103 * N**4 / 140 + 15061 * N**5 / 26880 + 167603 * N**6 / 181440,
    49561 * N**4 / 161280 - 179 * N**5 / 168 + 6601661 * N**6 / 7257600,
    34729 * N**5 / 80640 - 3418889 * N**6 / 1995840,
    212378941 * N**6 / 319334400,
]


def _taup(tau):
    """tau' (tangent of conformal latitude) from tau (tangent of geographic latitude)."""
    sig = math.sinh(ECC * math.atanh(ECC * tau / math.hypot(1, tau)))
    return tau * math.hypot(1, sig) - sig * math.hypot(1, tau)


def _tau_from_taup(taup):
    """Invert _taup by Newton's method (Karney eqs. 19-21); converges in 2-3 steps."""
    tau = taup / (1 - E2)  # good starting guess
    for _ in range(10):
        tp = _taup(tau)
        dtau = (taup - tp) / ((1 - E2) * math.hypot(1, tp) * math.hypot(1, tau)
                               / (1 + (1 - E2) * tau * tau))
        tau += dtau
        if abs(dtau) < 1e-14 * max(1.0, abs(tau)):
            break
    return tau


def utm32n_to_lonlat(easting, northing):
    """Inverse transverse Mercator, UTM zone 32N (EPSG:32632) -> (lon, lat) in degrees."""
    xi = (northing - FALSE_NORTHING) / (K0 * RECT)
    eta = (easting - FALSE_EASTING) / (K0 * RECT)
    xip, etap = xi, eta
    for j, b in enumerate(BETA, start=1):
        xip -= b * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
        etap -= b * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
    # Conformal latitude and longitude difference on the sphere (Karney eqs. 11-12 inverted).
    taup = math.sin(xip) / math.hypot(math.sinh(etap), math.cos(xip))
    lam = math.atan2(math.sinh(etap), math.cos(xip))
    lat = math.atan(_tau_from_taup(taup))
    return math.degrees(LON0 + lam), math.degrees(lat)


def lonlat_to_utm32n(lon, lat):
    """Forward transverse Mercator (used only for the round-trip self-test)."""
    tau = math.tan(math.radians(lat))
    taup = _taup(tau)
    lam = math.radians(lon) - LON0
    xip = math.atan2(taup, math.cos(lam))
    etap = math.asinh(math.sin(lam) / math.hypot(taup, math.cos(lam)))
    xi, eta = xip, etap
    for j, a in enumerate(ALPHA, start=1):
        xi += a * math.sin(2 * j * xip) * math.cosh(2 * j * etap)
        eta += a * math.cos(2 * j * xip) * math.sinh(2 * j * etap)
    return FALSE_EASTING + K0 * RECT * eta, FALSE_NORTHING + K0 * RECT * xi


# ---------------------------------------------------------------------------- geometry helpers

def _reproject_ring(ring, ndigits):
    out = []
    for e, n in ring:
        lon, lat = utm32n_to_lonlat(e, n)
        pt = [round(lon, ndigits), round(lat, ndigits)]
        if not out or out[-1] != pt:  # rounding can make consecutive vertices equal
            out.append(pt)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    if len(out) < 4:
        raise ValueError("ring degenerated after rounding")
    return out


def reproject_geometry(geom, ndigits):
    t = geom["type"]
    if t == "Polygon":
        return {"type": t, "coordinates": [_reproject_ring(r, ndigits) for r in geom["coordinates"]]}
    if t == "MultiPolygon":
        return {"type": t, "coordinates": [[_reproject_ring(r, ndigits) for r in p]
                                           for p in geom["coordinates"]]}
    raise ValueError("unsupported geometry type %s" % t)


def _polygons(geom):
    return geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]


def _q(lat_deg):
    """Authalic q(phi) (Snyder eq. 3-12); y = a*q/2 gives the ellipsoidal cylindrical equal-area map."""
    sp = math.sin(math.radians(lat_deg))
    return (1 - E2) * (sp / (1 - E2 * sp * sp) - math.log((1 - ECC * sp) / (1 + ECC * sp)) / (2 * ECC))


def ring_area_m2(ring):
    """Ellipsoidal area of a lon/lat ring: cylindrical equal-area projection + shoelace. Positive."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        X1, Y1 = math.radians(x1) * A_AXIS, _q(y1) * A_AXIS / 2
        X2, Y2 = math.radians(x2) * A_AXIS, _q(y2) * A_AXIS / 2
        s += X1 * Y2 - X2 * Y1
    return abs(s) / 2


def geom_area_m2(geom):
    total = 0.0
    for poly in _polygons(geom):
        total += ring_area_m2(poly[0]) - sum(ring_area_m2(h) for h in poly[1:])
    return total


class _Local:
    """Local tangent-plane metres around a reference latitude (good to ~1e-4 over a city)."""

    def __init__(self, lat0):
        p = math.radians(lat0)
        m = A_AXIS * (1 - E2) / (1 - E2 * math.sin(p) ** 2) ** 1.5
        nn = A_AXIS / math.sqrt(1 - E2 * math.sin(p) ** 2)
        self.kx = math.radians(1) * nn * math.cos(p)
        self.ky = math.radians(1) * m

    def xy(self, lon, lat):
        return lon * self.kx, lat * self.ky


def _segments(geom, local):
    segs = []
    for poly in _polygons(geom):
        for ring in poly:
            pts = [local.xy(x, y) for x, y in ring]
            segs.extend(zip(pts, pts[1:]))
    return segs


def _vertices(geom, local):
    return [local.xy(x, y) for poly in _polygons(geom) for ring in poly for x, y in ring]


def _pt_seg(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def nearest_distances(points, segs, cell=50.0):
    """Distance of each point to the nearest segment (metres), with a uniform grid index."""
    grid = {}
    for s in segs:
        (ax, ay), (bx, by) = s
        for gx in range(int(math.floor(min(ax, bx) / cell)), int(math.floor(max(ax, bx) / cell)) + 1):
            for gy in range(int(math.floor(min(ay, by) / cell)), int(math.floor(max(ay, by) / cell)) + 1):
                grid.setdefault((gx, gy), []).append(s)
    out = []
    for p in points:
        cx, cy = int(math.floor(p[0] / cell)), int(math.floor(p[1] / cell))
        best = math.inf
        r = 0
        while True:
            for gx in range(cx - r, cx + r + 1):
                for gy in range(cy - r, cy + r + 1):
                    if max(abs(gx - cx), abs(gy - cy)) != r:
                        continue
                    for a, b in grid.get((gx, gy), ()):
                        d = _pt_seg(p, a, b)
                        if d < best:
                            best = d
            # Every segment within r*cell of p has been seen once ring r has been scanned.
            if best <= r * cell or r > 400:
                break
            r += 1
        out.append(best)
    return out


def max_vertex_to_boundary(points, segs):
    return max(nearest_distances(points, segs))


# ---------------------------------------------------------------------------- checks

def self_test():
    """Round trip forward/inverse over the zone; returns max error in metres."""
    worst = 0.0
    for e in range(300000, 700001, 20000):
        for n in range(4900000, 5200001, 20000):
            lon, lat = utm32n_to_lonlat(e, n)
            e2, n2 = lonlat_to_utm32n(lon, lat)
            worst = max(worst, math.hypot(e2 - e, n2 - n))
    return worst


def check_arpa(path):
    """Compare with ARPA Lombardia's station registry, which gives UTM_Est/UTM_Nord (whole metres)
    and lng/lat for each station. Returns (stations, median m, within 1.5 m, max m for Milano*)."""
    dists, milano, seen = [], [], set()
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                e, n = float(row["UTM_Est"]), float(row["UTM_Nord"])
                lon, lat = float(row["lng"]), float(row["lat"])
            except (KeyError, ValueError):
                continue
            if lon == 0 or lat == 0 or row["IdStazione"] in seen:
                continue
            seen.add(row["IdStazione"])
            plon, plat = utm32n_to_lonlat(e, n)
            loc = _Local(lat)
            x1, y1 = loc.xy(lon, lat)
            x2, y2 = loc.xy(plon, plat)
            d = math.hypot(x1 - x2, y1 - y2)
            dists.append(d)
            if row["NomeStazione"].startswith("Milano"):
                milano.append(d)
    dists.sort()
    return len(dists), dists[len(dists) // 2], sum(d <= 1.5 for d in dists), max(milano)


def _centroid(geom, loc):
    """Area-weighted centroid (local metres) of the outer rings."""
    A = cx = cy = 0.0
    for poly in _polygons(geom):
        ring = [loc.xy(x, y) for x, y in poly[0]]
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            c = x1 * y2 - x2 * y1
            A += c
            cx += (x1 + x2) * c
            cy += (y1 + y2) * c
    return cx / (3 * A), cy / (3 * A)


def _shift(geom, dlon, dlat):
    return {"type": "MultiPolygon", "coordinates": [[[[x + dlon, y + dlat] for x, y in r] for r in poly]
                                                     for poly in _polygons(geom)]}


def vertex_distances(points, segs):
    """Sorted distances of each point to the nearest segment (metres)."""
    return sorted(nearest_distances(points, segs))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True, help="municipi_utm32n.geojson (EPSG:32632)")
    ap.add_argument("--out", help="output GeoJSON (WGS 84 lon/lat)")
    ap.add_argument("--check", help="zone_decentramento_wgs84.geojson to compare against")
    ap.add_argument("--arpa", help="ARPA station CSV with both UTM and lon/lat, for a point check")
    ap.add_argument("--nil", help="nil_ds964_NIL_WM_4326.geojson: independent EPSG:4326 check")
    ap.add_argument("--digits", type=int, default=6)
    args = ap.parse_args(argv)
    ok = True

    rt = self_test()
    print("self-test: forward/inverse round trip over zone 32N, max error %.2e m" % rt)
    ok &= rt < 1e-6

    with open(args.src, encoding="utf-8") as fh:
        src = json.load(fh)
    features = []
    for f in sorted(src["features"], key=lambda f: int(f["properties"]["MUNICIPIO"])):
        p = f["properties"]
        m = int(p["MUNICIPIO"])
        features.append({
            "type": "Feature",
            "id": m,
            "properties": {"MUNICIPIO": m, "AREA": p.get("AREA"), "PERIMETRO": p.get("PERIMETRO")},
            "geometry": reproject_geometry(f["geometry"], args.digits),
        })
    out = {"type": "FeatureCollection", "name": "Municipi", "features": features}
    print("reprojected %d features, %d vertices" % (
        len(features), sum(len(r) for f in features for poly in _polygons(f["geometry"]) for r in poly)))

    if args.arpa:
        count, median, within, milano = check_arpa(args.arpa)
        print("ARPA check: %d stations with both UTM and lng/lat; reprojected UTM vs registry lng/lat: "
              "median %.2f m, %d within 1.5 m, Milano* stations max %.2f m (UTM is in whole metres; "
              "the outliers are registry rows whose lng/lat do not match their own UTM)"
              % (count, median, within, milano))
        ok &= median < 1.0 and milano < 1.0

    if args.check:
        with open(args.check, encoding="utf-8") as fh:
            ref = {int(f["properties"]["ZONADEC"]): f for f in json.load(fh)["features"]}
        loc = _Local(45.47)
        print("municipio | area ours (m2) | area zone file (m2) | ratio | centroid offset zone-ours dE,dN (m) "
              "| max vertex dist raw (m) | max vertex dist after removing the mean offset (m) "
              "| source AREA (UTM plane) / area ours (expect ~k^2 = 0.9992)")
        rows, shifts = [], []
        for f in features:
            m = f["properties"]["MUNICIPIO"]
            g, r = f["geometry"], ref[m]["geometry"]
            (ax, ay), (bx, by) = _centroid(g, loc), _centroid(r, loc)
            shifts.append((bx - ax, by - ay))
            rows.append((m, g, r, geom_area_m2(g), geom_area_m2(r), bx - ax, by - ay))
        mdx = sum(s[0] for s in shifts) / len(shifts)
        mdy = sum(s[1] for s in shifts) / len(shifts)
        worst_ratio = worst_raw = worst_res = 0.0
        for m, g, r, a1, a2, dx, dy in rows:
            raw = max(max_vertex_to_boundary(_vertices(g, loc), _segments(r, loc)),
                      max_vertex_to_boundary(_vertices(r, loc), _segments(g, loc)))
            rs = _shift(r, -mdx / loc.kx, -mdy / loc.ky)
            res = max(max_vertex_to_boundary(_vertices(g, loc), _segments(rs, loc)),
                      max_vertex_to_boundary(_vertices(rs, loc), _segments(g, loc)))
            print("%d | %.0f | %.0f | %.6f | %+.2f,%+.2f | %.2f | %.2f | %.5f" % (
                m, a1, a2, a1 / a2, dx, dy, raw, res, features[m - 1]["properties"]["AREA"] / a1))
            worst_ratio = max(worst_ratio, abs(a1 / a2 - 1))
            worst_raw, worst_res = max(worst_raw, raw), max(worst_res, res)
        print("zone file vs ours: worst |area ratio - 1| = %.4f %%; mean offset dE %+.2f m dN %+.2f m "
              "(%.1f m); worst vertex-to-boundary distance %.2f m raw, %.2f m after removing the offset"
              % (100 * worst_ratio, mdx, mdy, math.hypot(mdx, mdy), worst_raw, worst_res))
        # Same shapes (area and residual); the constant offset is a datum error in the zone file,
        # which --nil shows independently.
        ok &= worst_ratio < 1e-3 and worst_res < 5.0

    if args.nil:
        with open(args.nil, encoding="utf-8") as fh:
            nil = json.load(fh)["features"]
        loc = _Local(45.47)
        segs = [s for f in nil for s in _segments(f["geometry"], loc)]
        ours = [p for f in features for p in _vertices(f["geometry"], loc)]
        d = vertex_distances(ours[::3], segs)
        med, p90 = d[len(d) // 2], d[9 * len(d) // 10]
        print("NIL check: our Municipi vertices (every 3rd, %d) to the nearest NIL boundary (EPSG:4326): "
              "median %.2f m, 90th percentile %.2f m" % (len(d), med, p90))
        if args.check:
            zs = [p for f in ref.values() for p in _vertices(f["geometry"], loc)]
            dz = vertex_distances(zs[::3], segs)
            print("NIL check: zone file vertices to the nearest NIL boundary: median %.2f m, "
                  "90th percentile %.2f m" % (dz[len(dz) // 2], dz[9 * len(dz) // 10]))
        ok &= med < 2.0

    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(out, fh, ensure_ascii=False, separators=(",", ":"))
            fh.write("\n")
        print("wrote", args.out)

    if not ok:
        print("VERIFICATION FAILED", file=sys.stderr)
        return 1
    print("verification OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
