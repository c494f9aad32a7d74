import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sandbox } from '../helpers.js';

/** The project's layering rule (.dependency-cruiser.cjs) run on a small src/ tree. */
function cruise(files: Record<string, string>): { violations: string[]; resolved: string[] } {
  const sb = sandbox(files);
  copyFileSync(join(ROOT, 'tsconfig.json'), sb.path('tsconfig.json'));
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      'src',
      '--config',
      join(ROOT, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
    ],
    { cwd: sb.path(''), encoding: 'utf8' },
  );
  const out = JSON.parse(r.stdout) as {
    modules: { source: string; dependencies: { resolved: string; couldNotResolve: boolean }[] }[];
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return {
    violations: out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`),
    // Every import found and resolved: a rule can only hold on arrows it sees.
    resolved: out.modules.flatMap((m) =>
      m.dependencies.filter((d) => !d.couldNotResolve).map((d) => `${m.source} -> ${d.resolved}`),
    ),
  };
}

describe('the layering rule', () => {
  it('refuses each kind of arrow up, type-only and dynamic imports included', () => {
    const { violations } = cruise({
      'src/errors.ts': "import { h } from './util/hash.js';\nexport const e = h;\n",
      'src/util/hash.ts': "import type { T } from '../targets/types.js';\nexport const h: T = 'x';\n",
      'src/targets/types.ts': 'export type T = string;\n',
      'src/config/load.ts': "import { x } from '../targets/index.js';\nexport const l = x;\n",
      'src/targets/index.ts': 'export const x = 1;\n',
      'src/plan/build.ts': "export const b = () => import('../apply/run.js');\n",
      'src/apply/run.ts': 'export const r = 1;\n',
      'src/doctor/run.ts': "import { w } from '../watch/session.js';\nexport const d = w;\n",
      'src/watch/session.ts': 'export const w = 1;\n',
      'src/probe/spawn.ts': "import { c } from '../cli/context.js';\nexport const s = c;\n",
      'src/cli/context.ts': 'export const c = 1;\n',
      'src/unplaced/loop.ts': "import { r } from '../apply/run.js';\nexport const o = r;\n",
      'src/stray.ts': "import { r } from './apply/run.js';\nexport const o = r;\n",
      'src/lock/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/lock/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      // Folders in a circle, files not: clients/c -> formats/f, formats/g -> clients/d.
      'src/targets/clients/c.ts': "import { f } from '../formats/f.js';\nexport const c = f;\n",
      'src/targets/clients/d.ts': 'export const d = 1;\n',
      'src/targets/formats/f.ts': 'export const f = 1;\n',
      'src/targets/formats/g.ts': "import { d } from '../clients/d.js';\nexport const g = d;\n",
    });
    expect(violations).toEqual(
      expect.arrayContaining([
        'kernel-imports-no-folder: src/errors.ts -> src/util/hash.ts',
        'layer-util: src/util/hash.ts -> src/targets/types.ts',
        'layer-config: src/config/load.ts -> src/targets/index.ts',
        'layer-plan: src/plan/build.ts -> src/apply/run.ts',
        'layer-doctor: src/doctor/run.ts -> src/watch/session.ts',
        'nothing-imports-cli: src/probe/spawn.ts -> src/cli/context.ts',
        'folder-in-a-layer: src/unplaced/loop.ts -> src/apply/run.ts',
        'folder-in-a-layer: src/stray.ts -> src/apply/run.ts',
        'no-circular: src/lock/a.ts -> src/lock/b.ts',
        'no-folder-cycle: src/targets/clients -> src/targets/formats',
      ]),
    );
  });

  it('lets every folder import the layers below it, and a folder its own subfolders and back', () => {
    const { violations, resolved } = cruise({
      'src/errors.ts': 'export const e = 1;\n',
      'src/util/hash.ts': "import { e } from '../errors.js';\nexport const h = e;\n",
      'src/state/dirs.ts': "import { h } from '../util/hash.js';\nexport const s = h;\n",
      'src/config/types.ts': "import { s } from '../state/dirs.js';\nexport type D = typeof s;\n",
      'src/config/git/host.ts': "import type { D } from '../types.js';\nexport const g = (d: D) => d;\n",
      'src/config/load.ts': "import { g } from './git/host.js';\nexport const l = g;\n",
      'src/targets/index.ts': "import type { D } from '../config/types.js';\nexport const t = (d: D) => d;\n",
      'src/probe/run.ts': "import { t } from '../targets/index.js';\nexport const p = t;\n",
      'src/lock/sync.ts': "import { p } from '../probe/run.js';\nexport const k = p;\n",
      'src/plan/run.ts': "import { k } from '../lock/sync.js';\nexport const n = k;\n",
      'src/apply/run.ts': "export const a = () => import('../plan/run.js');\n",
      'src/watch/session.ts': "import { a } from '../apply/run.js';\nexport const w = a;\n",
      'src/cli/main.ts': "import { w } from '../watch/session.js';\nexport const m = w;\n",
    });
    expect(resolved).toHaveLength(12);
    expect(violations).toEqual([]);
  });
});
