/** A photo or video fetched with the session (as a blob), shown small; a click opens it full size. */
import { Box, Skeleton } from '@mui/material';
import { useEffect, useState } from 'react';
import { fetchEvidenceBlob } from './api';

export function EvidenceThumb({ sha256, kind, name, size = 96 }: { sha256: string; kind: 'photo' | 'video'; name?: string; size?: number }) {
  const [url, setUrl] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let objectUrl: string | undefined;
    let cancelled = false;
    fetchEvidenceBlob(sha256).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [sha256]);
  const box = { width: size, height: size, borderRadius: 1, bgcolor: 'grey.200', flexShrink: 0, objectFit: 'cover' as const };
  if (failed) return <Box sx={box} />;
  if (!url) return <Skeleton variant="rectangular" sx={box} />;
  if (kind === 'video') return <Box component="video" src={url} controls preload="metadata" sx={box} data-evidence={sha256} />;
  return (
    <Box component="a" href={url} target="_blank" rel="noreferrer" sx={{ display: 'block', flexShrink: 0 }}>
      <Box component="img" src={url} alt={name ?? sha256} sx={box} data-evidence={sha256} />
    </Box>
  );
}
