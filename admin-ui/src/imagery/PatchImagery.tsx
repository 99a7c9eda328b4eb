/**
 * The patch on imagery for 内业比对: before/after side by side when the batch brought imagery or the region
 * configured an imagery service, otherwise the plain offline map (`fallback`); the centre's coordinates
 * with a copy button under either.
 */
import { Skeleton, Stack } from '@mui/material';
import type { ReactNode } from 'react';
import { usePatchImagery } from './api';
import { CentreCoordinates } from './CentreCoordinates';
import { CompareMaps } from './CompareMaps';

export function PatchImagery(props: { patchCode: string; geometry?: unknown; centroid?: unknown; height?: number; fallback: ReactNode }) {
  const { data, isPending, isError } = usePatchImagery(props.patchCode);
  const hasImagery = Boolean(data && (data.before.length || data.after.length || data.services.length));
  const centre = (data?.centre ?? (props.centroid as [number, number] | null | undefined)) || null;
  return (
    <Stack spacing={1}>
      {isPending && !isError ? (
        <Skeleton variant="rectangular" sx={{ height: props.height ?? 320, borderRadius: 1 }} />
      ) : hasImagery && data ? (
        <CompareMaps imagery={data} geometry={props.geometry} height={props.height} />
      ) : (
        props.fallback
      )}
      <CentreCoordinates centre={centre} />
    </Stack>
  );
}

/** Whether the patch has imagery to compare (the task page gives it the top of the page then). */
export function useHasImagery(patchCode: string | undefined) {
  const { data } = usePatchImagery(patchCode);
  return Boolean(data && (data.before.length || data.after.length || data.services.length));
}
