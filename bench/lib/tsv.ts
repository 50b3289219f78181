/**
 * The one result format of the suite: every measurement is one TSV line with these columns, whether
 * it came from a Node client here or from the anchors' `bench.sh` (run.sh converts those). The
 * report (report.ts) reads them back by (server, proto, payload, c).
 */

export const COLUMNS = [
  'row', // which target the line was taken for (r1..r7); the report may use a line for several
  'server', // kserve-ts | fastapi | bare-http | bare-grpc | in-process
  'proto', // v1-json | v2-json | v2-binary | grpc-raw | grpc-fp32 | session.run | health | idle
  'payload', // iris | img224 | mnist1024 | mlp1024 | idle | under-load
  'c', // concurrency (in-flight requests)
  'secs', // measured window, s
  'reqs', // completed requests in the window
  'errors', // failed or non-2xx requests
  'rps',
  'p50_us',
  'p90_us',
  'p99_us',
  'max_us',
  'srv_cpu_us_per_req', // server process CPU time / requests
  'srv_cores', // server CPU s / wall s
  'srv_rss_mb',
  'client_cores', // the load generator's own CPU s / wall s
  'other_cores', // machine busy − server − client: anything else (keep near 0)
  'ts',
] as const;

export type Column = (typeof COLUMNS)[number];
export type ResultLine = Record<Column, string>;

const fmt = (v: string | number | undefined, digits: number): string =>
  v === undefined ? 'NA' : typeof v === 'string' ? v : Number.isFinite(v) ? v.toFixed(digits) : 'NA';

/** One TSV line (no newline). Numbers get a fixed number of decimals; missing ones are NA. */
export function formatLine(v: Partial<Record<Column, string | number>>): string {
  return COLUMNS.map((c) => {
    const x = v[c];
    if (c === 'rps' || c === 'srv_cpu_us_per_req' || c.endsWith('_us') || c === 'srv_rss_mb') return fmt(x, 1);
    if (c.endsWith('_cores') || c === 'secs') return fmt(x, 2);
    return fmt(x, 0);
  }).join('\t');
}

export function header(): string {
  return COLUMNS.join('\t');
}

export function parseTsv(text: string): ResultLine[] {
  const out: ResultLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('row\t') || line.startsWith('#')) continue;
    const f = line.split('\t');
    const r = {} as ResultLine;
    COLUMNS.forEach((c, i) => (r[c] = f[i] ?? 'NA'));
    out.push(r);
  }
  return out;
}
