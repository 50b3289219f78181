/**
 * `kserve-ts get KIND [NAME...] [-n NS | -A] [-o wide|json|yaml|name]`: the server's Table
 * (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) printed in kubectl's column layout,
 * or the objects themselves.
 */
import { stringify } from 'yaml';
import type { ResourceKind } from '../api/index.ts';
import { parseArgs } from './args.ts';
import type { ApiClient } from './client.ts';
import { usageError } from './errors.ts';
import { kindRef, resourcePath, splitKindName } from './resources.ts';
import { CONNECTION_FLAGS, connect, type CliIo } from './session.ts';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const OUTPUTS = ['wide', 'json', 'yaml', 'name'];

interface Table {
  columnDefinitions: { name: string; priority?: number }[];
  rows: { cells: unknown[]; object?: { metadata?: { namespace?: string } } }[];
}

/** Columns padded as kubectl's tabwriter: each as wide as its widest cell, three spaces apart. */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd();
  return [header, ...rows].map(line).join('\n') + '\n';
}

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '<none>';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Renders a Table; `wide` includes priority > 0 columns; `allNamespaces` prepends NAMESPACE. */
export function renderTable(t: Table, wide: boolean, allNamespaces: boolean): string {
  const cols = t.columnDefinitions.map((c, i) => ({ ...c, i })).filter((c) => wide || !c.priority);
  const header = [...(allNamespaces ? ['NAMESPACE'] : []), ...cols.map((c) => c.name.toUpperCase())];
  const rows = t.rows.map((r) => [...(allNamespaces ? [r.object?.metadata?.namespace ?? ''] : []), ...cols.map((c) => cell(r.cells[c.i]))]);
  return formatColumns(header, rows);
}

async function fetchObjects(client: ApiClient, kind: ResourceKind, ns: string | undefined, names: readonly string[]): Promise<Record<string, unknown>[]> {
  if (names.length > 0) return Promise.all(names.map((n) => client.json('GET', resourcePath(kind, ns, n))));
  return (await client.json<{ items: Record<string, unknown>[] }>('GET', resourcePath(kind, ns))).items;
}

export async function getCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, 'all-namespaces': { type: 'bool', short: 'A' }, output: { type: 'string', short: 'o' } });
  const output = args.flags.output as string | undefined;
  if (output !== undefined && !OUTPUTS.includes(output)) throw usageError('--output', output, `one of ${OUTPUTS.join(', ')}`);
  const { kind, names } = splitKindName(args.positionals);
  const s = await connect(args, io);
  const all = args.flags['all-namespaces'] === true && names.length === 0 && kind.namespaced;
  const ns = all ? undefined : s.namespace;
  if (output === 'json' || output === 'yaml' || output === 'name') {
    const objs = await fetchObjects(s.client, kind, ns, names);
    if (output === 'name') {
      for (const o of objs) io.stdout.write(`${kindRef(kind)}/${(o.metadata as { name: string }).name}\n`);
      return 0;
    }
    const doc = names.length === 1 ? objs[0] : { apiVersion: 'v1', kind: 'List', items: objs, metadata: { resourceVersion: '' } };
    io.stdout.write(output === 'json' ? `${JSON.stringify(doc, null, 4)}\n` : stringify(doc));
    return 0;
  }
  const tables: Table[] = [];
  if (names.length > 0) for (const n of names) tables.push(await s.client.json<Table>('GET', resourcePath(kind, ns, n), { accept: TABLE_ACCEPT }));
  else tables.push(await s.client.json<Table>('GET', resourcePath(kind, ns), { accept: TABLE_ACCEPT }));
  const merged: Table = { columnDefinitions: tables[0]!.columnDefinitions, rows: tables.flatMap((t) => t.rows) };
  if (merged.rows.length === 0) {
    io.stderr.write(all || !kind.namespaced ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
    return 0;
  }
  io.stdout.write(renderTable(merged, output === 'wide', all));
  return 0;
}
