/**
 * Before and after side by side (前时相/后时相, 内业比对 004 三): two Leaflet maps with synchronised pan and
 * zoom, fitted to the patch with its outline, each labelled with its phase and imaging date. The rasters
 * are the batch's GeoTIFFs or tile archives (PMTiles, MBTiles); a region's imagery services (WMTS/XYZ, e.g. 天地图) are drawn under them with
 * their attribution. On a phone the two maps stack.
 */
import 'leaflet/dist/leaflet.css';
import { Box, Typography } from '@mui/material';
import type { GeoJsonObject } from 'geojson';
import L from 'leaflet';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslate } from 'react-admin';
import { tileLayerProps } from './tileOptions';
import { GeoJSON, MapContainer, ScaleControl, TileLayer, useMap } from 'react-leaflet';
import { formatDate } from '../format';
import type { ImageryRaster, ImageryService, PatchImageryAnswer } from './api';
import { GeoTiffOverlay } from './GeoTiffOverlay';
import { TileArchiveLayer } from './TileArchiveLayer';

type Phase = 'before' | 'after';
type Bbox = [number, number, number, number];

/** Keeps every map of the group at the same centre and zoom as the one being moved. */
function useSyncGroup() {
  const maps = useRef(new Set<L.Map>());
  const syncing = useRef(false);
  return useMemo(
    () => ({
      join(map: L.Map) {
        maps.current.add(map);
        const follow = () => {
          if (syncing.current) return;
          syncing.current = true;
          for (const other of maps.current) if (other !== map) other.setView(map.getCenter(), map.getZoom(), { animate: false });
          syncing.current = false;
        };
        map.on('move zoom', follow);
        return () => {
          map.off('move zoom', follow);
          maps.current.delete(map);
        };
      },
    }),
    [],
  );
}

function Sync({ group }: { group: ReturnType<typeof useSyncGroup> }) {
  const map = useMap();
  useEffect(() => group.join(map), [map, group]);
  return null;
}

function PhaseMap(props: {
  phase: Phase;
  rasters: ImageryRaster[];
  services: ImageryService[];
  geometry?: unknown;
  bounds: L.LatLngBounds;
  around?: Bbox;
  height: number | string;
  group: ReturnType<typeof useSyncGroup>;
}) {
  const translate = useTranslate();
  const [state, setState] = useState<'loading' | 'drawn' | 'failed'>(props.rasters.length ? 'loading' : 'drawn');
  const raster = props.rasters.at(-1);
  const date = formatDate(raster?.imagedAt);
  const services = props.services.filter((s) => s.phase === 'both' || s.phase === props.phase);
  return (
    <Box
      sx={{ position: 'relative', height: props.height, borderRadius: 1, overflow: 'hidden', '& .leaflet-container': { height: '100%', bgcolor: '#eef2f0' } }}
      data-testid={`imagery-${props.phase}`}
      data-state={state}
    >
      <MapContainer bounds={props.bounds} boundsOptions={{ padding: [24, 24] }} maxZoom={20} scrollWheelZoom={false} attributionControl={services.length > 0}>
        {services.map((s) => (
          <TileLayer key={s.url} {...tileLayerProps(s)} maxZoom={20} maxNativeZoom={18} />
        ))}
        {props.rasters.map((r) =>
          r.format === 'pmtiles' || r.format === 'mbtiles' ? (
            <TileArchiveLayer key={r.id} raster={r} onState={setState} />
          ) : (
            <GeoTiffOverlay key={r.id} raster={r} around={props.around} onState={setState} />
          ),
        )}
        {props.geometry ? (
          <GeoJSON data={props.geometry as GeoJsonObject} style={{ color: props.phase === 'after' ? '#ffeb3b' : '#e53935', weight: 2, fillOpacity: 0 }} />
        ) : null}
        <ScaleControl imperial={false} />
        <Sync group={props.group} />
      </MapContainer>
      <Box
        sx={{
          position: 'absolute',
          top: 8,
          left: 8,
          zIndex: 1000,
          px: 1,
          py: 0.25,
          borderRadius: 1,
          bgcolor: 'rgba(0,0,0,0.6)',
          color: '#fff',
          pointerEvents: 'none',
        }}
        data-testid={`imagery-${props.phase}-label`}
      >
        <Typography variant="caption" component="div" sx={{ fontWeight: 600 }}>
          {translate(`imagery.${props.phase}`)}
          {date ? ` ${date}` : ''}
        </Typography>
        {(raster?.source || (!raster && services[0])) && (
          <Typography variant="caption" component="div">
            {raster?.source ?? services[0].name}
          </Typography>
        )}
        {!raster && !services.length && (
          <Typography variant="caption" component="div">
            {translate('imagery.none')}
          </Typography>
        )}
        {state === 'failed' && (
          <Typography variant="caption" component="div">
            {translate('imagery.failed')}
          </Typography>
        )}
      </Box>
    </Box>
  );
}

export function CompareMaps({ imagery, geometry, height = 320 }: { imagery: PatchImageryAnswer; geometry?: unknown; height?: number }) {
  const group = useSyncGroup();
  const { bounds, around } = useMemo(() => {
    let b: L.LatLngBounds | undefined;
    try {
      if (geometry) b = L.geoJSON(geometry as GeoJsonObject).getBounds();
    } catch {
      b = undefined;
    }
    if (!b?.isValid()) {
      // A patch without geometry (a military one): the rasters' extent.
      const all = [...imagery.before, ...imagery.after];
      if (all.length)
        b = L.latLngBounds(
          all.flatMap(
            (r) =>
              [
                [r.bounds[1], r.bounds[0]],
                [r.bounds[3], r.bounds[2]],
              ] as [number, number][],
          ),
        );
      else if (imagery.centre) b = L.latLng(imagery.centre[1], imagery.centre[0]).toBounds(300);
    }
    const valid = b?.isValid() ? b : undefined;
    return {
      bounds: valid,
      around: valid ? ([valid.getWest(), valid.getSouth(), valid.getEast(), valid.getNorth()] as Bbox) : undefined,
    };
  }, [geometry, imagery]);
  if (!bounds) return null;
  return (
    <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: 'minmax(0,1fr)', sm: 'minmax(0,1fr) minmax(0,1fr)' } }} data-testid="imagery-compare">
      {(['before', 'after'] as const).map((phase) => (
        <PhaseMap
          key={phase}
          phase={phase}
          rasters={imagery[phase]}
          services={imagery.services}
          geometry={geometry}
          bounds={bounds}
          around={around}
          height={height}
          group={group}
        />
      ))}
    </Box>
  );
}
