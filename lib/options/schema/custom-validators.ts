import { ValidateBy, ValidationOptions } from 'class-validator';
import { isPlainObject } from '../../is-plain-object';
import { isLoggerLike } from '../../logger/is-logger-like';

export { isLoggerLike };

/** True for a storage instance (get and set methods), a class for Nest to construct, 'memory' or false. */
export function isStorageLike(value: unknown): boolean {
  if (value === false || value === 'memory' || typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.get === 'function' && typeof candidate.set === 'function';
}

/** The value is a function. */
export function IsFunction(message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isFunction', validator: { validate: (v) => typeof v === 'function', defaultMessage: () => message } }, options);
}

/** The value is a positive integer, or a string of digits naming one (VWO account ids come both ways). */
export function IsAccountId(message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAccountId',
      validator: {
        validate: (v) => (typeof v === 'string' && /^[1-9][0-9]*$/.test(v)) || (Number.isSafeInteger(v) && (v as number) > 0),
        defaultMessage: () => message,
      },
    },
    options,
  );
}

/** Always fails: for a key that is never valid where it was found (the message says where it belongs). */
export function IsMisplaced(message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isMisplaced', validator: { validate: () => false, defaultMessage: () => message } }, options);
}

/** The value is a storage instance, a storage class, or false. */
export function IsStorageOption(message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isStorageOption', validator: { validate: isStorageLike, defaultMessage: () => message } }, options);
}

/** The value is a plain object (a JSON document). */
export function IsPlainObject(message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isPlainObject', validator: { validate: isPlainObject, defaultMessage: () => message } }, options);
}

/** The value is a logger instance (debug/info/warn/error methods). */
export function IsLogger(message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isLogger', validator: { validate: isLoggerLike, defaultMessage: () => message } }, options);
}
