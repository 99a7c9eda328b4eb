/** The patch centre's CGCS2000 longitude/latitude, with a button that copies them (for a GNSS receiver or a report). */
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { IconButton, Stack, Tooltip, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslate } from 'react-admin';

export const formatCentre = ([lng, lat]: [number, number]) => `${lng.toFixed(6)}, ${lat.toFixed(6)}`;

export function CentreCoordinates({ centre }: { centre: [number, number] | null | undefined }) {
  const translate = useTranslate();
  const [copied, setCopied] = useState(false);
  if (!centre) return null;
  const text = formatCentre(centre);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without the clipboard (an insecure origin), the text is selected for the user to copy.
      const node = document.querySelector('[data-testid="patch-centre-value"]');
      if (node) window.getSelection()?.selectAllChildren(node);
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} data-testid="patch-centre">
      <Typography variant="body2" color="text.secondary">
        {translate('imagery.centre')}
      </Typography>
      <Typography variant="body2" sx={{ fontFamily: 'monospace' }} data-testid="patch-centre-value">
        {text}
      </Typography>
      <Tooltip title={translate(copied ? 'imagery.copied' : 'imagery.copy')}>
        <IconButton size="small" onClick={copy} aria-label={translate('imagery.copy')} data-testid="patch-centre-copy">
          <ContentCopyIcon fontSize="inherit" />
        </IconButton>
      </Tooltip>
    </Stack>
  );
}
