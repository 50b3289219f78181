/** Starts a real REST server on port 0 over given models, for tests. */
import { silentLogger } from '../../core/logger.ts';
import type { Model } from '../../runtimes/model.ts';
import { DataPlane } from '../dataplane.ts';
import { HttpServer } from '../http/server.ts';
import { ServerMetrics } from '../metrics.ts';
import { StaticSource } from '../model-dir.ts';
import { ModelRepository } from '../repository.ts';

export interface TestServer {
  url: string;
  dataPlane: DataPlane;
  close(): Promise<void>;
}

export async function startHttpTestServer(
  models: (() => Model)[],
  opts: { maxBodyBytes?: number; maxInflight?: number } = {},
): Promise<TestServer> {
  const specs = models.map((make) => {
    const probe = make();
    return { name: probe.name, create: make };
  });
  const repository = new ModelRepository(new StaticSource(specs), silentLogger);
  const metrics = new ServerMetrics({ defaultMetrics: false });
  const dataPlane = new DataPlane({ repository, metrics, log: silentLogger, maxInflight: opts.maxInflight ?? 64 });
  const http = new HttpServer(dataPlane, silentLogger, { host: '127.0.0.1', port: 0, maxBodyBytes: opts.maxBodyBytes ?? 1 << 20 }, metrics);
  const port = await http.listen();
  await repository.loadAll();
  dataPlane.markStarted();
  return {
    url: `http://127.0.0.1:${port}`,
    dataPlane,
    close: async () => {
      await http.close(1000);
      await repository.close();
    },
  };
}
