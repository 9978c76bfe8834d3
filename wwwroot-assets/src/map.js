// Control-room map of Milan: a small ES module driven from Blazor through IJSObjectReference.
//
//   const handle = await createMap(container, options);
//   handle.upsertAlerts([{ id, lon, lat, severity, severityLabel, title, time, municipio, nil, type }]);
//   handle.removeAlerts([id]); handle.clearAlerts(); handle.dispose();
//
// The offline style needs no tile server, no glyphs and no network: a dark background, the NIL and
// Municipi boundaries (GeoJSON served by the app) and the clustered alerts. Cluster counts are HTML
// markers, so no glyph set is needed.
import * as maplibregl from 'maplibre-gl';

maplibregl.setWorkerUrl(new URL('./maplibre-gl-worker.mjs', import.meta.url).href);

const SEVERITIES = ['info', 'minor', 'moderate', 'severe', 'extreme'];

const DEFAULT_COLORS = {
  info: '#4fc3f7',
  minor: '#9ccc65',
  moderate: '#ffca28',
  severe: '#ff7043',
  extreme: '#e53935',
};

const DEFAULT_LABELS = {
  municipio: 'Municipio',
  nil: 'NIL',
  time: 'Ora',
  severity: 'Gravità',
  alerts: 'allarmi',
  incident: 'Intervento',
  priority: 'Priorità',
  status: 'Stato',
  type: 'Tipo',
  unit: 'Unità',
  kind: 'Mezzo',
};

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];

const DEFAULT_PRIORITY_COLORS = {
  P1: '#e53935',
  P2: '#fb8c00',
  P3: '#fdd835',
  P4: '#64b5f6',
};

// Same order as ControlRoom.Domain.Units.UnitKind / UnitStatus (enums may arrive as numbers).
const UNIT_KINDS = ['PatrolCar', 'Motorcycle', 'FootPatrol', 'VolunteerTeam', 'Liaison'];
const UNIT_STATUSES = ['Available', 'EnRoute', 'OnScene', 'Busy', 'OffDuty'];

const DEFAULT_UNIT_STATUS_COLORS = {
  Available: '#66bb6a',
  EnRoute: '#29b6f6',
  OnScene: '#ab47bc',
  Busy: '#ffa726',
  OffDuty: '#78909c',
};

/** Unit icons are drawn at this device-pixel ratio (crisp on wall screens) and this size in CSS pixels. */
const ICON_PIXEL_RATIO = 2;
const ICON_SIZE = 18;

const BACKGROUND = '#0b1220';
const SOURCE_ALERTS = 'alerts';
const SOURCE_NIL = 'nil';
const SOURCE_MUNICIPI = 'municipi';
const SOURCE_INCIDENTS = 'incidents';
const SOURCE_UNITS = 'units';
const LAYER_CLUSTERS = 'alerts-clusters';
const LAYER_POINTS = 'alerts-points';
const LAYER_INCIDENT_HALO = 'incidents-halo';
const LAYER_INCIDENT_BASE = 'incidents-base';
const LAYER_INCIDENTS = 'incidents-points';
const LAYER_UNITS = 'units-icons';
/** Style layers behind each name accepted by setLayerVisible. */
const LAYER_GROUPS = {
  alerts: [LAYER_CLUSTERS, LAYER_POINTS],
  incidents: [LAYER_INCIDENT_HALO, LAYER_INCIDENT_BASE, LAYER_INCIDENTS],
  units: [LAYER_UNITS],
};
const CLUSTER_FILTER = ['has', 'point_count'];
const POINT_FILTER = ['!', ['has', 'point_count']];

/** The style used when no styleUrl is given: nothing but a background; the overlays are added on style load. */
function offlineStyle() {
  return {
    version: 8,
    name: 'ControlRoom offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
  };
}

/** Adds a stylesheet that sits beside this module unless the page already has it; resolves when loaded. */
function ensureStylesheet(fileName) {
  const stem = fileName.replace(/\.css$/, '');
  for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
    let last = '';
    try {
      last = new URL(link.href, document.baseURI).pathname.split('/').pop() ?? '';
    } catch {
      continue;
    }
    // Matches "maplibre-gl.css" and fingerprinted names such as "maplibre-gl.abc123.css".
    if (last === fileName || (last.startsWith(stem + '.') && last.endsWith('.css'))) {
      return Promise.resolve();
    }
  }
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL(`./${fileName}`, import.meta.url).href;
    const timer = setTimeout(resolve, 3000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    link.addEventListener('load', done, { once: true });
    link.addEventListener('error', done, { once: true });
    document.head.appendChild(link);
  });
}

function text(value) {
  return value === undefined || value === null ? '' : String(value);
}

function severityOf(value) {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < SEVERITIES.length) {
    return SEVERITIES[value];
  }
  const s = text(value).trim().toLowerCase();
  return SEVERITIES.includes(s) ? s : 'info';
}

/** Black or white text for a badge on the given background colour (hex only; anything else gets black). */
function textColorFor(background) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text(background).trim());
  if (!m) return '#0b1220';
  let hex = m[1];
  if (hex.length === 3) hex = hex.split('').map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return luminance > 0.3 ? '#0b1220' : '#ffffff';
}

