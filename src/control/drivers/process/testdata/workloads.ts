/**
 * The workloads the driver tests run, as ReplicaSpecs: the real model server, and tiny node
 * scripts (`node -e`) for the failure cases. Shared by process-driver.test.ts and the orphan
 * parent script.
 */
import { fileURLToPath } from 'node:url';
import type { ReplicaSpec } from '../../driver.ts';

export const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));

/** An HTTP server on $PORT; `extra` is appended to the script. */
const server = (handler: string, extra = ''): string =>
  `const http=require('node:http');http.createServer((q,s)=>{${handler}}).listen(+process.env.PORT,'127.0.0.1',()=>console.log('listening on '+process.env.PORT));${extra}`;

const node = (revision: string, script: string, more: Partial<ReplicaSpec> = {}): ReplicaSpec => ({
  revision,
  command: process.execPath,
  args: ['-e', script],
  env: {},
  readinessPath: '/ready',
  ...more,
});

export const workloads = {
  modelServer: (revision: string): ReplicaSpec => ({
    revision,
    command: process.execPath,
    args: ['--import', 'tsx', `${REPO}src/bin/kserve-ts.ts`, 'model-server', '--model-dir', `${REPO}examples/models`, '--http-port', '$(KSERVE_TS_HTTP_PORT)', '--grpc-port', '$(KSERVE_TS_GRPC_PORT)'],
    env: {},
    cwd: REPO,
    readinessPath: '/v2/health/ready',
    livenessPath: '/v2/health/live',
    terminationGracePeriodMs: 5_000,
  }),
  httpServer: (revision: string): ReplicaSpec => node(revision, server(`s.end('ok')`)),
  crashing: (revision: string): ReplicaSpec => node(revision, `console.log('starting up');console.error('fatal: no model at /nope');process.exit(3)`),
  memoryHog: (revision: string): ReplicaSpec =>
    node(revision, server(`s.end('ok')`, `const a=[];setInterval(()=>{if(a.length<64)a.push(Buffer.alloc(16<<20,1))},10)`), { memoryLimitBytes: 200 * 1024 * 1024 }),
  ignoresSigterm: (revision: string, graceMs: number): ReplicaSpec =>
    node(revision, server(`s.end('ok')`, `process.on('SIGTERM',()=>console.log('ignoring SIGTERM'))`), { terminationGracePeriodMs: graceMs }),
  failsLiveness: (revision: string): ReplicaSpec =>
    node(revision, server(`s.statusCode=q.url==='/live'?500:200;s.end()`), { livenessPath: '/live' }),
  /** Prints its argv and $PORT, then serves. */
  echo: (revision: string): ReplicaSpec => {
    const script = `console.log('args='+JSON.stringify(process.argv.slice(1))+' PORT='+process.env.PORT+' GRPC='+process.env.GRPC);${server(`s.end('ok')`)}`;
    return node(revision, script, { args: ['-e', script, 'http=$(KSERVE_TS_HTTP_PORT)', 'grpc=$(KSERVE_TS_GRPC_PORT)'], env: { GRPC: 'g$(KSERVE_TS_GRPC_PORT)' } });
  },
};
