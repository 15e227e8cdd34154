// A fresh ESM application using the packed tarball: no decorators syntax, plain JavaScript.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  OnWaba,
  OnWabaMessage,
  WhatsAppWebhooksModule,
  WABA_FIELDS,
} from 'nestjs-whatsapp-webhooks';
import {
  postWebhook,
  templateStatusWebhook,
  textMessageWebhook,
} from 'nestjs-whatsapp-webhooks/testing';

const received = [];
class Listener {
  onTemplate(e) {
    received.push(`${e.field}:${e.value.event}:${typeof e.value.message_template_id}`);
  }
  onText(e) {
    received.push(`text:${e.message.text.body}`);
  }
}
Reflect.decorate(
  [OnWaba('message_template_status_update')],
  Listener.prototype,
  'onTemplate',
  Object.getOwnPropertyDescriptor(Listener.prototype, 'onTemplate'),
);
Reflect.decorate(
  [OnWabaMessage('text')],
  Listener.prototype,
  'onText',
  Object.getOwnPropertyDescriptor(Listener.prototype, 'onText'),
);
Reflect.decorate([Injectable()], Listener);

class AppModule {}
Reflect.decorate(
  [
    Module({
      imports: [WhatsAppWebhooksModule.forRoot({ appSecret: 's', verifyToken: 't' })],
      providers: [Listener],
    }),
  ],
  AppModule,
);

const app = await NestFactory.create(AppModule, { rawBody: true, logger: false });
await app.listen(0, '127.0.0.1');
const a = await postWebhook(app, templateStatusWebhook({ event: 'APPROVED' }), { appSecret: 's' });
const b = await postWebhook(app, textMessageWebhook('hi from esm'), { appSecret: 's' });
await new Promise((r) => setTimeout(r, 50));
await app.close();
console.log(
  JSON.stringify({ statuses: [a.status, b.status], received, fields: WABA_FIELDS.length }),
);
