/** The app's frame: the menu by role, and the app bar with notifications and the language switch. */
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import AssignmentIcon from '@mui/icons-material/Assignment';
import BarChartIcon from '@mui/icons-material/BarChart';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import GavelIcon from '@mui/icons-material/Gavel';
import GroupIcon from '@mui/icons-material/Group';
import LayersIcon from '@mui/icons-material/Layers';
import SatelliteAltIcon from '@mui/icons-material/SatelliteAlt';
import MapIcon from '@mui/icons-material/Map';
import RuleIcon from '@mui/icons-material/Rule';
import SavingsIcon from '@mui/icons-material/Savings';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import type { ReactNode } from 'react';
import { AppBar, Layout, LoadingIndicator, LocalesMenuButton, Logout, Menu, TitlePortal, useGetIdentity, UserMenu } from 'react-admin';
import { ChangePasswordItem } from './ChangePasswordItem';
import { NotificationsButton } from './NotificationsButton';

export const SUPERVISION_ROLES = ['supervisor', 'administrator', 'reviewer'];

function AppMenu() {
  const { identity } = useGetIdentity();
  const role = identity?.role as string | undefined;
  return (
    <Menu>
      <Menu.Item to="/tasks" primaryText="menu.tasks" leftIcon={<AssignmentIcon />} />
      <Menu.Item to="/patches" primaryText="menu.patches" leftIcon={<MapIcon />} />
      <Menu.Item to="/cases" primaryText="menu.cases" leftIcon={<GavelIcon />} />
      <Menu.Item to="/quota/ledger" primaryText="menu.quota" leftIcon={<SavingsIcon />} />
      {role && SUPERVISION_ROLES.includes(role) && <Menu.Item to="/supervision" primaryText="menu.supervision" leftIcon={<WarningAmberIcon />} />}
      <Menu.Item to="/statistics" primaryText="menu.statistics" leftIcon={<BarChartIcon />} />
      {role === 'administrator' && (
        <>
          <Menu.Item to="/imports" primaryText="menu.imports" leftIcon={<UploadFileIcon />} />
          <Menu.Item to="/users" primaryText="menu.users" leftIcon={<GroupIcon />} />
          <Menu.Item to="/regions" primaryText="menu.regions" leftIcon={<AccountTreeIcon />} />
          <Menu.Item to={`/policies/${identity?.regionCode ?? ''}`} primaryText="menu.policies" leftIcon={<RuleIcon />} />
          <Menu.Item to="/layers" primaryText="menu.layers" leftIcon={<LayersIcon />} />
          <Menu.Item to="/imagery-services" primaryText="menu.imageryServices" leftIcon={<SatelliteAltIcon />} />
        </>
      )}
    </Menu>
  );
}

function AppToolbar() {
  return (
    <>
      <NotificationsButton />
      <LocalesMenuButton />
      <LoadingIndicator />
    </>
  );
}

function TheAppBar() {
  return (
    <AppBar
      toolbar={<AppToolbar />}
      // The user menu's button shows the user's name (user content); its menu opens in a portal, outside the mark.
      userMenu={
        <span data-user-content="" style={{ display: 'contents' }}>
          <UserMenu>
            <ChangePasswordItem />
            <Logout />
          </UserMenu>
        </span>
      }
    >
      <TitlePortal />
    </AppBar>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  return (
    // react-admin's layout is at least as wide as its content (min-width: fit-content), so a wide table
    // inside a horizontally scrolling box still widened the whole page on a phone; there the content
    // takes the screen's width and such boxes scroll by themselves.
    <Layout menu={AppMenu} appBar={TheAppBar} sx={{ minWidth: { xs: 0, md: 'fit-content' }, '& .RaLayout-content': { minWidth: 0 } }}>
      {children}
    </Layout>
  );
}
