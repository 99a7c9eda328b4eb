import AssignmentIcon from '@mui/icons-material/Assignment';
import MapIcon from '@mui/icons-material/Map';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { importsResource } from './imports';
import { PatchList } from './patches/PatchList';
import { PatchShow } from './patches/PatchShow';
import { TaskList } from './tasks/TaskList';
import { StatisticsPage } from './statistics/StatisticsPage';
import { TaskShow } from './tasks/TaskShow';

export function App() {
  return (
    <Admin title="卫片执法" dataProvider={dataProvider} authProvider={authProvider} i18nProvider={i18nProvider} layout={AppLayout} requireAuth>
      <Resource name="tasks" list={TaskList} show={TaskShow} icon={AssignmentIcon} />
      <Resource name="patches" list={PatchList} show={PatchShow} icon={MapIcon} recordRepresentation="code" />
      <Resource name="regions" recordRepresentation="name" />
      <Resource name="users" recordRepresentation="displayName" />
      <Resource name="audit" />
      <Resource name="evidence" />
      <Resource name="imports" {...importsResource} />
      <CustomRoutes>
        <Route path="/statistics" element={<StatisticsPage />} />
      </CustomRoutes>
    </Admin>
  );
}
