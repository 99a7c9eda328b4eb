/**
 * Which patch the evidence on a page belongs to. Evidence stored in a determination or a rectification
 * carries no warnings (the payload leaves them out); a card inside this context looks its file up in the
 * patch's evidence list (GET /api/evidence, one request per patch) and shows the warnings from there.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useGetList } from 'react-admin';
import type { EvidenceUpload } from '../../../domain/evidence';

export interface EvidencePatch {
  patchCode: string;
  /** The patch's issuance, named by the "taken before the issuance" warning. */
  issuedAt?: string | null;
}

const EvidencePatchContext = createContext<EvidencePatch | undefined>(undefined);

export function EvidencePatchProvider({ patchCode, issuedAt, children }: EvidencePatch & { children: ReactNode }) {
  return <EvidencePatchContext.Provider value={{ patchCode, issuedAt }}>{children}</EvidencePatchContext.Provider>;
}

export const useEvidencePatch = () => useContext(EvidencePatchContext);

/** Every evidence file of a patch with its warnings (GET /api/evidence?filter={"patchCode":…}). */
export function usePatchEvidence(patchCode: string, options: { enabled?: boolean; lineage?: boolean } = {}) {
  return useGetList<EvidenceUpload & { id: number }>(
    'evidence',
    { filter: { patchCode, ...(options.lineage ? { lineage: true } : {}) }, pagination: { page: 1, perPage: 100 }, sort: { field: 'id', order: 'ASC' } },
    { enabled: Boolean(patchCode) && (options.enabled ?? true) },
  );
}
