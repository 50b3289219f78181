/**
 * The layer rules of DESIGN.md: imports point downward only. Each rule names a layer and the
 * folders of ours it must not import. `npm run layers` fails on any violation.
 */
const layers = {
  core: [],
  protocol: ['core'],
  storage: ['core'],
  runtimes: ['core', 'protocol', 'storage'],
  dataplane: ['core', 'protocol', 'runtimes'],
  api: ['core'],
  autoscaler: ['core', 'api'],
  gateway: ['core', 'protocol', 'api', 'autoscaler'],
  control: ['core', 'api', 'autoscaler', 'gateway', 'storage'],
  operator: ['core', 'api', 'control'],
  cli: ['api', 'core'],
  ui: ['api', 'core'],
};
const all = Object.keys(layers);
const forbidden = Object.entries(layers).map(([layer, allowed]) => {
  const banned = all.filter((l) => l !== layer && !allowed.includes(l));
  return {
    name: `layer-${layer}`,
    comment: `${layer}/ may import only ${allowed.length ? allowed.join(', ') : 'nothing of ours'} (DESIGN.md)`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: `^src/(${banned.join('|')})/` },
  };
});
forbidden.push({
  name: 'no-circular',
  severity: 'error',
  from: {},
  to: { circular: true },
});
forbidden.push({
  name: 'not-to-bin',
  comment: 'src/bin is the composition root; nothing imports it',
  severity: 'error',
  from: { pathNot: '^src/bin/' },
  to: { path: '^src/bin/' },
});
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: 'generated/' },
  },
};
