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
};

const BACKGROUND = '#0b1220';
const SOURCE_ALERTS = 'alerts';
const SOURCE_NIL = 'nil';
const SOURCE_MUNICIPI = 'municipi';
const LAYER_CLUSTERS = 'alerts-clusters';
const LAYER_POINTS = 'alerts-points';
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
 *            severityColors: { info, minor, moderate, severe, extreme },
 *            labels: { municipio, nil, time, severity, alerts } }
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
  const labels = { ...DEFAULT_LABELS, ...(opts.labels ?? {}) };
  const boundarySources = [];
  if (opts.nilUrl) boundarySources.push(SOURCE_NIL);
  if (opts.municipiUrl) boundarySources.push(SOURCE_MUNICIPI);

  /** All alerts by id (string): the truth; the source gets a copy at most once per frame. */
  const alerts = new Map();
  let sourceIds = [];
  let styleReady = false;
  let styleLoadedOnce = false;
  let fellBackToOffline = false;
  let ready = false;
  let disposed = false;
  let dirty = false;
  let frameRequest = 0;
  let flushTimer = 0;
  let markerTimer = 0;
  let popup = null;
  let popupAlertId = null;
  const clusterMarkers = new Map();
  let resolveReady;
  const readyPromise = new Promise((resolve) => {
    resolveReady = resolve;
  });

  container.classList.add('crm-map');
  delete container.dataset.mapReady;
  delete container.dataset.mapError;
  container.dataset.alertCount = '0';

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

  function currentCollection() {
    return { type: 'FeatureCollection', features: Array.from(alerts.values()) };
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
    if (!map.getSource(SOURCE_ALERTS)) {
      const data = currentCollection();
      map.addSource(SOURCE_ALERTS, {
        type: 'geojson',
        data,
        cluster: true,
        clusterRadius: 40,
        clusterMaxZoom: 14,
        // The worst severity in a cluster colours it.
        clusterProperties: { maxRank: ['max', ['get', 'rank']] },
      });
      sourceIds = Array.from(alerts.keys());
      container.dataset.alertCount = String(data.features.length);
      dirty = false;
      const rankColor = [
        'step', ['get', 'maxRank'],
        colors.info, 1, colors.minor, 2, colors.moderate, 3, colors.severe, 4, colors.extreme,
      ];
      map.addLayer({
        id: LAYER_CLUSTERS,
        type: 'circle',
        source: SOURCE_ALERTS,
        filter: CLUSTER_FILTER,
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
        layout: { 'circle-sort-key': ['get', 'rank'] },
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

  // ---- alert data: coalesced into one setData per animation frame ----

  function scheduleFlush() {
    dirty = true;
    if (!styleReady || disposed || frameRequest || flushTimer) return;
    if (document.visibilityState === 'hidden') {
      // requestAnimationFrame does not run in a hidden tab; keep the source current anyway.
      flushTimer = setTimeout(flush, 250);
    } else {
      frameRequest = requestAnimationFrame(flush);
    }
  }

  function flush() {
    frameRequest = 0;
    flushTimer = 0;
    if (disposed || !styleReady || !dirty) return;
    const source = map.getSource(SOURCE_ALERTS);
    if (!source) return;
    dirty = false;
    const data = currentCollection();
    source.setData(data);
    sourceIds = Array.from(alerts.keys());
    container.dataset.alertCount = String(data.features.length);
  }

  function upsertAlerts(features) {
    if (disposed || features === undefined || features === null) return;
    const list = Array.isArray(features) ? features : [features];
    let changed = false;
    for (const alert of list) {
      const feature = toFeature(alert);
      if (!feature) {
        console.warn('controlroom-map: alert ignored (no id or no valid lon/lat)', alert);
        continue;
      }
      alerts.set(feature.properties.alertId, feature);
      changed = true;
      if (popup && popupAlertId === feature.properties.alertId) {
        popup.setLngLat(feature.geometry.coordinates).setDOMContent(popupContent(feature.properties));
      }
    }
    if (changed) scheduleFlush();
  }

  function removeAlerts(ids) {
    if (disposed || ids === undefined || ids === null) return;
    const list = Array.isArray(ids) ? ids : [ids];
    let changed = false;
    for (const id of list) {
      const key = String(id);
      if (alerts.delete(key)) changed = true;
      if (popup && popupAlertId === key) popup.remove();
    }
    if (changed) scheduleFlush();
  }

  function clearAlerts() {
    if (disposed) return;
    alerts.clear();
    popup?.remove();
    scheduleFlush();
  }

  // ---- popup ----

  function popupContent(p) {
    const root = element('div', 'crm-popup-body');
    root.dataset.alertId = p.alertId;
    root.appendChild(element('div', 'crm-popup-title', p.title || p.type || p.alertId));
    const rows = element('dl', 'crm-popup-rows');
    const addRow = (label, value) => {
      rows.appendChild(element('dt', null, label));
      const dd = element('dd');
      if (value instanceof Node) dd.appendChild(value);
      else dd.textContent = text(value);
      rows.appendChild(dd);
    };
    const badge = element('span', 'crm-popup-severity', p.severityLabel);
    badge.dataset.severity = p.severity;
    badge.style.backgroundColor = colors[p.severity] ?? colors.info;
    badge.style.color = textColorFor(colors[p.severity] ?? colors.info);
    addRow(labels.severity, badge);
    if (p.time) addRow(labels.time, p.time);
    if (p.municipio) addRow(labels.municipio, p.municipio);
    if (p.nil) addRow(labels.nil, p.nil);
    root.appendChild(rows);
    return root;
  }

  function openPopup(alertId) {
    const feature = alerts.get(alertId);
    if (!feature || disposed) return;
    popup?.remove();
    const created = new maplibregl.Popup({
      className: 'crm-popup',
      closeButton: true,
      closeOnClick: true,
      maxWidth: '380px',
      offset: 10,
    })
      .setLngLat(feature.geometry.coordinates)
      .setDOMContent(popupContent(feature.properties));
    created.on('close', () => {
      if (popup === created) {
        popup = null;
        popupAlertId = null;
      }
    });
    popup = created;
    popupAlertId = alertId;
    created.addTo(map);
  }

  // ---- cluster counts as HTML markers (no glyphs needed) ----

  function updateClusterMarkers() {
    if (disposed || !styleReady || !map.getSource(SOURCE_ALERTS) || !map.isSourceLoaded(SOURCE_ALERTS)) return;
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

  // ---- map events ----

  map.on('style.load', () => {
    if (disposed) return;
    styleLoadedOnce = true;
    addOverlays();
    styleReady = true;
    if (dirty || sourceIds.length !== alerts.size) scheduleFlush();
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

  map.on('click', LAYER_CLUSTERS, async (e) => {
    const feature = e.features?.[0];
    if (!feature) return;
    const source = map.getSource(SOURCE_ALERTS);
    try {
      const zoom = await source.getClusterExpansionZoom(feature.properties.cluster_id);
      if (!disposed) map.easeTo({ center: feature.geometry.coordinates, zoom });
    } catch (err) {
      console.warn('controlroom-map: cluster expansion failed', err);
    }
  });

  map.on('click', LAYER_POINTS, (e) => {
    const feature = e.features?.[0];
    if (feature) openPopup(String(feature.properties.alertId));
  });

  map.on('mousemove', (e) => {
    if (!styleReady || !map.getLayer(LAYER_POINTS)) return;
    const hit = map.queryRenderedFeatures(e.point, { layers: [LAYER_POINTS, LAYER_CLUSTERS] }).length > 0;
    map.getCanvas().style.cursor = hit ? 'pointer' : '';
  });

  // ---- the handle ----

  function renderedAlertIds() {
    if (disposed || !styleReady || !map.getLayer(LAYER_POINTS)) return [];
    const ids = new Set();
    for (const f of map.queryRenderedFeatures({ layers: [LAYER_POINTS] })) ids.add(String(f.properties.alertId));
    return Array.from(ids);
  }

  function dispose() {
    if (disposed) return;
    disposed = true;
    if (frameRequest) cancelAnimationFrame(frameRequest);
    clearTimeout(flushTimer);
    clearTimeout(markerTimer);
    popup?.remove();
    for (const entry of clusterMarkers.values()) entry.marker.remove();
    clusterMarkers.clear();
    alerts.clear();
    try {
      map.remove();
    } catch (err) {
      console.warn('controlroom-map: dispose', err);
    }
    delete container.dataset.mapReady;
    delete container.dataset.alertCount;
    delete container.controlRoomMap;
    container.classList.remove('crm-map');
    resolveReady(false);
  }

  const handle = {
    /** Adds or replaces alerts (by id). Safe to call before the map has loaded. */
    upsertAlerts,
    /** Removes alerts by id. */
    removeAlerts,
    /** Removes every alert. */
    clearAlerts,
    /** Ids (strings) of unclustered alert points rendered on screen now. */
    renderedAlertIds,
    /** Ids (strings) of the alerts held in the map source (as of the last setData). */
    alertIds: () => sourceIds.slice(),
    /** Resolves true once the style and the boundary sources have loaded (false if disposed first). */
    whenReady: () => readyPromise,
    /** Zooms to an alert and opens its popup; returns false when the id is unknown. */
    focusAlert(id, zoom = 16) {
      const key = String(id);
      const feature = alerts.get(key);
      if (!feature || disposed) return false;
      map.easeTo({ center: feature.geometry.coordinates, zoom: Math.max(map.getZoom(), zoom) });
      openPopup(key);
      return true;
    },
    /** Pixel position {x, y} of an alert relative to the container (for UI tests), or null when unknown. */
    alertScreenPosition(id) {
      const feature = alerts.get(String(id));
      if (!feature || disposed) return null;
      const p = map.project(feature.geometry.coordinates);
      return { x: p.x, y: p.y };
    },
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
