import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** What {@link WhatsAppSignatureGuard} established about a request it let through. */
export interface SignatureVerdict {
  /** Index (in the resolved list of secrets) of the app secret whose HMAC matched. */
  readonly secretIndex: number;
  /** The named app of that secret (`apps` option); `undefined` for `appSecret`'s secrets. */
  readonly app?: string;
}

/** Verdicts by request object: nothing is written onto the request itself. */
const verdicts = new WeakMap<object, SignatureVerdict>();

/** Records the guard's verdict on a request it lets through. @internal */
export function recordSignatureVerdict(request: object, verdict: SignatureVerdict): void {
  verdicts.set(request, verdict);
}

/**
 * The signature guard's verdict on the current request, as a handler parameter: `undefined`
 * when the route has no `WhatsAppSignatureGuard` (or a subclass) in front of it.
 *
 * @internal
 */
export const VerifiedSignature = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SignatureVerdict | undefined =>
    verdicts.get(context.getArgByIndex<object>(0)), // an HTTP context: the request
);
