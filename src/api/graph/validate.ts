/**
 * KServe's InferenceGraph admission checks (inference_graph_validation.go), each as a FieldError:
 * DNS-1035 name; a `root` node; step names unique in a node; each step has exactly one of
 * nodeName, serviceName, serviceUrl; Splitter steps all weighted, weights summing to 100. Beyond
 * KServe (whose router would fail at run time): a nodeName must name a node of the graph, and a
 * serviceUrl must be an http(s) URL.
 */
import type { FieldError } from '../registry.ts';
import { nameErrors } from '../schema/object-meta.ts';
import { child, index, isObject } from '../schema/path.ts';
import { duplicate, invalid, required } from '../field-errors.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (isObject(v) ? v : {});
const TARGETS = ['nodeName', 'serviceName', 'serviceUrl'] as const;

function stepErrors(nodePath: string, node: Obj, nodes: Obj): FieldError[] {
  const errors: FieldError[] = [];
  const steps = Array.isArray(node.steps) ? node.steps : [];
  const names = new Set<string>();
  let weight = 0;
  steps.forEach((s, i) => {
    const step = o(s);
    const at = index(child(nodePath, 'steps'), i);
    const name = typeof step.name === 'string' ? step.name : '';
    if (name !== '' && names.has(name)) errors.push(duplicate(child(at, 'name'), name));
    names.add(name);
    const set = TARGETS.filter((t) => typeof step[t] === 'string' && step[t] !== '');
    if (set.length === 0) errors.push(required(at, 'exactly one of nodeName, serviceName, serviceUrl must be specified'));
    if (set.length > 1) errors.push(invalid(at, set, 'specifies more than one of nodeName, serviceName, serviceUrl'));
    if (typeof step.nodeName === 'string' && step.nodeName !== '' && !(step.nodeName in nodes)) errors.push(invalid(child(at, 'nodeName'), step.nodeName, `no node named ${step.nodeName} in spec.nodes`));
    if (typeof step.serviceUrl === 'string' && step.serviceUrl !== '' && !/^https?:\/\//.test(step.serviceUrl)) errors.push(invalid(child(at, 'serviceUrl'), step.serviceUrl, 'must be an http:// or https:// URL'));
    if (node.routerType === 'Splitter') {
      if (typeof step.weight !== 'number') errors.push(required(child(at, 'weight'), 'every Splitter step needs a weight'));
      else weight += step.weight;
    }
  });
  if (node.routerType === 'Splitter' && steps.length > 0 && weight !== 100 && errors.every((e) => !e.field.endsWith('.weight'))) {
    errors.push(invalid(child(nodePath, 'steps'), weight, 'splitter node: the sum of traffic weights for all routing targets should be 100'));
  }
  return errors;
}

/** The admission errors of an InferenceGraph. */
export function validateInferenceGraph(ig: Obj): FieldError[] {
  const errors: FieldError[] = [];
  const name = o(ig.metadata).name;
  if (typeof name === 'string' && name !== '') errors.push(...nameErrors('metadata.name', name, 'dns1035Label'));
  const nodes = o(o(ig.spec).nodes);
  if (!('root' in nodes)) errors.push(required('spec.nodes[root]', "root node not found, InferenceGraph needs a node with name 'root' as the root node of the graph"));
  for (const [nodeName, node] of Object.entries(nodes)) errors.push(...stepErrors(index('spec.nodes', nodeName), o(node), nodes));
  return errors;
}
