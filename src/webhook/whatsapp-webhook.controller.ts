import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Query,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { WabaDeliveryService } from '../delivery/waba-delivery.service.js';
import { WhatsAppMtlsGuard } from '../mtls/whatsapp-mtls.guard.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { digestVerifyTokens, type HandshakeQuery, verifyHandshake } from './handshake.js';
import { WabaRejectionFilter } from './rejection.filter.js';
import type { ReceivedWebhook } from '../events/waba-dispatch.types.js';
import { WabaPayloadPipe } from './waba-payload.pipe.js';
import { type SignatureVerdict, VerifiedSignature } from './signature-verdict.decorator.js';
import { WhatsAppSignatureGuard } from './whatsapp-signature.guard.js';
import { type ResolvedSignatureOptions, SIGNATURE_OPTIONS } from './webhook.options.js';

/**
 * The webhook endpoint: the GET verification handshake and the signed POST notifications.
 * The route is set per module instance by {@link createWhatsAppWebhookController}.
 *
 * @internal
 */
@Controller()
export class WhatsAppWebhookController {
  private readonly verifyTokenDigests: Buffer[];

  constructor(
    @Inject(SIGNATURE_OPTIONS) options: ResolvedSignatureOptions,
    private readonly delivery: WabaDeliveryService,
  ) {
    this.verifyTokenDigests = digestVerifyTokens(options.verifyTokens);
  }

  /** Meta's verification request: echo `hub.challenge` when the verify token matches, else 403. */
  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-store')
  handshake(@Query() query: HandshakeQuery): string {
    const challenge = verifyHandshake(query, this.verifyTokenDigests);
    if (challenge === undefined) throw new ForbiddenException(messages.handshakeRejected());
    return challenge;
  }

  /**
   * Hands a verified, validated webhook to delivery, with the app its secret names. Returns
   * synchronously when delivery did (Nest answers either way once it returns or resolves).
   */
  protected accept(
    webhook: ReceivedWebhook,
    verdict: SignatureVerdict | undefined,
  ): Promise<void> | void {
    return this.delivery.accept(verdict === undefined ? webhook : { ...webhook, app: verdict.app });
  }
}

/** The guards in front of the POST route: the module's own, or the application's subclasses. */
export interface WebhookRouteGuards {
  readonly mtls: Type<WhatsAppMtlsGuard>;
  readonly signature: Type<WhatsAppSignatureGuard>;
}

/**
 * A controller class serving {@link WhatsAppWebhookController} at `path`, with `guards` in front
 * of its POST route. Each module instance gets its own subclass, so the route and the guards are
 * configurable without mutating shared metadata.
 *
 * @internal
 */
export function createWhatsAppWebhookController(
  path: string,
  guards: WebhookRouteGuards = { mtls: WhatsAppMtlsGuard, signature: WhatsAppSignatureGuard },
): Type<WhatsAppWebhookController> {
  @Controller(path)
  class WhatsAppWebhookRouteController extends WhatsAppWebhookController {
    /**
     * An event notification. Answers 200 once the signature and payload are verified and the
     * updates accepted for delivery — Meta treats any other status, 201 included, as a failure
     * and redelivers for days.
     */
    @Post()
    @HttpCode(HttpStatus.OK)
    // mTLS (a no-op unless the `mtls` option is set) first, then the signature: both must pass.
    @UseGuards(guards.mtls, guards.signature)
    // Logs each 400/401/403/413/415 (rate-limited) and answers it as Nest's default handler does.
    @UseFilters(WabaRejectionFilter)
    receive(
      @Body(WabaPayloadPipe) webhook: ReceivedWebhook,
      @VerifiedSignature() verdict: SignatureVerdict | undefined,
    ): Promise<void> | void {
      return this.accept(webhook, verdict);
    }
  }
  return WhatsAppWebhookRouteController;
}
