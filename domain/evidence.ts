/**
 * Evidence (举证材料): photos and videos an officer takes on site, stored by content hash. What may be
 * uploaded, and the warnings an upload can carry. Plain constants: the API and the UI both read them.
 */

export type EvidenceKind = 'photo' | 'video';

/** Accepted formats, decided from the file's first bytes (the browser's declared type is not trusted). */
export const EVIDENCE_MIME_TYPES = {
  'image/jpeg': 'photo',
  'image/png': 'photo',
  'image/webp': 'photo',
  'image/heic': 'photo',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/webm': 'video',
} as const satisfies Record<string, EvidenceKind>;
export type EvidenceMime = keyof typeof EVIDENCE_MIME_TYPES;

export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 200 * 1024 * 1024;

/**
 * A photo whose GPS point lies farther than this from the patch polygon is flagged: a phone's GPS is
 * good to some tens of metres, and a photographer stands beside, not inside, a large site; 500 m is
 * well beyond both and still catches a photo taken at the office or at another patch.
 */
export const GPS_FAR_FROM_PATCH_METRES = 500;

/**
 * How far a capture time may lie ahead of the moment the file was uploaded before it is flagged: a phone's
 * clock a few minutes fast is ordinary; a photo "taken" half an hour after its upload was not taken when it says.
 */
export const CAPTURE_CLOCK_TOLERANCE_MINUTES = 5;

export type EvidenceWarningCode = 'gps_far_from_patch' | 'predates_issuance' | 'captured_in_future' | 'no_gps' | 'no_capture_time';

/** The values a warning's text names, so that a client can word it in its own language. */
export interface EvidenceWarningParams {
  /** What the file is (photo, video). */
  kind: EvidenceKind;
  /** gps_far_from_patch: metres from the polygon's edge, and the limit beyond which a file is flagged. */
  distanceMetres?: number;
  limitMetres?: number;
  /** predates_issuance: the patch's issue day (YYYY-MM-DD, Asia/Shanghai) and when the file was taken. */
  issuedOn?: string;
  capturedAt?: string;
  /** captured_in_future: when the file was uploaded, and the clock tolerance (minutes) beyond which a later capture time is flagged. */
  uploadedAt?: string;
  toleranceMinutes?: number;
}

export interface EvidenceWarning {
  code: EvidenceWarningCode;
  /** In the language the request asked for. */
  message: string;
  params: EvidenceWarningParams;
  /** For gps_far_from_patch: metres from the polygon's edge (also in params). */
  distanceMetres?: number;
}

/** The answer to an upload, and an entry of the evidence list. */
export interface EvidenceUpload {
  sha256: string;
  kind: EvidenceKind;
  name?: string;
  mime: string;
  size: number;
  gps?: { lat: number; lng: number };
  capturedAt?: string;
  /** EXIF GPSImgDirection: where the camera faced, degrees clockwise from north; T true or M magnetic north. */
  direction?: number;
  directionRef?: 'T' | 'M';
  patchCode: string;
  warnings: EvidenceWarning[];
  /** When it was uploaded for the patch (ISO instant). */
  uploadedAt?: string;
}
