/**
 * The import rules of lib/ (npm run lint:deps, part of npm test): arrows point down only. The engine is pure and
 * stands alone, options compose the layers' types, and the library never reaches into its tests. The layering
 * rules read the library itself: a unit spec may use a builder of a higher layer (testing/) to set up its case;
 * .dependency-cruiser.specs.cjs holds the specs to the one rule they share with it (no import of test/).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Folders are layers: two folders that import each other cannot be read, changed or tested apart.',
      scope: 'folder',
      from: { path: '^lib/' },
      to: { path: '^lib/', circular: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and hides which layer owns what.',
      from: { path: '^lib/' },
      to: { circular: true },
    },
    {
      name: 'engine-stands-alone',
      severity: 'error',
      comment: 'lib/engine is pure (no Nest, no I/O): it imports nothing of ours outside itself.',
      from: { path: '^lib/engine/' },
      to: { path: '^(lib/(?!engine/)|test/|bench/|sample/)' },
    },
    {
      name: 'engine-without-nest',
      severity: 'error',
      comment: 'lib/engine runs without Nest (benchmarks, the differential suite, a worker thread).',
      from: { path: '^lib/engine/' },
      to: { path: '@nestjs/|rxjs|axios|ioredis' },
    },
    {
      name: 'engine-without-options',
      severity: 'error',
      comment: 'The engine is handed what it needs; it never reads module options.',
      from: { path: '^lib/engine/' },
      to: { path: '^lib/options/' },
    },
    {
      name: 'options-compose-layers',
      severity: 'error',
      comment:
        'options/ composes the layers\' option types and cuts each layer its config; a layer declares what it reads ' +
        'and never imports options/ (the module, the service and the testing entry sit above it).',
      from: { path: '^lib/(?!options/|testing/)[^/]+/' },
      to: { path: '^lib/options/' },
    },
    {
      name: 'lib-without-test',
      severity: 'error',
      comment: 'The published library cannot depend on files that are not published.',
      // Known exception, to be removed: the engine's decision specs (through their shared helpers) and compile spec
      // still share the conformance harness.
      from: { path: '^lib/', pathNot: '^lib/engine/decision/decision-spec\\.helpers\\.ts$|^lib/engine/settings/compile\\.spec\\.ts$' },
      to: { path: '^(test|bench|sample|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still two folders that cannot be read apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // A spec's shared setup (*spec.helpers.ts, never published) is held to the specs' rules.
    exclude: { path: '\\.d\\.ts$|\\.spec\\.ts$|spec\\.helpers\\.ts$' },
  },
};
