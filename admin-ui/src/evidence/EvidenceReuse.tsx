/**
 * 举证一次、多处使用: the evidence already stored for the patch (and the patch it was split from) offered on a
 * later task — correction, direct determination, on-site check, rectification, re-check — so that the same
 * ground is not evidenced again. Choosing one adds it to the form; a file of the parent patch is linked to
 * this one first (POST /api/evidence/link), never uploaded twice.
 */
import ReplayIcon from '@mui/icons-material/Replay';
import { Button, Stack, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { rejectionOf } from '../tasks/forms/submission';
import { linkEvidence } from './api';
import { usePatchEvidence } from './context';
import type { EvidenceEntry } from './EvidenceCard';

export function EvidenceReuse({ patchCode, chosen, onChoose }: { patchCode: string; chosen: string[]; onChoose: (entry: EvidenceEntry) => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const { data } = usePatchEvidence(patchCode, { lineage: true });
  const offered = (data ?? []).filter((e, i, all) => !chosen.includes(e.sha256) && all.findIndex((x) => x.sha256 === e.sha256) === i);
  if (!offered.length) return null;
  const choose = async (e: (typeof offered)[number]) => {
    try {
      const linked = e.patchCode === patchCode ? e : await linkEvidence(patchCode, e.sha256);
      onChoose({ sha256: linked.sha256, kind: linked.kind, name: linked.name, gps: linked.gps, capturedAt: linked.capturedAt, warnings: linked.warnings });
    } catch (err) {
      const r = rejectionOf(err);
      notify('evidence.failed', { type: 'error', messageArgs: { message: Object.values(r.errors)[0] ?? r.message } });
    }
  };
  return (
    <Stack spacing={0.5} data-testid="evidence-reuse">
      <Typography variant="caption" color="text.secondary">
        {translate('evidence.reuseTitle')}
      </Typography>
      <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1 }}>
        {offered.map((e) => (
          <Button key={e.sha256} size="small" variant="text" startIcon={<ReplayIcon />} onClick={() => void choose(e)} data-testid="evidence-reuse-item">
            {translate('evidence.reuse', { name: e.name ?? e.sha256.slice(0, 8) })}
          </Button>
        ))}
      </Stack>
    </Stack>
  );
}
