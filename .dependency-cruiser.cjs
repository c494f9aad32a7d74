/* global module */
// What may import what in src/ (`npm run lint` runs it: `npx depcruise src`).
//
// Layers, lowest first. A folder imports only itself and the layers below it, so every
// arrow points down and no two folders can form a cycle:
//
//   kernel   errors.ts, world.ts, version.ts, generated/  (imports no folder of src)
//   util/    leaf helpers: hash, equality, closest name, masking, paths
//   state/   what mcpform keeps on this machine: state and cache dirs, the file mutex, ownership
//   config/  mcp.yaml -> DesiredState (mcp.lock's git pins and the client registry are passed in)
//   targets/ client formats, one file per client, the registry
//   probe/   health checks
//   lock/    mcp.lock: pins, fingerprints, rug-pull comparison
//   plan/    desired x live x owned -> Plan (and the load -> pins -> plan sequence)
//   apply/   transaction, backups, rollback
//   doctor/  adopt/  watch/  health/   features, side by side: none imports another
//   reconcile/  the GitOps loop: one pass heals drift through apply/; the agent runs passes
//   cli/     flags -> one core call -> render; nothing imports it
//
// A new folder (or file directly in src/) must be placed here (rule "folder-in-a-layer")
// before it can import anything.

const KERNEL = ['errors.ts', 'world.ts', 'version.ts', 'generated'];
const LAYERS = [
  ['util'],
  ['state'],
  ['config'],
  ['targets'],
  ['probe'],
  ['lock'],
  ['plan'],
  ['apply'],
  ['doctor', 'adopt', 'watch', 'health'],
  ['reconcile'],
];
const FOLDERS = LAYERS.flat();

const esc = (name) => name.replace(/\./g, '\\.');
const under = (names) => `^src/(${names.map(esc).join('|')})(/|$)`;

/** One rule per folder: no import of a higher layer, nor of a peer in its own layer. */
const layering = LAYERS.flatMap((layer, i) =>
  layer.map((folder) => {
    const above = [...LAYERS.slice(i + 1).flat(), ...layer.filter((f) => f !== folder)];
    return {
      name: `layer-${folder}`,
      severity: 'error',
      comment: `${folder}/ may import only the layers below it (.dependency-cruiser.cjs): move the helper down, or pass the value in`,
      from: { path: under([folder]) },
      to: { path: under(above) },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a file cycle: put what both files need in a third one (types in types.ts) that neither imports back',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'two folders import each other: a helper is in the wrong one',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'src/cli is the top: core code takes what it needs as arguments (the World, a ui)',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'kernel-imports-no-folder',
      severity: 'error',
      comment: 'errors.ts, world.ts, version.ts and generated/ sit below util/: they import no folder of src',
      from: { path: under(KERNEL) },
      to: { path: '^src/[^/]+/', pathNot: under(KERNEL) },
    },
    ...layering,
    {
      name: 'folder-in-a-layer',
      severity: 'error',
      comment: 'a folder (or file) of src that is in no layer: add it to LAYERS or KERNEL in .dependency-cruiser.cjs',
      from: { path: '^src/', pathNot: under([...KERNEL, ...FOLDERS, 'cli', 'types']) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` is an arrow too: a type from a higher layer couples as much as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
