/**
 * The patch polygon on a map that needs no network: an SVG GeoJSON layer fitted to its bounds on a plain
 * background, with a scale. Tiles are drawn only when the installation configures a tile URL
 * (MAP_TILE_URL). Evidence GPS points are shown as dots, and where the camera wrote its direction (EXIF
 * GPSImgDirection) as an arrow pointing the way the photo was taken.
 */
import 'leaflet/dist/leaflet.css';
import { Box, Skeleton, Typography } from '@mui/material';
import L from 'leaflet';
import type { GeoJsonObject } from 'geojson';
import { useMemo } from 'react';
import { CircleMarker, GeoJSON, MapContainer, Marker, ScaleControl, TileLayer, Tooltip } from 'react-leaflet';
import { useTranslate } from 'react-admin';
import { useUiConfig } from '../config/useUiConfig';

export interface MapPoint {
  lat: number;
  lng: number;
  label?: string;
  /** Where the camera faced: degrees clockwise from north. */
  direction?: number;
}

/** An arrow rotated to the camera's direction, drawn in SVG (no image files, nothing from the network). */
const arrowIcon = (direction: number, label: string) =>
  L.divIcon({
    className: 'evidence-direction',
    iconSize: [28, 28],
    iconAnchor: [14, 14],
    html: `<svg width="28" height="28" viewBox="-14 -14 28 28" data-testid="evidence-arrow" data-direction="${direction}" aria-label="${label.replace(/"/g, '&quot;')}" style="transform: rotate(${direction}deg)"><circle r="4" fill="#1565c0"/><path d="M0,-13 L5,-4 L1.5,-4 L1.5,2 L-1.5,2 L-1.5,-4 L-5,-4 Z" fill="#1565c0" stroke="#fff" stroke-width="0.8"/></svg>`,
  });

export function PatchMap({ geometry, points = [], height = 320 }: { geometry?: unknown; points?: MapPoint[]; height?: number | string }) {
  const translate = useTranslate();
  const { config, ready } = useUiConfig();
  const bounds = useMemo(() => {
    if (!geometry) return undefined;
    try {
      const b = L.geoJSON(geometry as GeoJsonObject).getBounds();
      for (const p of points) b.extend([p.lat, p.lng]);
      return b.isValid() ? b : undefined;
    } catch {
      return undefined;
    }
  }, [geometry, points]);
  if (!bounds) {
    return (
      <Box sx={{ height, display: 'grid', placeItems: 'center', bgcolor: 'grey.100', borderRadius: 1 }}>
        <Typography variant="body2" color="text.secondary">
          {translate('patch.noGeometry')}
        </Typography>
      </Box>
    );
  }
  // The map is created once the tile setting is known: a Leaflet map's controls are fixed at creation.
  if (!ready) return <Skeleton variant="rectangular" sx={{ height, borderRadius: 1 }} />;
  return (
    <Box sx={{ height, borderRadius: 1, overflow: 'hidden', '& .leaflet-container': { height: '100%', bgcolor: '#eef2f0' } }} data-testid="patch-map">
      <MapContainer bounds={bounds} boundsOptions={{ padding: [24, 24] }} maxZoom={19} scrollWheelZoom={false} attributionControl={Boolean(config?.tileUrl)}>
        {config?.tileUrl && <TileLayer url={config.tileUrl} attribution={config.tileAttribution ?? ''} maxZoom={19} />}
        <GeoJSON data={geometry as GeoJsonObject} style={{ color: '#c62828', weight: 2, fillColor: '#ef5350', fillOpacity: 0.25 }} />
        {points.map((p, i) =>
          p.direction !== undefined ? (
            <Marker
              key={`${p.lat},${p.lng},${i}`}
              position={[p.lat, p.lng]}
              icon={arrowIcon(p.direction, translate('patch.photoDirection', { direction: Math.round(p.direction) }))}
            >
              {p.label && <Tooltip>{`${p.label} · ${translate('patch.photoDirection', { direction: Math.round(p.direction) })}`}</Tooltip>}
            </Marker>
          ) : (
            <CircleMarker key={`${p.lat},${p.lng},${i}`} center={[p.lat, p.lng]} radius={6} pathOptions={{ color: '#1565c0', fillOpacity: 0.8 }}>
              {p.label && <Tooltip>{p.label}</Tooltip>}
            </CircleMarker>
          ),
        )}
        <ScaleControl imperial={false} />
      </MapContainer>
    </Box>
  );
}
