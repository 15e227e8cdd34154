import { WABA_FIELD_REGISTRY, type WabaField } from './waba-field.registry.js';

/**
 * The DTO that validates `entry[].changes[].value` of each field, from the field registry. A
 * field without a DTO (`consumer_profile`, and any field Meta adds later) is delivered raw,
 * unvalidated.
 */
export const FIELD_VALUE_DTOS: Readonly<Partial<Record<WabaField, new () => object>>> =
  Object.fromEntries(
    WABA_FIELD_REGISTRY.flatMap(({ name, dto }) => (dto === undefined ? [] : [[name, dto]])),
  );
