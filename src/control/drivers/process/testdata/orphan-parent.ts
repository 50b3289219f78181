/**
 * A driver that dies without closing: opens a ProcessDriver over argv[2], starts two replicas,
 * prints their pids as one JSON line once both are Ready, and waits to be killed (-9).
 */
import { ProcessDriver } from '../process-driver.ts';
import { workloads } from './workloads.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: orphan-parent.ts DATA_DIR');
const rev = 'default/orphan/predictor/orphan-00001';
const d = await ProcessDriver.open({ dataDir, readinessIntervalMs: 20 });
const printIfReady = (): void => {
  const rs = d.replicas(rev);
  if (rs.length === 2 && rs.every((r) => r.phase === 'Ready')) {
    process.stdout.write(`${JSON.stringify(rs.map((r) => d.pidOf(rev, r.name)))}\n`);
  }
};
d.onChange(printIfReady);
await d.apply(workloads.httpServer(rev), 2);
printIfReady();
setInterval(() => undefined, 60_000);
