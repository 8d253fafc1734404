import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * The public API of each entry point, pinned: a name added to or removed from a barrel fails here until this
 * list says so too, so the surface users depend on changes only on purpose. Types are read from the barrel's
 * source (each barrel names its exports one by one, which the first test checks), values from the loaded module.
 */
const ENTRIES = {
  'nestjs-vwo': {
    file: 'lib/index.ts',
    values: [
      'FEATURE_DISABLED_CODE',
      'FeatureFlag',
      'FeatureFlagGuard',
      'Flag',
      'FlagVariable',
      'InjectTypedVWO',
      'InjectVWO',
      'SettingsValidationError',
      'SkipFeatureFlag',
      'VWOContextInterceptor',
      'VWOHealthIndicator',
      'VWOMemoryStorage',
      'VWOModule',
      'VWOOptionsError',
      'VWORedisStorage',
      'VWORequestError',
      'VWOService',
      'VWO_METRICS',
      'VWO_STORAGE',
      'createFeatureFlagDecorator',
      'getUUID',
      'getVWOInstanceToken',
      'getVWOServiceToken',
      'runWithUserContext',
      'typedVWO',
    ],
    types: [
      'DecisionReason',
      'FeatureFlagOptions',
      'Flag',
      'FlushResult',
      'IntegrationPayload',
      'StoredRecord',
      'TypedFlag',
      'TypedVWOService',
      'VWOCachedSettings',
      'VWOFlagRegistry',
      'VWOHealthCheckOptions',
      'VWOHealthIndicatorResult',
      'VWOLogLevel',
      'VWOLogger',
      'VWOMemoryStorageOptions',
      'VWOModuleAsyncOptions',
      'VWOModuleOptions',
      'VWORedisStorageOptions',
      'VWOSettingsChannel',
      'VWOStorage',
      'VWOUserContext',
    ],
  },
  'nestjs-vwo/testing': {
    file: 'lib/testing/index.ts',
    values: ['FeatureBuilder', 'SettingsBuilder', 'VWOTestingModule', 'VWOTestingService', 'describeStorageContract', 'storedDecisionRecord'],
    types: [
      'BuiltFeature',
      'MetricSpec',
      'RolloutRuleSpec',
      'SettingsBuilderOptions',
      'TestingRuleSpec',
      'TestingVariationSpec',
      'VWOBuiltSettings',
      'VWOModuleOverrider',
      'VWOSegments',
      'VWOTestingAliasCall',
      'VWOTestingAttributeCall',
      'VWOTestingEvaluation',
      'VWOTestingFlag',
      'VWOTestingFlagDefinition',
      'VWOTestingModuleOptions',
      'VWOTestingTrackedEvent',
      'VWOVariableValue',
      'VWOVariableValues',
    ],
  },
  'nestjs-vwo/openfeature': {
    file: 'lib/openfeature/index.ts',
    values: ['VWOOpenFeatureModule', 'VWOOpenFeatureProvider'],
    types: ['VWOOpenFeatureModuleOptions', 'VWOOpenFeatureProviderOptions'],
  },
} as const;

const ROOT = join(__dirname, '../..');

interface BarrelExports {
  /** Every exported name (values and types). */
  names: string[];
  /** `export *` clauses: they would make the list above incomplete. */
  starExports: string[];
}

/** What a barrel exports, read from its source: a barrel is a list of named re-exports and a few local declarations. */
function barrelExports(file: string): BarrelExports {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  const starExports: string[] = [];
  const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause) starExports.push(statement.getText());
      else if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) names.push(element.name.text);
      }
    } else if ((ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) && isExported(statement)) {
      names.push(statement.name.text);
    } else if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) names.push((declaration.name as ts.Identifier).text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && isExported(statement) && statement.name) {
      names.push(statement.name.text);
    }
  }
  return { names, starExports };
}

const sorted = (names: readonly string[]) => [...new Set(names)].sort();

describe.each(Object.entries(ENTRIES))('the public API of %s', (_entry, { file, values, types }) => {
  it('is a list of named exports (no `export *`, which would let internals through unseen)', () => {
    expect(barrelExports(file).starExports).toEqual([]);
  });

  it('exports exactly the pinned names', () => {
    expect(sorted(barrelExports(file).names)).toEqual(sorted([...values, ...types]));
  });

  it('exports exactly the pinned values at run time', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(join(ROOT, file)) as Record<string, unknown>;
    expect(Object.keys(loaded).sort()).toEqual(sorted(values));
  });
});
