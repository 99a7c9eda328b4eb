import AssignmentIcon from '@mui/icons-material/Assignment';
import MapIcon from '@mui/icons-material/Map';
import { Admin, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n';
import { importsResource } from './imports';
import { PatchList } from './patches/PatchList';
import { TaskList } from './tasks/TaskList';

export function App() {
  return (
    <Admin title="卫片执法" dataProvider={dataProvider} authProvider={authProvider} i18nProvider={i18nProvider} requireAuth>
      <Resource name="tasks" list={TaskList} icon={AssignmentIcon} />
      <Resource name="patches" list={PatchList} icon={MapIcon} />
      <Resource name="imports" {...importsResource} />
    </Admin>
  );
}
