// A CommonJS application: require() of the ESM package (Node >= 20.19 loads it synchronously).
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { OnWabaStatus, WhatsAppWebhooksModule } = require('nestjs-whatsapp-webhooks');
const { postWebhook, statusWebhook } = require('nestjs-whatsapp-webhooks/testing');

const received = [];
class Listener {
  onFailed(e) {
    received.push(`${e.status.status}:${e.status.errors[0].code}`);
  }
}
Reflect.decorate(
  [OnWabaStatus('failed')],
  Listener.prototype,
  'onFailed',
  Object.getOwnPropertyDescriptor(Listener.prototype, 'onFailed'),
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

(async () => {
  const app = await NestFactory.create(AppModule, { rawBody: true, logger: false });
  const res = await postWebhook(app, statusWebhook('failed'), { appSecret: 's' });
  await new Promise((r) => setTimeout(r, 50));
  await app.close();
  console.log(JSON.stringify({ status: res.status, received }));
})();
