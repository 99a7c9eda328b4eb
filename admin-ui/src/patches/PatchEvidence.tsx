/** Every evidence file uploaded for a patch (GET /api/evidence?filter={"patchCode":…}), with its warnings. */
import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { EvidenceCard } from '../evidence/EvidenceCard';
import { usePatchEvidence } from '../evidence/context';

export { usePatchEvidence } from '../evidence/context';

export function PatchEvidence({ patchCode }: { patchCode: string }) {
  const translate = useTranslate();
  const { data } = usePatchEvidence(patchCode);
  if (!data?.length) return <Typography variant="body2">{translate('evidence.none')}</Typography>;
  return (
    <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      {data.map((e) => (
        <EvidenceCard key={e.id} entry={e} />
      ))}
    </Box>
  );
}
