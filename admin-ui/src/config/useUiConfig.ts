/** The installation's UI settings from GET /api/config (e.g. the map tile source), fetched once per session. */
import { useQuery } from '@tanstack/react-query';
import { httpClient } from '../dataProvider';

export interface UiConfig {
  tileUrl: string | null;
  tileAttribution: string | null;
}

/** `ready` once the answer (or a failure: then no tiles) is in. */
export function useUiConfig(): { config?: UiConfig; ready: boolean } {
  const { data, isPending } = useQuery({
    queryKey: ['ui-config'],
    queryFn: async () => (await httpClient('/api/config')).json as UiConfig,
    staleTime: Infinity,
    retry: 1,
  });
  return { config: data, ready: !isPending };
}
