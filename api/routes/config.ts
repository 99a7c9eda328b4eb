/** What the UI needs to know about this installation: the map's tile source, when one is configured. */
import type { FastifyInstance } from 'fastify';

export interface UiConfig {
  /** An XYZ tile URL template ({z}/{x}/{y}); null: the map shows the polygon on a blank background (offline). */
  tileUrl: string | null;
  tileAttribution: string | null;
}

export function registerConfigRoutes(app: FastifyInstance, deps: { mapTileUrl?: string; mapTileAttribution?: string }) {
  app.get(
    '/config',
    { schema: { tags: ['config'] } },
    async (): Promise<UiConfig> => ({
      tileUrl: deps.mapTileUrl || null,
      tileAttribution: deps.mapTileAttribution || null,
    }),
  );
}
