// The testing recipe, with Node's built-in runner (node --test); the same code works in Jest
// or Vitest with their it/expect.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WhatsAppWebhooksModule } from 'nestjs-whatsapp-webhooks';
import { postWebhook, templateStatusWebhook } from 'nestjs-whatsapp-webhooks/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TemplateMirror } from './template.listener.js';

describe('TemplateMirror', () => {
  let app: INestApplication;

  before(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [WhatsAppWebhooksModule.forRoot({ appSecret: 'test-secret', verifyToken: 'test' })],
      providers: [TemplateMirror],
    }).compile();
    app = moduleRef.createNestApplication({ rawBody: true, logger: false });
    await app.init(); // postWebhook serves it on an ephemeral port: no listen() needed
  });

  after(() => app.close());

  it('mirrors a paused, then re-approved template', async () => {
    const post = (event: string, time: number) =>
      postWebhook(
        app,
        templateStatusWebhook({ event, message_template_name: 'order_update' }, { time }),
        { appSecret: 'test-secret' },
      );
    assert.equal((await post('PAUSED', 1_764_460_800)).status, 200);
    // postWebhook resolved after the listener ran: no sleep needed.
    assert.equal(app.get(TemplateMirror).statuses.get('order_update'), 'PAUSED');
    assert.equal((await post('APPROVED', 1_764_471_600)).status, 200);
    assert.equal(app.get(TemplateMirror).statuses.get('order_update'), 'APPROVED');
  });

  it('answers 401 to a payload signed with another secret, and nothing reaches the listener', async () => {
    const res = await postWebhook(app, templateStatusWebhook({ message_template_name: 'other' }), {
      appSecret: 'not-the-secret',
    });
    assert.equal(res.status, 401);
    assert.equal(app.get(TemplateMirror).statuses.has('other'), false);
  });
});
