/**
 * Options of {@link WhatsAppWebhooksModule}: pass them to `forRoot()` or return them from the
 * `useFactory` of `forRootAsync()`.
 */
export interface WhatsAppWebhooksModuleOptions {
  /**
   * The App Secret (App Dashboard › App settings › Basic) used to verify
   * `X-Hub-Signature-256`. Several secrets (rotation, several Meta apps posting to one receiver):
   * a request passes if any of them matches.
   */
  appSecret: string | readonly string[];

  /**
   * The verify token Meta sends in the GET handshake (`hub.verify_token`). Several tokens are
   * accepted (the app token plus every callback override's own token).
   */
  verifyToken: string | readonly string[];

  /**
   * What to do with a change of a known field whose `value` fails its DTO:
   * - `'emit'` (default): acknowledge the request, log a warning and emit the change to
   *   `@OnWabaInvalid()` listeners only. Meta would redeliver a rejected request for days, and a
   *   retry cannot fix a payload.
   * - `'reject'`: answer 400 and emit nothing from that request.
   *
   * @default 'emit'
   */
  onInvalidValue?: 'emit' | 'reject';

  /**
   * When listeners run relative to the 200 acknowledgement:
   * - `'before-listeners'` (default): answer 200 as soon as the request is verified and
   *   validated, then run listeners. A failing listener is logged, never turned into an error
   *   response. Meta asks for fast answers and redelivers slow ones.
   * - `'after-listeners'`: await every listener, answer 500 if any failed so that Meta redelivers
   *   the whole request (listeners must then be idempotent).
   *
   * @default 'before-listeners'
   */
  acknowledge?: 'before-listeners' | 'after-listeners';
}

/**
 * Options that shape the module's routes, so they are read when the module is defined: pass
 * them beside the other options in `forRoot()`, and at the top level of `forRootAsync()` (not
 * from the factory).
 */
export interface WhatsAppWebhooksModuleExtras {
  /**
   * Route of the webhook endpoint; GET (handshake) and POST (notifications) both live here.
   *
   * @default 'webhooks/whatsapp'
   */
  path?: string;
}

/** The options after defaults were applied and values checked, as used internally. */
export interface ResolvedWhatsAppWebhooksOptions {
  readonly appSecrets: readonly string[];
  readonly verifyTokens: readonly string[];
  readonly onInvalidValue: 'emit' | 'reject';
  readonly acknowledge: 'before-listeners' | 'after-listeners';
}
