// A CommonJS TypeScript application (this folder's package.json says "type": "commonjs"),
// compiled with `tsc --strict --noEmit` twice: `module: nodenext` (the recommended setting) and
// the classic `module: commonjs` + `moduleResolution: node`. Both must resolve the main entry and
// the `/testing` and `/health` subpaths to their declarations.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import {
  OnWabaMessage,
  OnWabaStatus,
  type WabaMessageEvent,
  type WabaStatusEvent,
  WhatsAppWebhooksModule,
} from 'nestjs-whatsapp-webhooks';
import { WabaHealthIndicator } from 'nestjs-whatsapp-webhooks/health';
import { postWebhook, signWebhookBody, textMessageWebhook } from 'nestjs-whatsapp-webhooks/testing';

@Injectable()
export class Listeners {
  @OnWabaMessage('text')
  onText(e: WabaMessageEvent<'text'>): string {
    // @ts-expect-error: a text message has no `image`
    void e.message.image;
    return e.message.text.body;
  }

  @OnWabaStatus('failed')
  onFailed(e: WabaStatusEvent): number | undefined {
    return e.status.errors?.[0]?.code;
  }
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly waba: WabaHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.waba.isHealthy()]);
  }
}

@Module({
  imports: [TerminusModule, WhatsAppWebhooksModule.forRoot({ appSecret: 's', verifyToken: 't' })],
  controllers: [HealthController],
  providers: [Listeners, WabaHealthIndicator],
})
export class AppModule {}

export const header: string = signWebhookBody(JSON.stringify(textMessageWebhook('x')), 's');
export const post: typeof postWebhook = postWebhook;
