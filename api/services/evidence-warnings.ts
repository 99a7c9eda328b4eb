/**
 * Warnings on an evidence file: taken far from the patch, before the patch was issued, after its own upload (a
 * capture time in the future beyond the clock tolerance), or without GPS/time; each
 * with its code, the values it names (params) and its message in the language asked for.
 */
import { pointToPolygonDistance } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { CAPTURE_CLOCK_TOLERANCE_MINUTES, GPS_FAR_FROM_PATCH_METRES, type EvidenceKind, type EvidenceWarning } from '../../domain/evidence';
import { formatLocalDate } from '../../domain/deadlines';

export interface WarningInput {
  kind: EvidenceKind;
  gps?: { lat: number; lng: number };
  capturedAt?: string;
  /** When the file was uploaded (default: now): a capture time later than that, beyond the tolerance, is flagged. */
  uploadedAt?: Date;
}

export interface PatchForWarnings {
  geometry: unknown;
  issuedAt: Date;
}

/** Metres from the point to the polygon (0 inside), or undefined without a usable geometry. */
export function distanceToPatch(gps: { lat: number; lng: number }, geometry: unknown): number | undefined {
  const g = geometry as Polygon | MultiPolygon | null;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return undefined;
  const d = pointToPolygonDistance([gps.lng, gps.lat], g, { units: 'meters' });
  return Math.max(0, d);
}

export function evidenceWarnings(file: WarningInput, patch: PatchForWarnings, english: boolean): EvidenceWarning[] {
  const out: EvidenceWarning[] = [];
  const what = file.kind === 'photo' ? (english ? 'photo' : '照片') : english ? 'video' : '视频';
  if (file.gps) {
    const d = distanceToPatch(file.gps, patch.geometry);
    if (d !== undefined && d > GPS_FAR_FROM_PATCH_METRES) {
      const metres = Math.round(d);
      out.push({
        code: 'gps_far_from_patch',
        params: { kind: file.kind, distanceMetres: metres, limitMetres: GPS_FAR_FROM_PATCH_METRES },
        distanceMetres: metres,
        message: english
          ? `the ${what} was taken ${metres} m from the patch (more than ${GPS_FAR_FROM_PATCH_METRES} m): check that it shows this patch`
          : `${what}拍摄位置距图斑 ${metres} 米（超过 ${GPS_FAR_FROM_PATCH_METRES} 米），请确认拍摄的是本图斑`,
      });
    }
  } else {
    out.push({
      code: 'no_gps',
      params: { kind: file.kind },
      message: english ? `the ${what} carries no GPS position` : `${what}未包含GPS位置信息，无法核对拍摄地点`,
    });
  }
  if (file.capturedAt) {
    if (new Date(file.capturedAt).getTime() < patch.issuedAt.getTime()) {
      const issued = formatLocalDate(patch.issuedAt);
      out.push({
        code: 'predates_issuance',
        params: { kind: file.kind, issuedOn: issued, capturedAt: new Date(file.capturedAt).toISOString() },
        message: english
          ? `the ${what} was taken before the patch was issued (${issued}): it may not show the current state`
          : `${what}拍摄时间早于图斑下发时间（${issued}），可能不能反映现状`,
      });
    }
    const uploadedAt = file.uploadedAt ?? new Date();
    if (new Date(file.capturedAt).getTime() > uploadedAt.getTime() + CAPTURE_CLOCK_TOLERANCE_MINUTES * 60_000) {
      const tolerance = CAPTURE_CLOCK_TOLERANCE_MINUTES;
      out.push({
        code: 'captured_in_future',
        params: { kind: file.kind, capturedAt: new Date(file.capturedAt).toISOString(), uploadedAt: uploadedAt.toISOString(), toleranceMinutes: tolerance },
        message: english
          ? `the ${what}'s capture time is later than its upload (by more than ${tolerance} minutes): the camera's clock is wrong or the time was altered`
          : `${what}拍摄时间晚于上传时间（超过${tolerance}分钟），拍摄设备时钟有误或时间被改动`,
      });
    }
  } else {
    out.push({ code: 'no_capture_time', params: { kind: file.kind }, message: english ? `the ${what} carries no capture time` : `${what}未包含拍摄时间` });
  }
  return out;
}
