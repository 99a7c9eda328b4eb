/** The side menu: the resources, then the pages that are not lists (statistics, …). */
import BarChartIcon from '@mui/icons-material/BarChart';
import { Menu, useTranslate } from 'react-admin';

export function AppMenu() {
  const t = useTranslate();
  return (
    <Menu>
      <Menu.ResourceItems />
      <Menu.Item to="/statistics" primaryText={t('statistics.title')} leftIcon={<BarChartIcon />} />
    </Menu>
  );
}
