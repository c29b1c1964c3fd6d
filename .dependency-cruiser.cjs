/** Layer rules (docs/architecture.md, "Layers"), enforced in `npm test` (test/unit/layers.test.ts). */
module.exports = {
  forbidden: [
    {
      name: 'core-never-imports-electron',
      comment: 'The engine runs headless too: electron/core must not import electron.',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'core-never-imports-the-shell',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: '^electron/(main|preload)/' },
    },
    {
      name: 'core-never-imports-the-sandbox',
      comment: 'Production core does not carry the simulators: the shells hand the engine a sandbox launcher (electron/core/sandbox-port.ts).',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: '^electron/sandbox/' },
    },
    {
      name: 'no-cycles-in-core',
      comment: 'The engine reads bottom-up: no import circle inside electron/core (type-only imports included).',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: '^electron/core/', circular: true },
    },
    {
      name: 'renderer-only-imports-shared',
      comment: 'The renderer talks to the engine only through the contract in shared/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-is-pure',
      comment: 'shared/ runs in every face: no Node built-ins, no Electron, no app layers.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-imports-no-app-layer',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer)/|^electron$|node_modules/electron/' },
    },
    {
      name: 'shared-no-dom-libraries',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: 'node_modules/(react|react-dom|@mantine)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
