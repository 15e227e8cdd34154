import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * What {@link WhatsAppSignatureGuard} established about a request it let through, when the
 * secret that matched names an app (`apps` option). The guard records nothing for `appSecret`'s
 * secrets: the handler needs only the app, and a property added to Express's request costs
 * ~1.3 µs per request (measured on Express 5: 1.41 µs for a new symbol key, 0.43 µs for a key
 * the request already has).
 */
export interface SignatureVerdict {
  /** Index (in the resolved list of secrets) of the app secret whose HMAC matched. */
  readonly secretIndex: number;
  /** The named app of that secret. */
  readonly app: string;
}

/**
 * Where the verdict is held on the request: a symbol only this file knows, so the guard
 * records it and the handler receives it through {@link VerifiedSignature}, and nothing else
 * reads or collides with it (a symbol key is left out of `for…in`, `Object.keys` and
 * `JSON.stringify`). A `WeakMap` keyed by request kept it off the request entirely, but a new
 * key per request costs ~0.9 µs against ~0.05 µs for the property (measured: every entry is
 * an ephemeron the garbage collector revisits), which was 8 % of a single message's CPU.
 */
const VERDICT = Symbol('whatsapp-webhooks.signature-verdict');

interface WithVerdict {
  [VERDICT]?: SignatureVerdict;
}

/** Records the guard's verdict on a request it lets through. @internal */
export function recordSignatureVerdict(request: object, verdict: SignatureVerdict): void {
  (request as WithVerdict)[VERDICT] = verdict;
}

/**
 * The signature guard's verdict on the current request, as a handler parameter: `undefined`
 * when the secret that matched names no app, or when the route has no `WhatsAppSignatureGuard`
 * (or a subclass) in front of it.
 *
 * @internal
 */
export const VerifiedSignature = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SignatureVerdict | undefined =>
    context.getArgByIndex<WithVerdict>(0)[VERDICT], // an HTTP context: the request
);
