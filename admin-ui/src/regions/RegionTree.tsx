/**
 * The region tree (read-only) from the administrator's region down: expand a region to see its children
 * (loaded when opened); each region links to its policy and its users.
 */
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { Box, Button, Card, CardContent, Chip, CircularProgress, IconButton, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { Title, useGetIdentity, useGetList, useGetOne, useTranslate } from 'react-admin';

interface RegionRow {
  id: string;
  code: string;
  name: string;
  level: string;
  parentCode?: string | null;
}

function Children({ parent, depth }: { parent: string; depth: number }) {
  const { data, isPending } = useGetList<RegionRow>('regions', {
    filter: { parentCode: parent, subtree: true },
    pagination: { page: 1, perPage: 500 },
    sort: { field: 'code', order: 'ASC' },
  });
  if (isPending) return <CircularProgress size={16} sx={{ ml: depth * 3 + 4 }} />;
  return (
    <>
      {(data ?? []).map((r) => (
        <Node key={r.code} region={r} depth={depth} />
      ))}
    </>
  );
}

function Node({ region, depth, open: initiallyOpen = false }: { region: RegionRow; depth: number; open?: boolean }) {
  const translate = useTranslate();
  const [open, setOpen] = useState(initiallyOpen);
  const leaf = region.level === 'county';
  return (
    <>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', pl: depth * 3, py: 0.25, flexWrap: 'wrap' }} data-region={region.code}>
        {leaf ? (
          <Box sx={{ width: 40 }} />
        ) : (
          <IconButton size="small" onClick={() => setOpen(!open)} aria-label={translate(open ? 'regions.collapse' : 'regions.expand', { name: region.name })}>
            {open ? <ExpandMoreIcon /> : <ChevronRightIcon />}
          </IconButton>
        )}
        <Typography variant="body2" sx={{ fontWeight: depth === 0 ? 600 : 400 }}>
          {region.name}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {region.code}
        </Typography>
        <Chip size="small" variant="outlined" label={translate(`regions.level.${region.level}`, { _: region.level })} />
        <Button size="small" href={`#/policies/${region.code}`}>
          {translate('regions.policy')}
        </Button>
        <Button size="small" href={`#/users?filter=${encodeURIComponent(JSON.stringify({ regionCode: region.code }))}`}>
          {translate('regions.users')}
        </Button>
      </Stack>
      {open && !leaf && <Children parent={region.code} depth={depth + 1} />}
    </>
  );
}

export function RegionTree() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const home = identity?.regionCode as string | undefined;
  const { data } = useGetOne<RegionRow>('regions', { id: home ?? '' }, { enabled: Boolean(home) });
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('regions.title')} />
      <Card variant="outlined">
        <CardContent data-testid="region-tree">
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {translate('regions.hint')}
          </Typography>
          {data && <Node region={data} depth={0} open />}
        </CardContent>
      </Card>
    </Box>
  );
}
