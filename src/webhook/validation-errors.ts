import type { ValidationError } from 'class-validator';

/**
 * Flattens class-validator's error tree into readable lines with property paths, e.g.
 * `entry.0.changes must be an array`.
 */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const constraint of Object.values(error.constraints ?? {})) {
      // class-validator prefixes its messages with the bare property name; show the full path.
      lines.push(
        constraint.startsWith(error.property)
          ? path + constraint.slice(error.property.length)
          : `${path}: ${constraint}`,
      );
    }
    if (error.children?.length) lines.push(...flattenValidationErrors(error.children, path));
  }
  return lines;
}
