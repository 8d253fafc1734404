/** VWO's type name for a variable value (`integer`, `double`, `string`, `boolean`, `json`). */
export function variableType(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'double';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return 'json';
  }
}
