/**
 * A tile archive (PMTiles or MBTiles) of the batch drawn on a Leaflet map. A PMTiles file is read by HTTP
 * range requests with the pmtiles library's FetchSource and its Leaflet layer, sending the session's token
 * as a header (as the GeoTIFF overlay does: the token never goes into a URL). An MBTiles is drawn from the
 * API's tiles route, each tile fetched with the same header. The browser decodes the PNG/JPEG/WebP tiles.
 */
import L from 'leaflet';
import { FetchSource, leafletRasterLayer, PMTiles } from 'pmtiles';
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';
import { authHeaders, type ImageryRaster } from './api';

/** A grid layer whose tiles are fetched with the session's token (an <img> alone could not send it). */
const AuthTileLayer = L.GridLayer.extend({
  createTile(this: L.GridLayer & { options: { template: string } }, coords: L.Coords, done: L.DoneCallback) {
    const img = document.createElement('img');
    img.alt = '';
    const url = this.options.template.replace('{z}', String(coords.z)).replace('{x}', String(coords.x)).replace('{y}', String(coords.y));
    fetch(url, { headers: authHeaders() })
      .then(async (res) => {
        if (res.status === 200) {
          img.src = URL.createObjectURL(await res.blob());
          await img.decode().catch(() => undefined);
        } else img.style.display = 'none'; // no tile there
        done(res.ok ? undefined : new Error(`tile ${res.status}`), img);
      })
      .catch((err: Error) => done(err, img));
    return img;
  },
}) as unknown as new (
  options: L.GridLayerOptions & { template?: string },
) => L.GridLayer;

/** Whether the archive's tiles now on the map have been decoded (and so are drawn). */
const decoded = (layer: L.GridLayer) =>
  Promise.all(
    [...(layer.getContainer()?.querySelectorAll('img') ?? [])]
      .filter((img) => img.src && img.style.display !== 'none')
      .map((img) => img.decode().catch(() => undefined)),
  );

export function TileArchiveLayer({ raster, onState }: { raster: ImageryRaster; onState?: (state: 'drawn' | 'failed') => void }) {
  const map = useMap();
  useEffect(() => {
    const [w, s, e, n] = raster.bounds;
    const options = {
      bounds: L.latLngBounds([s, w], [n, e]),
      minNativeZoom: raster.minZoom ?? undefined,
      maxNativeZoom: raster.maxZoom ?? undefined,
      maxZoom: 22,
      zIndex: 2,
      className: 'imagery-tiles',
    };
    let layer: L.GridLayer;
    if (raster.format === 'pmtiles') {
      // The pmtiles Leaflet layer extends the global L's GridLayer.
      (window as unknown as { L?: typeof L }).L ??= L;
      const archive = new PMTiles(new FetchSource(new URL(raster.url, window.location.href).href, new Headers(authHeaders())));
      layer = leafletRasterLayer(archive, options) as L.GridLayer;
    } else layer = new AuthTileLayer({ ...options, template: raster.tiles });
    let failed = false;
    layer.on('tileerror', () => {
      failed = true;
    });
    layer.on('load', () => {
      decoded(layer).then(() => onState?.(failed ? 'failed' : 'drawn'));
    });
    layer.addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, raster.url, raster.tiles, raster.format, raster.bounds, raster.minZoom, raster.maxZoom, onState]);
  return null;
}
