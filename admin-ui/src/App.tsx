import AssignmentIcon from '@mui/icons-material/Assignment';
import GavelIcon from '@mui/icons-material/Gavel';
import MapIcon from '@mui/icons-material/Map';
import { Admin, CustomRoutes, Resource, useTranslate } from 'react-admin';
import { Route } from 'react-router-dom';
import { authProvider } from './authProvider';
import { CaseList } from './cases/CaseList';
import { CaseShow } from './cases/CaseShow';
import { QuotaPage } from './cases/QuotaPage';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { Landing } from './layout/Landing';
import { importsResource } from './imports';
import { ImageryServicesPage } from './layers/ImageryServicesPage';
import { LayersPage } from './layers/LayersPage';
import { PatchList } from './patches/PatchList';
import { PatchShow } from './patches/PatchShow';
import { PolicyEditor } from './policies/PolicyEditor';
import { RegionTree } from './regions/RegionTree';
import { SupervisionPage } from './supervision/SupervisionPage';
import { TaskList } from './tasks/TaskList';
import { StatisticsPage } from './statistics/StatisticsPage';
import { TaskShow } from './tasks/TaskShow';
import { UserCreate, UserEdit } from './users/UserForms';
import { UserList } from './users/UserList';

/** The app's name in the UI's language (the app bar's default title, error pages). */
function AppTitle() {
  const translate = useTranslate();
  return <>{translate('app.title')}</>;
}

export function App() {
  return (
    <Admin
      disableTelemetry
      title={<AppTitle />}
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      layout={AppLayout}
      dashboard={Landing}
      requireAuth
    >
      <Resource name="tasks" list={TaskList} show={TaskShow} icon={AssignmentIcon} />
      <Resource name="patches" list={PatchList} show={PatchShow} icon={MapIcon} recordRepresentation="code" />
      <Resource name="cases" list={CaseList} show={CaseShow} icon={GavelIcon} recordRepresentation="caseNo" />
      <Resource name="quota/ledger" list={QuotaPage} />
      <Resource name="quota/balances" />
      <Resource name="regions" list={RegionTree} recordRepresentation="name" />
      <Resource name="users" list={UserList} create={UserCreate} edit={UserEdit} recordRepresentation="displayName" />
      <Resource name="audit" />
      <Resource name="evidence" />
      <Resource name="imports" {...importsResource} />
      <Resource name="notifications" />
      <CustomRoutes>
        <Route path="/statistics" element={<StatisticsPage />} />
        <Route path="/supervision" element={<SupervisionPage />} />
        <Route path="/policies/:code" element={<PolicyEditor />} />
        <Route path="/layers" element={<LayersPage />} />
        <Route path="/imagery-services" element={<ImageryServicesPage />} />
      </CustomRoutes>
    </Admin>
  );
}
