/**
 * Model location checks of an InferenceService: the storageUri scheme (KServe checks it when it
 * reconciles; here it is an admission error, so a typo is caught by `kubectl apply`), and
 * KServe's `storageUris` rules (validateMultipleStorageURIs).
 */
import type { FieldError } from '../registry.ts';
import { child, index } from '../schema/path.ts';
import { storageUriProblem } from '../storage-uri.ts';
import { listAt, strAt, type Obj } from './components.ts';
import { forbidden, invalid, required } from '../field-errors.ts';

/** The error of a storageUri value at `field`, if its scheme is not one KServe downloads from. */
export function storageUriErrors(field: string, uri: unknown): FieldError[] {
  if (typeof uri !== 'string') return [];
  if (uri === '') return [required(field, 'storageUri must not be empty')];
  const problem = storageUriProblem(uri);
  return problem ? [invalid(field, uri, problem)] : [];
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** The longest common parent directory of absolute paths (`/` when they share none). */
export function commonParent(paths: string[]): string {
  const parts = paths.map((p) => segments(p).slice(0, -1));
  const first = parts[0] ?? [];
  let n = first.length;
  for (const p of parts) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return '/' + first.slice(0, n).join('/');
}

/**
 * `storageUris` of the component at `path`, given the storageUri of its implementation (if
 * any): not both; each uri set and each mountPath absolute, not `/`, without `..`; PVC mount paths
 * unique; other mount paths under one common parent directory.
 */
export function storageUrisErrors(path: string, component: Obj, implStorageUri: string | undefined): FieldError[] {
  const list = listAt(component, 'storageUris');
  if (!list) return [];
  const at = child(path, 'storageUris');
  if (implStorageUri !== undefined) return [forbidden(at, 'setting both storageUri and storageUris is not supported')];
  const errors: FieldError[] = [];
  const pvc = new Set<string>();
  const others: string[] = [];
  list.forEach((item, i) => {
    const uri = strAt(item, 'uri') ?? '';
    const mount = strAt(item, 'mountPath') ?? '';
    const here = index(at, i);
    if (uri === '') errors.push(required(child(here, 'uri'), 'storage URI cannot be empty'));
    else errors.push(...storageUriErrors(child(here, 'uri'), uri));
    if (mount === '/' || mount === '') errors.push(invalid(child(here, 'mountPath'), mount, 'storage path cannot be empty or /'));
    else if (!mount.startsWith('/')) errors.push(invalid(child(here, 'mountPath'), mount, 'storage path must be absolute'));
    else if (mount.includes('..')) errors.push(invalid(child(here, 'mountPath'), mount, "storage path cannot contain '..'"));
    if (uri.startsWith('pvc://')) {
      if (pvc.has(mount)) errors.push(invalid(child(here, 'mountPath'), mount, 'PVC storage paths must be unique'));
      pvc.add(mount);
    } else {
      others.push(mount);
    }
  });
  if (errors.length === 0 && others.length > 1 && commonParent(others) === '/') {
    errors.push(invalid(at, others, 'storage paths must have a common parent directory beyond root'));
  }
  return errors;
}
