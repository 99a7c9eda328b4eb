/**
 * 督办: overdue work and monthly clearance of the supervisor's region, drilling down the region tree (the
 * region shown is in the URL, so the browser's back button goes up again).
 */
import { Box, Tab, Tabs } from '@mui/material';
import { Title, useGetIdentity, useLocation, useNavigate, useTranslate } from 'react-admin';
import { ClearancePanel } from './ClearancePanel';
import { OverduePanel } from './OverduePanel';
import { RegionBreadcrumbs } from './RegionBreadcrumbs';

export function SupervisionPage() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const location = useLocation();
  const navigate = useNavigate();
  const params = new URLSearchParams(location.search);
  const home = (identity?.regionCode as string | undefined) ?? '';
  const region = params.get('region') ?? home;
  const tab = params.get('tab') === 'clearance' ? 'clearance' : 'overdue';
  // Overdue work is grouped by task type (the API's "byStage" is by task type, not by the patch's stage).
  const taskType = params.get('type') ?? undefined;
  const month = params.get('month') ?? '';
  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    navigate(`/supervision?${next.toString()}`);
  };
  if (!home) return null;
  return (
    <Box sx={{ mt: 1, mb: 4 }} data-testid="supervision-page">
      <Title title={translate('supervision.title')} />
      <RegionBreadcrumbs home={home} current={region} onPick={(code) => go({ region: code, type: undefined })} />
      <Tabs value={tab} onChange={(_, t) => go({ tab: t === 'overdue' ? undefined : t })} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        <Tab value="overdue" label={translate('supervision.overdueTab')} />
        <Tab value="clearance" label={translate('supervision.clearanceTab')} />
      </Tabs>
      {tab === 'overdue' ? (
        <OverduePanel regionCode={region} taskType={taskType} onDrill={(code) => go({ region: code, type: undefined })} onTaskType={(t) => go({ type: t })} />
      ) : (
        <ClearancePanel regionCode={region} month={month} onMonth={(m) => go({ month: m })} onDrill={(code) => go({ region: code })} />
      )}
    </Box>
  );
}
