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
  Req,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { WabaDeliveryService } from '../delivery/waba-delivery.service.js';
import { WhatsAppMtlsGuard } from '../mtls/whatsapp-mtls.guard.js';
import {
  RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS,
  VERIFIED_SECRET_INDEX,
} from '../whatsapp-webhooks.constants.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import type { ResolvedWhatsAppWebhooksOptions } from '../whatsapp-webhooks-options.interface.js';
import { digestVerifyTokens, type HandshakeQuery, verifyHandshake } from './handshake.js';
import { WabaRejectionFilter } from './rejection.filter.js';
import { type ReceivedWebhook, WabaPayloadPipe } from './waba-payload.pipe.js';
import { type SignedWebhookRequest, WhatsAppSignatureGuard } from './whatsapp-signature.guard.js';

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
    @Inject(RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS)
    private readonly options: ResolvedWhatsAppWebhooksOptions,
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
   * An event notification. Answers 200 once the signature and payload are verified and the
   * updates accepted for delivery — Meta treats any other status, 201 included, as a failure
   * and redelivers for days.
   */
  @Post()
  @HttpCode(HttpStatus.OK)
  // mTLS (a no-op unless the `mtls` option is set) first, then the signature: both must pass.
  @UseGuards(WhatsAppMtlsGuard, WhatsAppSignatureGuard)
  // Logs each 400/401/403/413/415 (rate-limited) and answers it as Nest's default handler does.
  @UseFilters(WabaRejectionFilter)
  async receive(
    @Body(WabaPayloadPipe) webhook: ReceivedWebhook,
    @Req() request: SignedWebhookRequest,
  ): Promise<void> {
    const app = this.options.secretApps[request[VERIFIED_SECRET_INDEX] ?? -1];
    await this.delivery.accept(app === undefined ? webhook : { ...webhook, app });
  }
}

/**
 * A controller class serving {@link WhatsAppWebhookController} at `path`. Each module instance
 * gets its own subclass, so the route is configurable without mutating shared metadata.
 *
 * @internal
 */
export function createWhatsAppWebhookController(path: string): Type<WhatsAppWebhookController> {
  @Controller(path)
  class WhatsAppWebhookRouteController extends WhatsAppWebhookController {}
  return WhatsAppWebhookRouteController;
}
