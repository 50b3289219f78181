/**
 * `kserve-ts describe KIND NAME`: an object in kubectl's describe layout. InferenceServices get
 * their own sections (URL, conditions, components with revisions, modelStatus); other kinds show
 * their spec and status as YAML. Events come last: core/v1 Events selected by
 * `involvedObject.name` and `involvedObject.kind`, as kubectl describe lists them.
 */
import { stringify } from 'yaml';
import { parseArgs } from './args.ts';
import type { ApiClient } from './client.ts';
import { CliError } from './errors.ts';
import { formatColumns } from './get.ts';
import { resolveKind, resourcePath, splitKindName } from './resources.ts';
import { CONNECTION_FLAGS, connect, type CliIo } from './session.ts';

type Obj = Record<string, unknown> & {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string; generation?: number };
  spec?: unknown;
  status?: {
    url?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    components?: Record<string, { url?: string; latestCreatedRevision?: string; latestReadyRevision?: string; traffic?: { revisionName?: string; percent?: number; latestRevision?: boolean }[] }>;
    modelStatus?: {
      transitionStatus?: string;
      states?: { activeModelState?: string; targetModelState?: string };
      copies?: { failedCopies?: number; totalCopies?: number };
      lastFailureInfo?: { reason?: string; message?: string; location?: string; modelRevisionName?: string; time?: string; exitCode?: number };
    };
  };
};

interface Event {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
  reportingComponent?: string;
}

function map(m: Record<string, string> | undefined, indent: string): string {
  const entries = Object.entries(m ?? {});
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v], i) => `${i === 0 ? '' : indent}${k}=${v}`).join('\n');
}

/** `5s`, `3m`, `2h`, `4d` as kubectl's ages. */
export function age(fromIso: string | undefined, nowMs: number): string {
  if (!fromIso) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

function indentBlock(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.trimEnd().split('\n').map((l) => pad + l).join('\n');
}

/** The describe text of an InferenceService (events appended by the caller). */
export function describeIsvc(o: Obj): string {
  const out: string[] = [];
  const st = o.status ?? {};
  out.push(`URL:          ${st.url ?? '<none>'}`);
  out.push('Conditions:');
  const conds = st.conditions ?? [];
  if (conds.length === 0) out.push('  <none>');
  else out.push(indentBlock(formatColumns(['Type', 'Status', 'Reason', 'Message'], conds.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? ''])), 2));
  out.push('Components:');
  const comps = Object.entries(st.components ?? {});
  if (comps.length === 0) out.push('  <none>');
  for (const [name, c] of comps) {
    out.push(`  ${name}:`);
    out.push(`    URL:                      ${c.url ?? '<none>'}`);
    out.push(`    Latest Created Revision:  ${c.latestCreatedRevision ?? '<none>'}`);
    out.push(`    Latest Ready Revision:    ${c.latestReadyRevision ?? '<none>'}`);
    for (const t of c.traffic ?? []) out.push(`    Traffic:                  ${t.percent ?? 0}% → ${t.revisionName ?? '?'}${t.latestRevision ? ' (latest)' : ''}`);
  }
  const ms = st.modelStatus;
  out.push('Model Status:');
  if (!ms) out.push('  <none>');
  else {
    out.push(`  Transition Status:  ${ms.transitionStatus ?? '<none>'}`);
    out.push(`  Active State:       ${ms.states?.activeModelState || '<none>'}`);
    out.push(`  Target State:       ${ms.states?.targetModelState || '<none>'}`);
    if (ms.copies) out.push(`  Copies:             ${ms.copies.totalCopies ?? 0} total, ${ms.copies.failedCopies ?? 0} failed`);
    const f = ms.lastFailureInfo;
    if (f) {
      out.push('  Last Failure Info:');
      for (const [k, v] of [['Reason', f.reason], ['Location', f.location], ['Revision', f.modelRevisionName], ['Exit Code', f.exitCode], ['Time', f.time], ['Message', f.message]] as const) {
        if (v !== undefined && v !== '') out.push(`    ${`${k}:`.padEnd(10)} ${String(v).split('\n').join('\n               ')}`);
      }
    }
  }
  return out.join('\n');
}

async function events(client: ApiClient, o: Obj, kind: string): Promise<string> {
  const evKind = resolveKind('events');
  const selector = `involvedObject.name=${o.metadata.name},involvedObject.kind=${kind}`;
  const list = await client.json<{ items: Event[] }>('GET', resourcePath(evKind, o.metadata.namespace), { query: { fieldSelector: selector } }).catch(() => ({ items: [] as Event[] }));
  if (list.items.length === 0) return 'Events:  <none>';
  const now = Date.now();
  const rows = list.items
    .sort((a, b) => (a.lastTimestamp ?? a.eventTime ?? '').localeCompare(b.lastTimestamp ?? b.eventTime ?? ''))
    .map((e) => {
      const last = age(e.lastTimestamp ?? e.eventTime, now);
      const ageText = (e.count ?? 1) > 1 ? `${last} (x${e.count} over ${age(e.firstTimestamp, now)})` : last;
      return [e.type ?? '', e.reason ?? '', ageText, e.source?.component ?? e.reportingComponent ?? '', e.message ?? ''];
    });
  return `Events:\n${indentBlock(formatColumns(['Type', 'Reason', 'Age', 'From', 'Message'], rows), 2)}`;
}

export async function describeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, CONNECTION_FLAGS);
  const { kind, names } = splitKindName(args.positionals);
  if (names.length === 0) throw new CliError(`describe needs a name: kserve-ts describe ${kind.shortNames[0] ?? kind.singular} NAME`, 2);
  const s = await connect(args, io);
  for (const [i, name] of names.entries()) {
    const o = await s.client.json<Obj>('GET', resourcePath(kind, kind.namespaced ? s.namespace : undefined, name));
    const m = o.metadata;
    const head = [
      `Name:         ${m.name}`,
      ...(kind.namespaced ? [`Namespace:    ${m.namespace ?? s.namespace}`] : []),
      `Labels:       ${map(m.labels, '              ')}`,
      `Annotations:  ${map(m.annotations, '              ')}`,
      `API Version:  ${String(o.apiVersion)}`,
      `Kind:         ${String(o.kind)}`,
      `Created:      ${m.creationTimestamp ?? '<unknown>'}`,
      `Generation:   ${m.generation ?? '<none>'}`,
    ];
    const body = kind.kind === 'InferenceService' ? describeIsvc(o) : [`Spec:\n${indentBlock(stringify(o.spec ?? {}), 2)}`, ...(o.status ? [`Status:\n${indentBlock(stringify(o.status), 2)}`] : [])].join('\n');
    io.stdout.write(`${i > 0 ? '\n\n' : ''}${head.join('\n')}\n${body}\n${await events(s.client, o, kind.kind)}\n`);
  }
  return 0;
}
