import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { isPlainObject } from '../is-plain-object';
import { isLoggerLike } from '../logger/is-logger-like';
import { NESTED_OPTION_SCHEMAS, VWOModuleOptionsSchema } from './schema/vwo-module-options.schema';
import { INAPPLICABLE_OPTIONS } from './inapplicable-options';
import { suggestOption } from './option-suggestions';
import { VWOOptionsError } from '../vwo-options.error';
import type { VWOModuleOptions } from './vwo-module-options.interface';

/**
 * Checks options against the class-validator schema: wrong types, missing required keys and unknown keys
 * (with a "did you mean" for the snake_case names of VWO's Python docs). Throws one VWOOptionsError.
 */
export function validateVWOOptions(raw: unknown): VWOModuleOptions {
  if (!isPlainObject(raw)) {
    throw new VWOOptionsError(['options must be an object, e.g. VWOModule.forRoot({ sdkKey, accountId })']);
  }
  const errors = validateSync(toSchemaInstance(raw), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
    // One message per option: the type check is each property's first (bottom) decorator.
    stopAtFirstError: true,
    validationError: { target: false },
  });
  if (errors.length > 0) throw new VWOOptionsError(errors.flatMap((e) => describe(e, '', VWOModuleOptionsSchema)));
  return raw as VWOModuleOptions;
}

/** Copies the options onto schema instances (nested objects too) without touching class instances or functions. */
function toSchemaInstance(raw: Record<string, unknown>): VWOModuleOptionsSchema {
  const instance = Object.assign(new VWOModuleOptionsSchema(), raw);
  const target = instance as unknown as Record<string, unknown>;
  for (const [key, Schema] of Object.entries(NESTED_OPTION_SCHEMAS)) {
    const value = raw[key];
    if (isPlainObject(value) && !(key === 'logger' && isLoggerLike(value))) target[key] = Object.assign(new Schema(), value);
  }
  return instance;
}

function knownKeys(schema: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function describe(error: ValidationError, parent: string, schema: new () => object): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const nestedSchema = NESTED_OPTION_SCHEMAS[error.property];
  const children = (error.children ?? []).flatMap((child) =>
    describe(child, path, parent === '' && nestedSchema ? nestedSchema : schema),
  );
  const constraints = Object.entries(error.constraints ?? {});
  const messages = constraints.map(([name, message]) => {
    if (name === 'whitelistValidation') return (parent === '' && inapplicable(error.property)) || unknownKeyMessage(error.property, schema);
    if (name === 'nestedValidation') return 'must be an object';
    return message;
  });
  return [...messages.map((m) => `${path}: ${m}`), ...children];
}

function inapplicable(key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(INAPPLICABLE_OPTIONS, key) ? `not supported: ${INAPPLICABLE_OPTIONS[key]}` : undefined;
}

function unknownKeyMessage(key: string, schema: new () => object): string {
  const known = knownKeys(schema).filter((k) => k !== 'isGlobal');
  const suggestion = suggestOption(key, known);
  return suggestion
    ? `unknown option; did you mean "${suggestion}"? (options use the camelCase names of VWO's Node SDK)`
    : `unknown option; known options are ${known.join(', ')}`;
}
