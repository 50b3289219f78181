/**
 * `kserve-ts up -f FILE [-f FILE ...]`: once `up` listens, apply the manifests over its HTTP API
 * (the CLI's apply), wait for each InferenceService to be Ready with progress lines, then show
 * how to call each one: a curl through the gateway by path, run once here so the answer printed
 * is a real prediction. The request body is the manifest's `serving.kserve-ts.io/example-request`
 * annotation; without one the curl reads the model's metadata instead (`GET /v1/models/NAME`).
 */
import { applyManifests } from './apply.ts';
import { ApiClient } from './client.ts';
import { CliError } from './errors.ts';
import { readManifests } from './manifests.ts';
import { postJson, predictPath, protocolOf } from './predict.ts';
import { createProgress } from './progress.ts';
import { waitForCondition } from './wait.ts';

/** The annotation whose value is an example request body (JSON) for the InferenceService. */
export const EXAMPLE_REQUEST_ANNOTATION = 'serving.kserve-ts.io/example-request';

/** What `up` tells its start-up hook (a structural copy of control/up-main `UpInfo`; the CLI may not import control). */
export interface UpEndpoints {
  apiUrl: string;
  gatewayUrl: string;
  kubeconfig: string;
}

/** Single-quotes a string for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Waits while the gateway has no ready route (503, or its own 404). Ready in status is not enough right
 * after `up` restarts on an earlier data dir: the stored status still says Ready from the last run
 * until the reconciler has observed the new replicas, and the printed curl must work.
 */
async function untilRouted(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await fetch(url).then(
      // 503: routed, no ready revision yet; the gateway's own 404: no route yet (a model's 404 is final).
      async (r) => r.status === 503 || (r.status === 404 && (await r.text()).includes('no InferenceService route')),
      () => true,
    );
    if (!pending || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The `afterStart` hook of `up -f`: apply, wait Ready, print and run a curl per InferenceService. */
export function upApplyHook(files: readonly string[], stdin: NodeJS.ReadableStream, opts: { readyTimeoutMs?: number; routeTimeoutMs?: number } = {}): (info: UpEndpoints, out: NodeJS.WritableStream & { isTTY?: boolean }) => Promise<void> {
  return async (info, out) => {
    const manifests = await readManifests(files, stdin);
    const client = new ApiClient(info.apiUrl);
    const applied = await applyManifests(client, manifests, 'default', out);
    const isvcs = applied.filter((a) => a.kind.kind === 'InferenceService');
    const failures: string[] = [];
    for (const a of isvcs) {
      try {
        await waitForCondition(client, { kind: a.kind, namespace: a.namespace, name: a.name, condition: 'Ready', timeoutMs: opts.readyTimeoutMs ?? 120_000 }, createProgress(out));
      } catch (err) {
        failures.push(a.name);
        out.write(`isvc/${a.name} is not Ready: ${(err as Error).message}\n  see: kserve-ts describe isvc ${a.name} -n ${a.namespace}; kserve-ts logs isvc/${a.name} -n ${a.namespace}\n`);
      }
    }
    for (const a of isvcs) {
      if (failures.includes(a.name)) continue;
      const base = `${info.gatewayUrl}/serving/${a.namespace}/${a.name}`;
      await untilRouted(`${base}/v1/models/${a.name}`, opts.routeTimeoutMs ?? 30_000);
      const example = (a.object.metadata as { annotations?: Record<string, string> }).annotations?.[EXAMPLE_REQUEST_ANNOTATION];
      out.write(`\nisvc/${a.name} is Ready. Call it through the gateway:\n`);
      if (example === undefined) {
        out.write(`  curl ${base}/v1/models/${a.name}\n`);
        continue;
      }
      let body: unknown;
      try {
        body = JSON.parse(example);
      } catch (err) {
        out.write(`  (annotation ${EXAMPLE_REQUEST_ANNOTATION} is not JSON: ${(err as Error).message})\n  curl ${base}/v1/models/${a.name}\n`);
        continue;
      }
      const kind = protocolOf(body);
      const path = predictPath('protocol' in kind ? kind.protocol : 'v1', a.name);
      const text = example.trim();
      out.write(`  curl ${base}${path} -H 'content-type: application/json' -d ${shellQuote(text)}\n`);
      const res = await postJson(`${base}${path}`, text).catch((err: unknown) => ({ status: 0, text: (err as Error).message }));
      out.write(`  → ${res.status} ${res.text.trim()}\n`);
      out.write(`  or: kserve-ts predict ${a.name}${a.namespace === 'default' ? '' : ` -n ${a.namespace}`} -d ${shellQuote(text)}\n`);
    }
    out.write(`\nkubectl and kserve-ts get/describe/logs: export KUBECONFIG=${info.kubeconfig}\n`);
    if (failures.length > 0) throw new CliError(`not Ready: ${failures.map((n) => `isvc/${n}`).join(', ')}`);
  };
}
