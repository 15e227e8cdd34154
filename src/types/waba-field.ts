/**
 * The field names by their former path. The list lives in the field registry
 * (`dto/waba-field.registry.ts`), which this folder's barrel does not re-export: the DTOs import
 * these types, so a types barrel that pulled the registry in would close an import cycle.
 */
export { WABA_FIELDS, type WabaField } from '../dto/waba-field.registry.js';
export type { OpenString } from './open-string.js';
