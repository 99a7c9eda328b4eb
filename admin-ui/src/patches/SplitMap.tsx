/**
 * A patch and its children (拆分) on one map: the parent's outline in red, each child filled in blue and
 * labelled with its number, so that the county checks what it uploads and the reviewer what it approves.
 */
import 'leaflet/dist/leaflet.css';
import { Box } from '@mui/material';
import L from 'leaflet';
import type { GeoJsonObject } from 'geojson';
import { useMemo } from 'react';
import { GeoJSON, MapContainer, ScaleControl, Tooltip } from 'react-leaflet';

export function SplitMap({ parent, parts, height = 280 }: { parent?: unknown; parts: Array<{ label: string; geometry: unknown }>; height?: number }) {
  const bounds = useMemo(() => {
    try {
      const b = L.latLngBounds([]);
      for (const g of [parent, ...parts.map((c) => c.geometry)]) if (g) b.extend(L.geoJSON(g as GeoJsonObject).getBounds());
      return b.isValid() ? b : undefined;
    } catch {
      return undefined;
    }
  }, [parent, parts]);
  if (!bounds) return null;
  return (
    <Box sx={{ height, borderRadius: 1, overflow: 'hidden', '& .leaflet-container': { height: '100%', bgcolor: '#eef2f0' } }} data-testid="split-map">
      <MapContainer bounds={bounds} boundsOptions={{ padding: [24, 24] }} maxZoom={20} scrollWheelZoom={false} attributionControl={false}>
        {Boolean(parent) && <GeoJSON data={parent as GeoJsonObject} style={{ color: '#c62828', weight: 2, fillOpacity: 0 }} />}
        {parts.map((c) => (
          <GeoJSON
            key={`${c.label}:${JSON.stringify(c.geometry).length}`}
            data={c.geometry as GeoJsonObject}
            style={{ color: '#1565c0', weight: 1, fillColor: '#42a5f5', fillOpacity: 0.35, className: 'split-child' }}
          >
            <Tooltip permanent direction="center">
              {c.label}
            </Tooltip>
          </GeoJSON>
        ))}
        <ScaleControl imperial={false} />
      </MapContainer>
    </Box>
  );
}