/** Converts an alert from Blazor into a GeoJSON feature, or null when it has no usable id or position. */
function toFeature(alert) {
  if (!alert || alert.id === undefined || alert.id === null) return null;
  const lon = Number(alert.lon);
  const lat = Number(alert.lat);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  const severity = severityOf(alert.severity);
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      alertId: String(alert.id),
      severity,
      rank: SEVERITIES.indexOf(severity),
      severityLabel: text(alert.severityLabel) || severity,
      title: text(alert.title),
      time: text(alert.time),
      municipio: text(alert.municipio),
      nil: text(alert.nil),
      type: text(alert.type),
    },
  };
}

function validPosition(item) {
  const lon = Number(item.lon);
  const lat = Number(item.lat);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return [lon, lat];
}

/** 'P1'..'P4' from a string ('P2', 'p2', '2') or the C# enum value (1..4). */
function priorityOf(value) {
  const s = text(value).trim().toUpperCase();
  if (PRIORITIES.includes(s)) return s;
  if (/^[1-4]$/.test(s)) return 'P' + s;
  return 'P4';
}

/** A name from `names` given as a string (case-insensitive) or as the C# enum index. */
function enumOf(value, names, fallback) {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return names[value];
  const s = text(value).trim().toLowerCase();
  return names.find((n) => n.toLowerCase() === s) ?? fallback;
}

/** Converts an incident from Blazor into a GeoJSON feature, or null when it has no usable id or position. */
function toIncidentFeature(incident) {
  if (!incident || incident.id === undefined || incident.id === null) return null;
  const coordinates = validPosition(incident);
  if (!coordinates) return null;
  const priority = priorityOf(incident.priority);
  const selected = incident.selected === true;
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates },
    properties: {
      incidentId: String(incident.id),
      priority,
      // Higher is drawn on top: selected first, then P1 over P4.
      sortKey: (selected ? 10 : 0) + (PRIORITIES.length - PRIORITIES.indexOf(priority)),
      selected,
      title: text(incident.title),
      statusLabel: text(incident.statusLabel),
      typeLabel: text(incident.typeLabel),
    },
  };
}

/** Converts a unit from Blazor into a GeoJSON feature, or null when it has no usable id or position. */
function toUnitFeature(unit) {
  if (!unit || unit.id === undefined || unit.id === null) return null;
  const coordinates = validPosition(unit);
  if (!coordinates) return null;
  const kind = enumOf(unit.kind, UNIT_KINDS, 'PatrolCar');
  const status = enumOf(unit.status, UNIT_STATUSES, 'OffDuty');
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates },
    properties: {
      unitId: String(unit.id),
      kind,
      status,
      icon: unitIconId(kind, status),
      // Off-duty units go underneath, units on the move on top.
      sortKey: UNIT_STATUSES.length - UNIT_STATUSES.indexOf(status),
      label: text(unit.label) || String(unit.id),
      statusLabel: text(unit.statusLabel) || status,
      kindLabel: text(unit.kindLabel) || kind,
    },
  };
}

function unitIconId(kind, status) {
  return `crm-unit-${kind}-${status}`;
}

/** Traces the outline of a unit kind centred in a square of side `size` (device pixels). */
function traceUnitShape(ctx, kind, size) {
  const c = size / 2;
  ctx.beginPath();
  switch (kind) {
    case 'Motorcycle': {
      // Triangle pointing up.
      const r = size * 0.47;
      ctx.moveTo(c, c - r);
      ctx.lineTo(c + r * 0.94, c + r * 0.72);
      ctx.lineTo(c - r * 0.94, c + r * 0.72);
      ctx.closePath();
      break;
    }
    case 'FootPatrol':
      // Ring (a filled dot would read as an alert): the hole is cut with the even-odd rule.
      ctx.arc(c, c, size * 0.36, 0, Math.PI * 2);
      ctx.moveTo(c + size * 0.14, c);
      ctx.arc(c, c, size * 0.14, 0, Math.PI * 2, true);
      break;
    case 'VolunteerTeam': {
      // Plus / cross.
      const a = size * 0.42;
      const b = size * 0.15;
      ctx.moveTo(c - b, c - a);
      ctx.lineTo(c + b, c - a);
      ctx.lineTo(c + b, c - b);
      ctx.lineTo(c + a, c - b);
      ctx.lineTo(c + a, c + b);
      ctx.lineTo(c + b, c + b);
      ctx.lineTo(c + b, c + a);
      ctx.lineTo(c - b, c + a);
      ctx.lineTo(c - b, c + b);
      ctx.lineTo(c - a, c + b);
      ctx.lineTo(c - a, c - b);
      ctx.lineTo(c - b, c - b);
      ctx.closePath();
      break;
    }
    case 'Liaison': {
      // Five-pointed star.
      const outer = size * 0.5;
      const inner = outer * 0.48;
      for (let i = 0; i < 10; i++) {
        const r = i % 2 === 0 ? outer : inner;
        const angle = -Math.PI / 2 + (i * Math.PI) / 5;
        const x = c + r * Math.cos(angle);
        const y = c + 0.06 * size + r * Math.sin(angle);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.closePath();
      break;
    }
    case 'PatrolCar':
    default: {
      // Rounded square.
      const h = size * 0.38;
      const r = size * 0.08;
      const x0 = c - h;
      const y0 = c - h;
      const x1 = c + h;
      const y1 = c + h;
      ctx.moveTo(x0 + r, y0);
      ctx.arcTo(x1, y0, x1, y1, r);
      ctx.arcTo(x1, y1, x0, y1, r);
      ctx.arcTo(x0, y1, x0, y0, r);
      ctx.arcTo(x0, y0, x1, y0, r);
      ctx.closePath();
      break;
    }
  }
}

/** Draws one unit icon (shape by kind, fill by status colour, dark + light outline); returns {width, height, data}. */
function drawUnitIcon(kind, color) {
  const size = ICON_SIZE * ICON_PIXEL_RATIO;
  const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(size, size) : document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  // Read back once with getImageData: a CPU-backed canvas avoids a GPU read-back stall.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.clearRect(0, 0, size, size);
  ctx.lineJoin = 'round';
  // Inset so the outline stays inside the image.
  ctx.save();
  ctx.translate(size * 0.05, size * 0.05);
  ctx.scale(0.9, 0.9);
  traceUnitShape(ctx, kind, size);
  ctx.restore();
  ctx.lineWidth = 5;
  ctx.strokeStyle = BACKGROUND;
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.fill('evenodd');
  ctx.lineWidth = 2;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.stroke();
  const image = ctx.getImageData(0, 0, size, size);
  return { width: size, height: size, data: new Uint8Array(image.data.buffer) };
}

function element(tag, className, content) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (content !== undefined) el.textContent = content;
  return el;
}

