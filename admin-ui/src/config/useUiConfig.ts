/** The installation's UI settings from GET /api/config (e.g. the map tile source), fetched once per session. */
import { useQuery } from '@tanstack/react-query';
import { httpClient } from '../dataProvider';

export interface UiConfig {
  tileUrl: string | null;
  tileAttribution: string | null;
}

export function useUiConfig(): UiConfig | undefined {
  const { data } = useQuery({
    queryKey: ['ui-config'],
    queryFn: async () => (await httpClient('/api/config')).json as UiConfig,
    staleTime: Infinity,
  });
  return data;
}
