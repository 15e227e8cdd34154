/**
 * An enum value Meta documents today, or any other string: Meta extends these enums without
 * notice, so an unknown value must type-check and validate.
 */
export type OpenString<Known extends string> = Known | (string & {});