/**
 * Creates the map in `container` and returns its handle.
 *
 * options: { center: [lon, lat], zoom, bounds?: [[w, s], [e, n]], styleUrl?, municipiUrl, nilUrl, attribution (HTML),
 *            severityColors: { info, minor, moderate, severe, extreme }, priorityColors: { P1, P2, P3, P4 },
 *            unitStatusColors: { Available, EnRoute, OnScene, Busy, OffDuty },
 *            labels: { municipio, nil, time, severity, alerts, incident, priority, status, type, unit, kind } }
 */
export async function createMap(container, options = {}) {
  if (!container || typeof container.appendChild !== 'function') {
    throw new Error('createMap: a container element is required');
  }
  await Promise.all([ensureStylesheet('maplibre-gl.css'), ensureStylesheet('controlroom-map.css')]);
  return createHandle(container, options ?? {});
}

function createHandle(container, opts) {
  const colors = { ...DEFAULT_COLORS, ...(opts.severityColors ?? {}) };
  const priorityColors = { ...DEFAULT_PRIORITY_COLORS, ...(opts.priorityColors ?? {}) };
  const unitColors = { ...DEFAULT_UNIT_STATUS_COLORS, ...(opts.unitStatusColors ?? {}) };
  const labels = { ...DEFAULT_LABELS, ...(opts.labels ?? {}) };
  const boundarySources = [];
  if (opts.nilUrl) boundarySources.push(SOURCE_NIL);
  if (opts.municipiUrl) boundarySources.push(SOURCE_MUNICIPI);

  /** All alerts, incidents and units by id (string): the truth; each source gets a copy at most once per frame. */
  const alerts = new Map();
  const incidents = new Map();
  const units = new Map();
  const datasets = {
    alerts: { items: alerts, source: SOURCE_ALERTS, countKey: 'alertCount', ids: [], dirty: false },
    incidents: { items: incidents, source: SOURCE_INCIDENTS, countKey: 'incidentCount', ids: [], dirty: false },
    units: { items: units, source: SOURCE_UNITS, countKey: 'unitCount', ids: [], dirty: false },
  };
  /** Layer visibility by name (alerts | incidents | units); applied when the style (re)loads. */
  const visible = { alerts: true, incidents: true, units: true };
  let styleReady = false;
  let styleLoadedOnce = false;
  let fellBackToOffline = false;
  let ready = false;
  let disposed = false;
  let frameRequest = 0;
  let flushTimer = 0;
  let markerTimer = 0;
  let popup = null;
  /** What the open popup shows: 'alerts' | 'incidents' | 'units', and the id. */
  let popupKind = null;
  let popupId = null;
  const clusterMarkers = new Map();
  let resolveReady;
  const readyPromise = new Promise((resolve) => {
    resolveReady = resolve;
  });

  container.classList.add('crm-map');
  delete container.dataset.mapReady;
  delete container.dataset.mapError;
  for (const d of Object.values(datasets)) container.dataset[d.countKey] = '0';

  const map = new maplibregl.Map({
    container,
    style: opts.styleUrl || offlineStyle(),
    center: Array.isArray(opts.center) && opts.center.length === 2 ? opts.center : [9.19, 45.4642],
    zoom: Number.isFinite(opts.zoom) ? opts.zoom : 11.5,
    // When given, [[west, south], [east, north]] wins over center/zoom: the whole city fits any screen.
    bounds: Array.isArray(opts.bounds) && opts.bounds.length === 2 ? opts.bounds : undefined,
    fitBoundsOptions: { padding: 24 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxPitch: 0,
  });
  map.touchZoomRotate.disableRotation();

  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 160 }), 'bottom-left');
  map.addControl(
    new maplibregl.AttributionControl({ compact: false, customAttribution: opts.attribution || undefined }),
    'bottom-right',
  );

  function collectionOf(name) {
    return { type: 'FeatureCollection', features: Array.from(datasets[name].items.values()) };
  }

  /** Adds a GeoJSON source holding the current data of a dataset (marks it clean). */
  function addDataSource(name, extra = {}) {
    const d = datasets[name];
    const data = collectionOf(name);
    map.addSource(d.source, { type: 'geojson', data, ...extra });
    d.ids = Array.from(d.items.keys());
    d.dirty = false;
    container.dataset[d.countKey] = String(data.features.length);
  }

  function visibilityOf(name) {
    return visible[name] ? 'visible' : 'none';
  }

  function addUnitIcons() {
    for (const kind of UNIT_KINDS) {
      for (const status of UNIT_STATUSES) {
        const id = unitIconId(kind, status);
        if (!map.hasImage(id)) {
          map.addImage(id, drawUnitIcon(kind, unitColors[status] ?? DEFAULT_UNIT_STATUS_COLORS[status]), {
            pixelRatio: ICON_PIXEL_RATIO,
          });
        }
      }
    }
  }

  // The Municipi an outage of critical systems is felt in: null (none), 'city' (all) or their numbers.
  let impact = null;
  function impactFilter() {
    if (impact === 'city') return ['has', 'MUNICIPIO'];
    return ['in', ['get', 'MUNICIPIO'], ['literal', impact ?? []]];
  }
  function setImpact(areas) {
    impact = areas === 'city' ? 'city' : Array.isArray(areas) && areas.length > 0 ? areas.map(Number) : null;
    container.dataset.impact = impact === null ? '' : String(impact);
    if (!disposed && map.getLayer('impact-fill')) {
      map.setFilter('impact-fill', impactFilter());
      map.setFilter('impact-line', impactFilter());
    }
  }

  function addOverlays() {
    if (opts.nilUrl && !map.getSource(SOURCE_NIL)) {
      map.addSource(SOURCE_NIL, { type: 'geojson', data: opts.nilUrl });
      map.addLayer({
        id: 'nil-fill',
        type: 'fill',
        source: SOURCE_NIL,
        paint: { 'fill-color': '#16233b', 'fill-opacity': 0.6 },
      });
      map.addLayer({
        id: 'nil-line',
        type: 'line',
        source: SOURCE_NIL,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#34496f', 'line-width': 0.8, 'line-opacity': 0.9 },
      });
    }
    if (opts.municipiUrl && !map.getSource(SOURCE_MUNICIPI)) {
      map.addSource(SOURCE_MUNICIPI, { type: 'geojson', data: opts.municipiUrl });
      map.addLayer({
        id: 'municipi-glow',
        type: 'line',
        source: SOURCE_MUNICIPI,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#5b8def', 'line-width': 6, 'line-opacity': 0.18, 'line-blur': 2 },
      });
      map.addLayer({
        id: 'municipi-line',
        type: 'line',
        source: SOURCE_MUNICIPI,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#7fa8ff', 'line-width': 2.2, 'line-opacity': 0.95 },
      });
    }
    if (map.getSource(SOURCE_MUNICIPI) && !map.getLayer('impact-fill')) {
      // Where a critical-system outage is felt: tinted under the alerts, outlined in dashes.
      map.addLayer({ id: 'impact-fill', type: 'fill', source: SOURCE_MUNICIPI, filter: impactFilter(),
        paint: { 'fill-color': '#d32f2f', 'fill-opacity': 0.16 } });
      map.addLayer({ id: 'impact-line', type: 'line', source: SOURCE_MUNICIPI, filter: impactFilter(),
        layout: { 'line-join': 'round' }, paint: { 'line-color': '#ff5252', 'line-width': 3, 'line-dasharray': [2, 1.5] } });
    }
    // Layer order, bottom to top: alerts, incidents, units (a unit on scene stays visible on its incident).
    if (!map.getSource(SOURCE_ALERTS)) {
      addDataSource('alerts', {
        cluster: true,
        clusterRadius: 40,
        clusterMaxZoom: 14,
        // The worst severity in a cluster colours it.
        clusterProperties: { maxRank: ['max', ['get', 'rank']] },
      });
      const rankColor = [
        'step', ['get', 'maxRank'],
        colors.info, 1, colors.minor, 2, colors.moderate, 3, colors.severe, 4, colors.extreme,
      ];
      map.addLayer({
        id: LAYER_CLUSTERS,
        type: 'circle',
        source: SOURCE_ALERTS,
        filter: CLUSTER_FILTER,
        layout: { visibility: visibilityOf('alerts') },
        paint: {
          'circle-color': rankColor,
          'circle-opacity': 0.9,
          'circle-radius': ['step', ['get', 'point_count'], 15, 10, 19, 25, 23, 100, 28, 500, 34],
          'circle-stroke-color': rankColor,
          'circle-stroke-width': 6,
          'circle-stroke-opacity': 0.3,
        },
      });
      map.addLayer({
        id: LAYER_POINTS,
        type: 'circle',
        source: SOURCE_ALERTS,
        filter: POINT_FILTER,
        layout: { 'circle-sort-key': ['get', 'rank'], visibility: visibilityOf('alerts') },
        paint: {
          'circle-color': [
            'match', ['get', 'severity'],
            'minor', colors.minor,
            'moderate', colors.moderate,
            'severe', colors.severe,
            'extreme', colors.extreme,
            colors.info,
          ],
          'circle-radius': 7,
          'circle-stroke-color': BACKGROUND,
          'circle-stroke-width': 2,
        },
      });
    }
    if (!map.getSource(SOURCE_INCIDENTS)) {
      addDataSource('incidents');
      const priorityColor = [
        'match', ['get', 'priority'],
        'P1', priorityColors.P1,
        'P2', priorityColors.P2,
        'P3', priorityColors.P3,
        priorityColors.P4,
      ];
      const isSelected = ['==', ['get', 'selected'], true];
      // P1 and selected incidents get an outer ring (white when selected) around a faint disc: a "target".
      map.addLayer({
        id: LAYER_INCIDENT_HALO,
        type: 'circle',
        source: SOURCE_INCIDENTS,
        filter: ['any', ['==', ['get', 'priority'], 'P1'], isSelected],
        layout: { 'circle-sort-key': ['get', 'sortKey'], visibility: visibilityOf('incidents') },
        paint: {
          'circle-color': ['case', isSelected, '#ffffff', priorityColor],
          'circle-opacity': 0.16,
          'circle-radius': ['case', isSelected, 21, 19],
          'circle-stroke-color': ['case', isSelected, '#ffffff', priorityColor],
          'circle-stroke-width': ['case', isSelected, 3, 2.5],
          'circle-stroke-opacity': 0.95,
        },
      });
      // A dark ring outside the white one keeps incidents readable on top of alert clusters.
      map.addLayer({
        id: LAYER_INCIDENT_BASE,
        type: 'circle',
        source: SOURCE_INCIDENTS,
        layout: { 'circle-sort-key': ['get', 'sortKey'], visibility: visibilityOf('incidents') },
        paint: { 'circle-color': BACKGROUND, 'circle-opacity': 0.9, 'circle-radius': 15 },
      });
      map.addLayer({
        id: LAYER_INCIDENTS,
        type: 'circle',
        source: SOURCE_INCIDENTS,
        layout: { 'circle-sort-key': ['get', 'sortKey'], visibility: visibilityOf('incidents') },
        paint: {
          'circle-color': priorityColor,
          'circle-radius': 10,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 3,
        },
      });
    }
    addUnitIcons();
    if (!map.getSource(SOURCE_UNITS)) {
      addDataSource('units');
      map.addLayer({
        id: LAYER_UNITS,
        type: 'symbol',
        source: SOURCE_UNITS,
        // Icon only: no text, so no glyphs are needed.
        layout: {
          'icon-image': ['get', 'icon'],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'icon-padding': 0,
          'symbol-sort-key': ['get', 'sortKey'],
          visibility: visibilityOf('units'),
        },
      });
    }
  }

  function checkReady() {
    if (ready || disposed || !styleReady) return;
    for (const id of boundarySources) {
      if (!map.getSource(id) || !map.isSourceLoaded(id)) return;
    }
    ready = true;
    container.dataset.mapReady = 'true';
    resolveReady(true);
  }

  // ---- data: coalesced into one setData per source per animation frame ----

  function scheduleFlush(name) {
    if (name) datasets[name].dirty = true;
    if (!styleReady || disposed || frameRequest || flushTimer) return;
    if (document.visibilityState === 'hidden') {
      // requestAnimationFrame does not run in a hidden tab; keep the sources current anyway.
      flushTimer = setTimeout(flush, 250);
    } else {
      frameRequest = requestAnimationFrame(flush);
    }
  }

  function flush() {
    frameRequest = 0;
    flushTimer = 0;
    if (disposed || !styleReady) return;
    for (const [name, d] of Object.entries(datasets)) {
      if (!d.dirty) continue;
      const source = map.getSource(d.source);
      if (!source) continue;
      d.dirty = false;
      const data = collectionOf(name);
      source.setData(data);
      d.ids = Array.from(d.items.keys());
      container.dataset[d.countKey] = String(data.features.length);
    }
  }

  /** Shared upsert: converts, stores by id, refreshes an open popup on the same item, schedules one flush. */
  function upsert(name, features, convert, idKey, what) {
    if (disposed || features === undefined || features === null) return;
    const list = Array.isArray(features) ? features : [features];
    const items = datasets[name].items;
    let changed = false;
    for (const item of list) {
      const feature = convert(item);
      if (!feature) {
        console.warn(`controlroom-map: ${what} ignored (no id or no valid lon/lat)`, item);
        continue;
      }
      const id = feature.properties[idKey];
      items.set(id, feature);
      changed = true;
      if (popup && popupKind === name && popupId === id) {
        popup.setLngLat(feature.geometry.coordinates).setDOMContent(popupContent(name, feature.properties));
      }
    }
    if (changed) scheduleFlush(name);
  }

  function remove(name, ids) {
    if (disposed || ids === undefined || ids === null) return;
    const list = Array.isArray(ids) ? ids : [ids];
    const items = datasets[name].items;
    let changed = false;
    for (const id of list) {
      const key = String(id);
      if (items.delete(key)) changed = true;
      if (popup && popupKind === name && popupId === key) popup.remove();
    }
    if (changed) scheduleFlush(name);
  }

  function clear(name) {
    if (disposed) return;
    datasets[name].items.clear();
    if (popup && popupKind === name) popup.remove();
    scheduleFlush(name);
  }

  const upsertAlerts = (features) => upsert('alerts', features, toFeature, 'alertId', 'alert');
  const upsertIncidents = (features) => upsert('incidents', features, toIncidentFeature, 'incidentId', 'incident');
  const upsertUnits = (features) => upsert('units', features, toUnitFeature, 'unitId', 'unit');

  // ---- popups ----

  function popupRows() {
    const rows = element('dl', 'crm-popup-rows');
    const addRow = (label, value) => {
      rows.appendChild(element('dt', null, label));
      const dd = element('dd');
      if (value instanceof Node) dd.appendChild(value);
      else dd.textContent = text(value);
      rows.appendChild(dd);
    };
    return { rows, addRow };
  }

  function badge(className, label, background) {
    const el = element('span', className, label);
    el.style.backgroundColor = background;
    el.style.color = textColorFor(background);
    return el;
  }

  function alertPopupContent(p) {
    const root = element('div', 'crm-popup-body');
    root.dataset.alertId = p.alertId;
    root.appendChild(element('div', 'crm-popup-title', p.title || p.type || p.alertId));
    const { rows, addRow } = popupRows();
    const severity = badge('crm-popup-severity', p.severityLabel, colors[p.severity] ?? colors.info);
    severity.dataset.severity = p.severity;
    addRow(labels.severity, severity);
    if (p.time) addRow(labels.time, p.time);
    if (p.municipio) addRow(labels.municipio, p.municipio);
    if (p.nil) addRow(labels.nil, p.nil);
    root.appendChild(rows);
    return root;
  }

  function incidentPopupContent(p) {
    const root = element('div', 'crm-popup-body crm-popup-incident');
    root.dataset.incidentId = p.incidentId;
    const title = element('div', 'crm-popup-title');
    const priority = badge('crm-popup-priority', p.priority, priorityColors[p.priority] ?? priorityColors.P4);
    priority.dataset.priority = p.priority;
    title.appendChild(priority);
    title.appendChild(document.createTextNode(p.title || p.typeLabel || `${labels.incident} ${p.incidentId}`));
    root.appendChild(title);
    const { rows, addRow } = popupRows();
    if (p.typeLabel) addRow(labels.type, p.typeLabel);
    if (p.statusLabel) addRow(labels.status, p.statusLabel);
    addRow(labels.priority, p.priority);
    root.appendChild(rows);
    return root;
  }

  function unitPopupContent(p) {
    const root = element('div', 'crm-popup-body crm-popup-unit');
    root.dataset.unitId = p.unitId;
    root.appendChild(element('div', 'crm-popup-title', p.label || p.unitId));
    const { rows, addRow } = popupRows();
    addRow(labels.kind, p.kindLabel);
    const status = badge('crm-popup-status', p.statusLabel, unitColors[p.status] ?? DEFAULT_UNIT_STATUS_COLORS.OffDuty);
    status.dataset.status = p.status;
    addRow(labels.status, status);
    root.appendChild(rows);
    return root;
  }

  function popupContent(kind, properties) {
    if (kind === 'incidents') return incidentPopupContent(properties);
    if (kind === 'units') return unitPopupContent(properties);
    return alertPopupContent(properties);
  }

  function openPopup(kind, id) {
    const feature = datasets[kind]?.items.get(id);
    if (!feature || disposed) return;
    popup?.remove();
    const created = new maplibregl.Popup({
      className: 'crm-popup',
      closeButton: true,
      closeOnClick: true,
      maxWidth: '380px',
      offset: kind === 'alerts' ? 10 : 14,
    })
      .setLngLat(feature.geometry.coordinates)
      .setDOMContent(popupContent(kind, feature.properties));
    created.on('close', () => {
      if (popup === created) {
        popup = null;
        popupKind = null;
        popupId = null;
      }
    });
    popup = created;
    popupKind = kind;
    popupId = id;
    created.addTo(map);
  }

  // ---- cluster counts as HTML markers (no glyphs needed) ----

  function removeClusterMarkers() {
    for (const entry of clusterMarkers.values()) entry.marker.remove();
    clusterMarkers.clear();
  }

  function updateClusterMarkers() {
    if (disposed || !styleReady || !map.getSource(SOURCE_ALERTS) || !map.isSourceLoaded(SOURCE_ALERTS)) return;
    if (!visible.alerts) {
      removeClusterMarkers();
      return;
    }
    const seen = new Set();
    for (const f of map.querySourceFeatures(SOURCE_ALERTS, { filter: CLUSTER_FILTER })) {
      const p = f.properties;
      const clusterId = p.cluster_id;
      if (seen.has(clusterId)) continue;
      seen.add(clusterId);
      const count = Number(p.point_count);
      const [lon, lat] = f.geometry.coordinates;
      let entry = clusterMarkers.get(clusterId);
      if (!entry) {
        const el = element('div', 'crm-cluster-count');
        const marker = new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat([lon, lat]).addTo(map);
        el.style.pointerEvents = 'none';
        entry = { marker, el, count: -1, lon, lat };
        clusterMarkers.set(clusterId, entry);
      } else if (entry.lon !== lon || entry.lat !== lat) {
        entry.marker.setLngLat([lon, lat]);
        entry.lon = lon;
        entry.lat = lat;
      }
      if (entry.count !== count) {
        entry.count = count;
        entry.el.textContent = String(count);
        entry.el.classList.toggle('crm-large', count >= 100 && count < 1000);
        entry.el.classList.toggle('crm-xlarge', count >= 1000);
        entry.el.setAttribute('aria-label', `${count} ${labels.alerts}`);
        entry.el.title = `${count} ${labels.alerts}`;
      }
    }
    for (const [clusterId, entry] of clusterMarkers) {
      if (!seen.has(clusterId)) {
        entry.marker.remove();
        clusterMarkers.delete(clusterId);
      }
    }
  }

  function scheduleMarkerUpdate() {
    if (markerTimer || disposed) return;
    markerTimer = setTimeout(() => {
      markerTimer = 0;
      updateClusterMarkers();
    }, 60);
  }

  // ---- layer visibility ----

  function setLayerVisible(name, isVisible) {
    const key = text(name).trim().toLowerCase();
    if (disposed || !Object.prototype.hasOwnProperty.call(LAYER_GROUPS, key)) {
      if (!disposed) console.warn('controlroom-map: unknown layer', name);
      return false;
    }
    visible[key] = Boolean(isVisible);
    container.dataset[`${key}Visible`] = String(visible[key]);
    if (styleReady) {
      for (const layerId of LAYER_GROUPS[key]) {
        if (map.getLayer(layerId)) map.setLayoutProperty(layerId, 'visibility', visibilityOf(key));
      }
    }
    if (!visible[key] && popup && popupKind === key) popup.remove();
    if (key === 'alerts') {
      if (visible.alerts) scheduleMarkerUpdate();
      else removeClusterMarkers();
    }
    return true;
  }

  // ---- map events ----

  map.on('style.load', () => {
    if (disposed) return;
    styleLoadedOnce = true;
    addOverlays();
    styleReady = true;
    let pending = false;
    for (const d of Object.values(datasets)) {
      if (d.dirty || d.ids.length !== d.items.size) {
        d.dirty = true;
        pending = true;
      }
    }
    if (pending) scheduleFlush();
    checkReady();
  });

  map.on('error', (e) => {
    const error = e?.error ?? e;
    if (opts.styleUrl && !styleLoadedOnce && !fellBackToOffline && !e?.sourceId) {
      // The online style could not be loaded (no network?): fall back to the offline style.
      fellBackToOffline = true;
      console.warn('controlroom-map: online style failed, using the offline style', error);
      map.setStyle(offlineStyle(), { diff: false });
      return;
    }
    container.dataset.mapError = text(error?.message ?? error);
    console.error('controlroom-map:', error);
  });

  map.on('sourcedata', (e) => {
    if (e.sourceId && boundarySources.includes(e.sourceId)) checkReady();
  });
  map.on('idle', () => {
    checkReady();
    updateClusterMarkers();
  });
  map.on('render', scheduleMarkerUpdate);

  /** Clickable layers; a click goes to the top-most feature under the pointer only. */
  const CLICK_LAYERS = [LAYER_UNITS, LAYER_INCIDENTS, LAYER_POINTS, LAYER_CLUSTERS];

  function clickableLayers() {
    return CLICK_LAYERS.filter((id) => map.getLayer(id));
  }

  // Right-click (long press on touch screens) picks a place: the page offers a new incident there.
  map.on('contextmenu', (e) => {
    if (disposed) return;
    e.preventDefault();
    container.dispatchEvent(new CustomEvent('cr-map-pick', { detail: { lon: e.lngLat.lng, lat: e.lngLat.lat } }));
  });

  map.on('click', async (e) => {
    if (disposed || !styleReady) return;
    const layers = clickableLayers();
    if (layers.length === 0) return;
    // Top-most first (units over incidents over alerts).
    const feature = map.queryRenderedFeatures(e.point, { layers })[0];
    if (!feature) return;
    const p = feature.properties;
    switch (feature.layer.id) {
      case LAYER_UNITS:
        openPopup('units', String(p.unitId));
        break;
      case LAYER_INCIDENTS: {
        const id = String(p.incidentId);
        openPopup('incidents', id);
        container.dispatchEvent(new CustomEvent('cr-incident-click', { detail: { id } }));
        break;
      }
      case LAYER_POINTS:
        openPopup('alerts', String(p.alertId));
        break;
      case LAYER_CLUSTERS: {
        const source = map.getSource(SOURCE_ALERTS);
        try {
          const zoom = await source.getClusterExpansionZoom(p.cluster_id);
          if (!disposed) map.easeTo({ center: feature.geometry.coordinates, zoom });
        } catch (err) {
          console.warn('controlroom-map: cluster expansion failed', err);
        }
        break;
      }
      default:
        break;
    }
  });

  map.on('mousemove', (e) => {
    if (!styleReady) return;
    const layers = clickableLayers();
    if (layers.length === 0) return;
    const hit = map.queryRenderedFeatures(e.point, { layers }).length > 0;
    map.getCanvas().style.cursor = hit ? 'pointer' : '';
  });

  // ---- the handle ----

  function renderedIds(layerId, idKey) {
    if (disposed || !styleReady || !map.getLayer(layerId)) return [];
    const ids = new Set();
    for (const f of map.queryRenderedFeatures({ layers: [layerId] })) ids.add(String(f.properties[idKey]));
    return Array.from(ids);
  }

  function screenPosition(name, id) {
    const feature = datasets[name].items.get(String(id));
    if (!feature || disposed) return null;
    const p = map.project(feature.geometry.coordinates);
    return { x: p.x, y: p.y };
  }

  function dispose() {
    if (disposed) return;
    disposed = true;
    if (frameRequest) cancelAnimationFrame(frameRequest);
    clearTimeout(flushTimer);
    clearTimeout(markerTimer);
    popup?.remove();
    removeClusterMarkers();
    for (const d of Object.values(datasets)) {
      d.items.clear();
      delete container.dataset[d.countKey];
    }
    for (const key of Object.keys(LAYER_GROUPS)) delete container.dataset[`${key}Visible`];
    try {
      map.remove();
    } catch (err) {
      console.warn('controlroom-map: dispose', err);
    }
    delete container.dataset.mapReady;
    delete container.controlRoomMap;
    container.classList.remove('crm-map');
    resolveReady(false);
  }

  const handle = {
    /** Adds or replaces alerts (by id). Safe to call before the map has loaded. */
    upsertAlerts,
    /** Removes alerts by id. */
    removeAlerts: (ids) => remove('alerts', ids),
    /** Removes every alert. */
    clearAlerts: () => clear('alerts'),
    /** Ids (strings) of unclustered alert points rendered on screen now. */
    renderedAlertIds: () => renderedIds(LAYER_POINTS, 'alertId'),
    /** Ids (strings) of the alerts held in the map source (as of the last setData). */
    alertIds: () => datasets.alerts.ids.slice(),
    /** Adds or replaces incidents (by id); never clustered, drawn above the alerts. Safe before load. */
    upsertIncidents,
    /** Removes incidents by id. */
    removeIncidents: (ids) => remove('incidents', ids),
    /** Removes every incident. */
    clearIncidents: () => clear('incidents'),
    /** Ids (strings) of the incidents rendered on screen now. */
    renderedIncidentIds: () => renderedIds(LAYER_INCIDENTS, 'incidentId'),
    /** Ids (strings) of the incidents held in the map source (as of the last setData). */
    incidentIds: () => datasets.incidents.ids.slice(),
    /** Adds or replaces units (by id); a new position simply moves the icon. Safe before load. */
    upsertUnits,
    /** Removes units by id. */
    removeUnits: (ids) => remove('units', ids),
    /** Removes every unit. */
    clearUnits: () => clear('units'),
    /** Ids (strings) of the units rendered on screen now. */
    renderedUnitIds: () => renderedIds(LAYER_UNITS, 'unitId'),
    /** Ids (strings) of the units held in the map source (as of the last setData). */
    unitIds: () => datasets.units.ids.slice(),
    /** Tints the Municipi an outage is felt in: 'city', an array of Municipio numbers, or null for none. Safe before load. */
    setImpact,
    /** Shows or hides 'alerts' | 'incidents' | 'units'; returns false for an unknown name. Safe before load. */
    setLayerVisible,
    /** Whether 'alerts' | 'incidents' | 'units' is shown (undefined for an unknown name). */
    isLayerVisible: (name) => visible[text(name).trim().toLowerCase()],
    /** Resolves true once the style and the boundary sources have loaded (false if disposed first). */
    whenReady: () => readyPromise,
    /** Zooms to an alert and opens its popup; returns false when the id is unknown. */
    focusAlert(id, zoom = 16) {
      const key = String(id);
      const feature = alerts.get(key);
      if (!feature || disposed) return false;
      map.easeTo({ center: feature.geometry.coordinates, zoom: Math.max(map.getZoom(), zoom) });
      openPopup('alerts', key);
      return true;
    },
    /** Pixel position {x, y} of an alert relative to the container (for UI tests), or null when unknown. */
    alertScreenPosition: (id) => screenPosition('alerts', id),
    /** Pixel position {x, y} of an incident relative to the container, or null when unknown. */
    incidentScreenPosition: (id) => screenPosition('incidents', id),
    /** Pixel position {x, y} of a unit relative to the container, or null when unknown. */
    unitScreenPosition: (id) => screenPosition('units', id),
    /** Call after the container changes size (e.g. a drawer opens). */
    resize: () => {
      if (!disposed) map.resize();
    },
    /** Removes the map and frees its resources. */
    dispose,
  };
  // Reachable from the page for end-to-end tests and for debugging in the browser console.
  container.controlRoomMap = handle;
  return handle;
}

/**
 * Forwards incident clicks on the map (the 'cr-incident-click' event on the container) to .NET:
 * `dotnetRef.invokeMethodAsync('IncidentClicked', id)`. Returns a handle whose dispose() stops it.
 */
export function listenIncidentClicks(container, dotnetRef) {
  const handler = (e) => dotnetRef.invokeMethodAsync('IncidentClicked', String(e.detail?.id ?? ''));
  const pick = (e) => dotnetRef.invokeMethodAsync('MapPicked', Number(e.detail?.lon), Number(e.detail?.lat));
  container.addEventListener('cr-incident-click', handler);
  container.addEventListener('cr-map-pick', pick);
  return {
    dispose: () => {
      container.removeEventListener('cr-incident-click', handler);
      container.removeEventListener('cr-map-pick', pick);
    },
  };
}
