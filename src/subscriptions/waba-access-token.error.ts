import type { AccessTokenContext } from './subscription.types.js';

function target(context: AccessTokenContext): string {
  if (context.wabaId !== undefined) return `WABA ${context.wabaId}`;
  if (context.phoneNumberId !== undefined) return `phone number ${context.phoneNumberId}`;
  return 'a call without a WABA';
}

function reasonOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return typeof cause === 'string' ? cause : typeof cause;
}

/**
 * The `accessToken` function (module option or per-call option) threw, or gave no token (not
 * a string, or an empty one), for a call of `SubscriptionService`. Nothing was sent to the Graph
 * API. The message names the WABA (or phone number) the token was asked for; the function's
 * own error, if any, is the `cause`.
 *
 * @example
 * try {
 *   await subscriptions.ensureSubscribed(wabaId);
 * } catch (error) {
 *   if (error instanceof WabaAccessTokenError) {
 *     // no token stored for error.wabaId: the client must finish Embedded Signup again
 *   }
 *   throw error;
 * }
 */
export class WabaAccessTokenError extends Error {
  static {
    // On the prototype, so that the name is in the stack header but not an own property.
    Object.defineProperty(this.prototype, 'name', {
      value: 'WabaAccessTokenError',
      writable: true,
    });
  }

  /** The WABA the token was asked for, when the call acts on one. */
  readonly wabaId: string | undefined;

  /** The phone number the token was asked for, when the call acts on one. */
  readonly phoneNumberId: string | undefined;

  /**
   * @param context what the function was asked for
   * @param cause the function's error; `undefined` when it returned no token
   */
  constructor(context: AccessTokenContext, cause?: unknown) {
    super(
      cause === undefined
        ? `SubscriptionService: the accessToken function returned no token (an empty string or ` +
            `not a string) for ${target(context)}; nothing was sent to the Graph API.`
        : `SubscriptionService: the accessToken function failed for ${target(context)} ` +
            `(${reasonOf(cause)}); nothing was sent to the Graph API.`,
      cause === undefined ? undefined : { cause },
    );
    this.wabaId = context.wabaId;
    this.phoneNumberId = context.phoneNumberId;
  }
}
