/**
 * Every manifest in test/manifests/kserve/ through the real kubectl: created, read back with
 * `kubectl get -o json`, and compared with the manifest after KServe's defaulting (what the
 * webhook adds, e.g. legacy `sklearn:` keys becoming `model.modelFormat`), ignoring only the
 * fields the server sets (uid, resourceVersion, generation, creationTimestamp, managedFields,
 * status). Every field the user wrote that defaulting keeps is therefore checked to come back
 * unchanged. Every manifest in test/manifests/invalid/ is refused, naming the field of its
 * `# expect:` line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { admit, context, loadManifests, type Manifest, type Obj } from './manifests/admit.ts';
import { useKubeCluster } from './support/kubectl.ts';

const dir = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const valid = loadManifests(dir('./manifests/kserve'));
const invalid = loadManifests(dir('./manifests/invalid'));
const runtimesFirst = (m: Manifest): number => (/ServingRuntime$/.test(String(m.obj.kind)) ? 0 : 1);

const { skip, c } = useKubeCluster(async (k) => {
  const namespaces = new Set(valid.map((m) => m.obj.metadata?.namespace as string | undefined).filter((ns): ns is string => ns !== undefined && ns !== 'default'));
  for (const ns of namespaces) await k.ok(['apply', '-f', '-'], { stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n` });
});

/** A resource argument for kubectl: `inferenceservices.serving.kserve.io`. */
function resourceOf(obj: Obj): string {
  const group = String(obj.apiVersion).split('/')[0];
  return `${String(obj.kind).toLowerCase()}.${group}`;
}

function withoutServerFields(obj: Obj): Obj {
  const out = structuredClone(obj);
  for (const key of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields']) delete out.metadata[key];
  delete out.status;
  return out;
}

const sorted = [...valid].sort((a, b) => runtimesFirst(a) - runtimesFirst(b));
const runtimes = valid.filter((m) => m.obj.kind === 'ServingRuntime').map((m) => m.obj);

for (const m of sorted) {
  const name = String(m.obj.metadata?.name);
  test(`round trip through kubectl: ${m.file} (${String(m.obj.kind)} ${name})`, { skip }, async () => {
    const text = JSON.stringify(m.obj);
    const created = await c.ok(['create', '-f', '-'], { stdin: text });
    assert.match(created, new RegExp(`/${name} created\\n$`));
    const args = ['get', resourceOf(m.obj), name, '-o', 'json'];
    if (m.obj.metadata?.namespace !== undefined) args.push('-n', String(m.obj.metadata.namespace));
    const got = JSON.parse(await c.ok(args)) as Obj;
    const expected = structuredClone(m.obj);
    assert.deepEqual(await admit(expected, context(runtimes)), [], 'the manifest admits locally');
    assert.deepEqual(withoutServerFields(got), expected);
  });
}

for (const m of invalid) {
  test(`refused through kubectl: ${m.file} at ${m.expect?.field}`, { skip }, async () => {
    const r = await c.kubectl(['create', '-f', '-'], { stdin: readFileSync(dir(`./manifests/invalid/${m.file}`), 'utf8') });
    assert.equal(r.code, 1, `expected a refusal, got ${r.stdout}`);
    assert.ok(r.stderr.includes(m.expect!.field), `stderr names ${m.expect!.field}: ${r.stderr}`);
    assert.ok(r.stderr.includes(m.expect!.fragment), `stderr says ${m.expect!.fragment}: ${r.stderr}`);
  });
}
