/**
 * My tasks / unassigned tasks of my region (for my role) / all tasks: tabs over the list's `assignee`
 * filter, so they combine with the other filters and are part of a saved query.
 */
import { Tab, Tabs } from '@mui/material';
import { useGetIdentity, useListContext, useTranslate } from 'react-admin';

type TabValue = 'all' | 'me' | 'none';

export function InboxTabs() {
  const translate = useTranslate();
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const { identity } = useGetIdentity();
  const value: TabValue = filterValues.assignee === 'me' ? 'me' : filterValues.assignee === 'none' ? 'none' : 'all';
  const change = (_: unknown, next: TabValue) => {
    const { assignee: _a, role: _r, ...rest } = filterValues;
    const role = identity?.role === 'officer' || identity?.role === 'reviewer' ? identity.role : undefined;
    if (next === 'me') setFilters({ ...rest, assignee: 'me' }, displayedFilters);
    else if (next === 'none') setFilters({ ...rest, assignee: 'none', ...(role ? { role } : {}) }, displayedFilters);
    else setFilters(rest, displayedFilters);
  };
  return (
    <Tabs value={value} onChange={change} variant="fullWidth" sx={{ borderBottom: 1, borderColor: 'divider' }}>
      <Tab value="all" label={translate('inbox.tabs.all')} />
      <Tab value="me" label={translate('inbox.tabs.mine')} />
      <Tab value="none" label={translate('inbox.tabs.unassigned')} />
    </Tabs>
  );
}
