// Compiled with `tsc --strict --noEmit` against the installed package's declarations.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import {
  isWabaChange,
  OnWaba,
  OnWabaInvalid,
  OnWabaMessage,
  OnWabaStatus,
  type WabaChangeEvent,
  type WabaField,
  type WabaInvalidEvent,
  type WabaMessageEvent,
  type WabaStatusEvent,
  WhatsAppWebhooksModule,
} from 'nestjs-whatsapp-webhooks';
import { signWebhookBody, textMessageWebhook } from 'nestjs-whatsapp-webhooks/testing';

@Injectable()
export class Listeners {
  @OnWaba('message_template_status_update')
  onTemplate(e: WabaChangeEvent<'message_template_status_update'>): string {
    const id: string = e.value.message_template_id;
    const entry: string = e.entryId;
    const time: number | undefined = e.time;
    // @ts-expect-error: a template change has no `messages`
    void e.value.messages;
    return `${id}${entry}${time}${e.value.event}`;
  }

  @OnWabaMessage()
  onMessage(e: WabaMessageEvent): string {
    if (e.message.type === 'text') return e.message.text.body;
    if (e.message.type === 'image') return e.message.image.id;
    // @ts-expect-error: only a text message has `text`
    void e.message.text;
    return e.metadata.phone_number_id + (e.contact?.wa_id ?? '');
  }

  @OnWabaMessage('text')
  onText(e: WabaMessageEvent<'text'>): string {
    return e.message.text.body;
  }

  @OnWabaStatus('failed')
  onFailed(e: WabaStatusEvent): number | undefined {
    return e.status.errors?.[0]?.code;
  }

  @OnWaba('*')
  onAny(e: WabaChangeEvent): void {
    if (isWabaChange(e, 'account_review_update')) {
      const decision: string = e.value.decision;
      void decision;
    }
  }

  @OnWabaInvalid()
  onInvalid(e: WabaInvalidEvent): string[] {
    return e.errors;
  }
}

const field: WabaField = 'messages';
// @ts-expect-error: not a documented field name
const wrong: WabaField = 'mesages';
void field;
void wrong;

@Module({
  imports: [
    WhatsAppWebhooksModule.forRoot({ appSecret: ['a', 'b'], verifyToken: 't', path: 'wa' }),
  ],
  providers: [Listeners],
})
export class AppModule {}

export const header: string = signWebhookBody(JSON.stringify(textMessageWebhook('x')), 'secret');
