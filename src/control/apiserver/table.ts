/**
 * `kubectl get` output: when the Accept header asks for `as=Table;v=v1;g=meta.k8s.io`, lists and
 * objects are answered as a meta.k8s.io/v1 Table built from the kind's printer columns, as
 * kube-apiserver's CRD table convertor does: a NAME column first, then each printer column (a CRD
 * without columns gets AGE), `date` cells shown as a human age ("5m", "3h2m"), missing values null.
 * A kind whose columns include one with `format: 'name'` places the name itself (core Events list
 * it last, for -o wide only).
 */
import type { PrinterColumn } from '../../api/registry.ts';
import { compileJsonPath, type JsonPath } from './jsonpath.ts';

/** What Table rows carry in `object`, from the `includeObject` query parameter. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** Whether an Accept header asks for a Table (kubectl sends `application/json;as=Table;v=v1;g=meta.k8s.io,...`). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

/**
 * Kubernetes' `duration.HumanDuration`, e.g. 90 s → "90s", 150 s → "2m30s", 11 min → "11m",
 * 5 h 3 min → "5h3m", 30 h → "30h", 3 d 4 h → "3d4h", 400 d → "400d", 3 y 10 d → "3y10d".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** Turns objects of one kind version into Table rows. */
export class TableConvertor {
  private readonly columns: PrinterColumn[];
  private readonly paths: JsonPath[];
  readonly columnDefinitions: Record<string, unknown>[];

  /** Whether the kind places its own name column (`format: 'name'`, as core Events do: last, priority 1). */
  private readonly ownName: boolean;

  constructor(printerColumns: readonly PrinterColumn[]) {
    this.columns = printerColumns.length > 0 ? [...printerColumns] : [AGE_COLUMN];
    this.ownName = this.columns.some((c) => c.format === 'name');
    this.paths = this.columns.map((c) => compileJsonPath(c.jsonPath));
    this.columnDefinitions = [
      ...(this.ownName ? [] : [{ name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 }]),
      ...this.columns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority ?? 0,
      })),
    ];
  }

  /** One row's cells. */
  cells(obj: Record<string, unknown>, nowMs: number): unknown[] {
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    const cells: unknown[] = this.ownName ? [] : [meta.name ?? ''];
    this.columns.forEach((col, i) => {
      const found = this.paths[i]!.evaluate(obj);
      cells.push(found.length === 0 ? null : cell(col.type, found[0], nowMs));
    });
    return cells;
  }

  /** A meta.k8s.io/v1 Table; `withHeaders` false leaves out columnDefinitions (later watch events). */
  table(objs: readonly Record<string, unknown>[], listMeta: Record<string, unknown>, include: IncludeObject, nowMs: number, withHeaders = true): Record<string, unknown> {
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: listMeta,
      columnDefinitions: withHeaders ? this.columnDefinitions : [],
      rows: objs.map((o) => ({ cells: this.cells(o, nowMs), object: rowObject(o, include) })),
    };
  }
}

function rowObject(obj: Record<string, unknown>, include: IncludeObject): unknown {
  if (include === 'None') return null;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** A cell value by column type, as the CRD convertor's `cellForJSONValue`. */
function cell(type: PrinterColumn['type'], value: unknown, nowMs: number): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = Date.parse(value);
      return Number.isNaN(t) ? '<invalid>' : humanDuration(nowMs - t);
    }
  }
}
