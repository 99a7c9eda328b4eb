/**
 * A GeoTIFF (Cloud-Optimized or not) drawn on a Leaflet map: geotiff.js reads only the window around the
 * patch, by HTTP range requests with the session's token, from the overview that fits the screen; the
 * pixels go into a canvas shown as an image overlay at the window's bounds. No decoding is done here.
 */
import { fromUrl } from 'geotiff';
import L from 'leaflet';
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';
import { authHeaders, type ImageryRaster } from './api';

const MAX_PIXELS = 1024;

type Bbox = [number, number, number, number];

/** The part of the raster worth reading: its overlap with the area around the patch. */
function windowOf(raster: Bbox, around?: Bbox): Bbox {
  if (!around) return raster;
  const [w, s, e, n] = around;
  const mx = Math.max(e - w, 0.002) * 2;
  const my = Math.max(n - s, 0.002) * 2;
  const win: Bbox = [Math.max(raster[0], w - mx), Math.max(raster[1], s - my), Math.min(raster[2], e + mx), Math.min(raster[3], n + my)];
  return win[0] < win[2] && win[1] < win[3] ? win : raster;
}

async function renderRaster(raster: ImageryRaster, around: Bbox | undefined, signal: AbortSignal) {
  const tiff = await fromUrl(raster.url, { headers: authHeaders(), allowFullFile: false }, signal);
  const image = await tiff.getImage();
  const [rw, rs, re, rn] = image.getBoundingBox() as Bbox;
  const win = windowOf([rw, rs, re, rn], around);
  const nativeW = ((win[2] - win[0]) / (re - rw)) * image.getWidth();
  const nativeH = ((win[3] - win[1]) / (rn - rs)) * image.getHeight();
  const scale = Math.min(1, MAX_PIXELS / Math.max(nativeW, nativeH));
  const width = Math.max(1, Math.round(nativeW * scale));
  const height = Math.max(1, Math.round(nativeH * scale));
  const bands = image.getSamplesPerPixel();
  const samples = bands >= 3 ? [0, 1, 2] : [0];
  const data = (await tiff.readRasters({ bbox: win, width, height, samples, interleave: true, signal })) as unknown as ArrayLike<number>;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const rgba = ctx.createImageData(width, height);
  const step = samples.length;
  for (let i = 0, j = 0; i < width * height; i++, j += step) {
    rgba.data[i * 4] = data[j];
    rgba.data[i * 4 + 1] = data[j + (step > 1 ? 1 : 0)];
    rgba.data[i * 4 + 2] = data[j + (step > 1 ? 2 : 0)];
    rgba.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(rgba, 0, 0);
  return { url: canvas.toDataURL('image/png'), bounds: L.latLngBounds([win[1], win[0]], [win[3], win[2]]) };
}

export function GeoTiffOverlay({ raster, around, onState }: { raster: ImageryRaster; around?: Bbox; onState?: (state: 'drawn' | 'failed') => void }) {
  const map = useMap();
  const key = around?.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `around`
  useEffect(() => {
    const controller = new AbortController();
    let overlay: L.ImageOverlay | undefined;
    renderRaster(raster, around, controller.signal).then(
      ({ url, bounds }) => {
        if (controller.signal.aborted) return;
        overlay = L.imageOverlay(url, bounds, { className: 'imagery-raster', zIndex: 1 }).addTo(map);
        overlay.bringToBack();
        onState?.('drawn');
      },
      () => {
        if (!controller.signal.aborted) onState?.('failed');
      },
    );
    return () => {
      controller.abort();
      overlay?.remove();
    };
  }, [map, raster.url, key]);
  return null;
}
