/**
 * ObjectMeta rules as the Kubernetes API server applies them (apimachinery's ValidateObjectMeta
 * and the name validators), with its messages: name / generateName, namespace scope, label and
 * annotation keys and values.
 */
import type { FieldError } from '../registry.ts';
import { index, isObject, quote } from './path.ts';

/** How a kind's names are checked. */
export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label';

interface Rule {
  readonly re: RegExp;
  readonly max: number;
  readonly what: string;
}

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

const RULES: Readonly<Record<NameRule, Rule>> = {
  dns1123Subdomain: {
    re: new RegExp(`^${DNS1123_SUBDOMAIN}$`),
    max: 253,
    what: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`,
  },
  dns1123Label: {
    re: new RegExp(`^${DNS1123_LABEL}$`),
    max: 63,
    what: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`,
  },
  dns1035Label: {
    re: new RegExp(`^${DNS1035_LABEL}$`),
    max: 63,
    what: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`,
  },
};

/** The messages for `name` under `rule` (empty when valid). */
export function nameErrors(field: string, name: string, rule: NameRule): FieldError[] {
  const r = RULES[rule];
  const errors: FieldError[] = [];
  if (name.length > r.max) errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(name)}: must be no more than ${r.max} characters` });
  if (!r.re.test(name)) errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(name)}: ${r.what}` });
  return errors;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label or annotation key: an optional DNS subdomain prefix and a name of at most 63 characters. */
function keyErrors(field: string, key: string): FieldError[] {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const bad = (why: string): FieldError => ({ type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(key)}: ${why}` });
  const errors: FieldError[] = [];
  if (prefix !== undefined && (prefix.length > 253 || !RULES.dns1123Subdomain.re.test(prefix))) {
    errors.push(bad('prefix part must be a lowercase RFC 1123 subdomain of at most 253 characters'));
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    errors.push(bad("name part must consist of at most 63 alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
  }
  return errors;
}

function mapErrors(meta: Record<string, unknown>, key: 'labels' | 'annotations'): FieldError[] {
  const map = meta[key];
  if (map === undefined) return [];
  const field = `metadata.${key}`;
  if (!isObject(map)) return [{ type: 'FieldValueTypeInvalid', field, message: `Invalid value: ${quote(map)}: must be a map of string to string` }];
  const errors: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(map)) {
    errors.push(...keyErrors(field, k));
    if (typeof v !== 'string') {
      errors.push({ type: 'FieldValueTypeInvalid', field: index(field, k), message: `Invalid value: ${quote(v)}: must be a string` });
      continue;
    }
    total += k.length + v.length;
    if (key === 'labels' && (v.length > 63 || !LABEL_VALUE.test(v))) {
      errors.push({ type: 'FieldValueInvalid', field: index(field, k), message: `Invalid value: ${quote(v)}: a valid label must be an empty string or consist of at most 63 alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
    }
  }
  if (key === 'annotations' && total > 256 * 1024) errors.push({ type: 'FieldValueTooLong', field, message: `Too long: may not be more than ${256 * 1024} bytes` });
  return errors;
}

/** Options of validateObjectMeta. */
export interface ObjectMetaOptions {
  namespaced: boolean;
  /** Default `dns1123Subdomain` (the rule for CRDs); InferenceService uses `dns1035Label`. */
  nameRule?: NameRule;
}

/** The ObjectMeta errors of `meta` (the object's `metadata`); empty when valid. */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions): FieldError[] {
  if (!isObject(meta)) return [{ type: 'FieldValueRequired', field: 'metadata', message: 'Required value' }];
  const errors: FieldError[] = [];
  const { name, generateName, namespace } = meta;
  if (name === undefined || name === '') {
    if (generateName === undefined || generateName === '') errors.push({ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else if (typeof name !== 'string') {
    errors.push({ type: 'FieldValueTypeInvalid', field: 'metadata.name', message: `Invalid value: ${quote(name)}: must be a string` });
  } else {
    errors.push(...nameErrors('metadata.name', name, opts.nameRule ?? 'dns1123Subdomain'));
  }
  if (opts.namespaced) {
    if (namespace === undefined || namespace === '') errors.push({ type: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value' });
    else if (typeof namespace !== 'string') errors.push({ type: 'FieldValueTypeInvalid', field: 'metadata.namespace', message: `Invalid value: ${quote(namespace)}: must be a string` });
    else errors.push(...nameErrors('metadata.namespace', namespace, 'dns1123Label'));
  } else if (namespace !== undefined && namespace !== '') {
    errors.push({ type: 'FieldValueForbidden', field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' });
  }
  errors.push(...mapErrors(meta, 'labels'), ...mapErrors(meta, 'annotations'));
  return errors;
}
