/** Evidence upload (multipart) and authorised download (as a blob: the bearer token never goes into a URL). */
import type { EvidenceUpload } from '../../../domain/evidence';
import { sessionToken } from '../authProvider';
import { httpClient, uiLanguage } from '../dataProvider';

export async function uploadEvidence(patchCode: string, file: File): Promise<EvidenceUpload & { duplicate: boolean }> {
  const body = new FormData();
  body.append('patchCode', patchCode);
  body.append('file', file, file.name);
  const { json } = await httpClient('/api/evidence', { method: 'POST', body });
  return json;
}

/** Links a file already stored (for this patch or the one it was split from) to the patch: no second upload. */
export async function linkEvidence(patchCode: string, sha256: string): Promise<EvidenceUpload & { duplicate: boolean }> {
  const { json } = await httpClient('/api/evidence/link', { method: 'POST', body: JSON.stringify({ patchCode, sha256 }) });
  return json;
}

export async function fetchEvidenceBlob(sha256: string): Promise<Blob> {
  const res = await fetch(`/api/evidence/${sha256}`, {
    headers: { Authorization: `Bearer ${sessionToken() ?? ''}`, 'Accept-Language': uiLanguage() },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.blob();
}
