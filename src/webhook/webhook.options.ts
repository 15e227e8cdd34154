import { invalidOption, nonEmptyStrings, oneOf } from '../options/option-checks.js';

/** One named Meta app posting to this endpoint (the module's `apps` option). */
export interface WabaAppConfig {
  /** Carried by every event verified with this app's secret (`event.app`). */
  name: string;
  /** The app's App Secret (several during a rotation). */
  appSecret: string | readonly string[];
  /** Verify tokens of this app's callback URL and of its overrides. */
  verifyTokens?: readonly string[];
}

/** The module options the signature and handshake slice is resolved from. */
interface SignatureOptionsInput {
  readonly appSecret?: string | readonly string[];
  readonly verifyToken?: string | readonly string[];
  readonly apps?: readonly WabaAppConfig[];
}

/** The signature and handshake slice of the options: who may post, and with which tokens. */
export interface ResolvedSignatureOptions {
  readonly appSecrets: readonly string[];
  /** The app name of each secret of `appSecrets` (`undefined` for `appSecret`'s). */
  readonly secretApps: readonly (string | undefined)[];
  readonly verifyTokens: readonly string[];
}

/** The validation slice of the options. */
export interface ResolvedValidationOptions {
  readonly onInvalidValue: 'emit' | 'reject';
}

/** Injection token of {@link ResolvedSignatureOptions}. @internal */
export const SIGNATURE_OPTIONS = Symbol('WABA_SIGNATURE_OPTIONS');
/** Injection token of {@link ResolvedValidationOptions}. @internal */
export const VALIDATION_OPTIONS = Symbol('WABA_VALIDATION_OPTIONS');

/** Secrets, their app names and verify tokens, from `appSecret`/`verifyToken` and `apps`. @internal */
export function resolveSignatureOptions(options: SignatureOptionsInput): ResolvedSignatureOptions {
  const secrets: string[] = [];
  const secretApps: (string | undefined)[] = [];
  const tokens: string[] = [];
  const apps = options.apps ?? [];
  if (!Array.isArray(apps)) throw invalidOption('apps', 'must be an array');
  if (options.appSecret !== undefined || apps.length === 0) {
    for (const secret of nonEmptyStrings('appSecret', options.appSecret)) {
      secrets.push(secret);
      secretApps.push(undefined);
    }
  }
  if (options.verifyToken !== undefined || apps.every((app) => !app.verifyTokens?.length)) {
    tokens.push(...nonEmptyStrings('verifyToken', options.verifyToken));
  }
  const names = new Set<string>();
  apps.forEach((app, i) => {
    if (!app || typeof app.name !== 'string' || app.name.length === 0 || names.has(app.name)) {
      throw invalidOption(`apps[${i}].name`, 'must be a unique non-empty string');
    }
    names.add(app.name);
    for (const secret of nonEmptyStrings(`apps[${i}].appSecret`, app.appSecret)) {
      secrets.push(secret);
      secretApps.push(app.name);
    }
    if (app.verifyTokens !== undefined)
      tokens.push(...nonEmptyStrings(`apps[${i}].verifyTokens`, app.verifyTokens));
  });
  return Object.freeze({
    appSecrets: Object.freeze(secrets),
    secretApps: Object.freeze(secretApps),
    verifyTokens: Object.freeze([...new Set(tokens)]),
  });
}

/** `onInvalidValue`, checked. @internal */
export function resolveValidationOptions(options: {
  readonly onInvalidValue?: 'emit' | 'reject';
}): ResolvedValidationOptions {
  return Object.freeze({
    onInvalidValue: oneOf('onInvalidValue', options.onInvalidValue, ['emit', 'reject'], 'emit'),
  });
}
