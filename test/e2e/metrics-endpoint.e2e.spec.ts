import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, textMessageWebhook } from '../../src/testing/index.js';
import {
  APP_SECRET,
  createTestApp,
  PLATFORMS,
  type TestApp,
  WEBHOOK_PATH,
} from '../fixtures/test-app.js';

// The README's "/metrics in your own application" controller, verbatim.
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return register.metrics();
  }
}

/** The value of a sample in Prometheus's text format, 0 when absent. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

describe.each(PLATFORMS)("/metrics in a library app, the README's way (%s)", (platform) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.close();
    t = undefined;
  });

  it("serves the module's metrics from prom-client's default registry", async () => {
    t = await createTestApp({
      platform,
      controllers: [MetricsController],
      options: { metrics: true },
    });
    const scrape = () => request(t!.app.getHttpServer()).get('/metrics');
    const before = (await scrape()).text;
    const accepted = 'waba_webhook_requests_total{outcome="accepted"}';
    const rejected = 'waba_webhook_requests_total{outcome="rejected_signature"}';

    const ok = await postWebhook(t.app, textMessageWebhook('counted'), { appSecret: APP_SECRET });
    expect(ok.status).toBe(200);
    const bad = await request(t.app.getHttpServer())
      .post(WEBHOOK_PATH)
      .set('content-type', 'application/json')
      .send('{}');
    expect(bad.status).toBe(401);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(sample(res.text, accepted)).toBe(sample(before, accepted) + 1);
    expect(sample(res.text, rejected)).toBe(sample(before, rejected) + 1);
    expect(sample(res.text, 'waba_webhook_changes_received_total{field="messages"}')).toBe(
      sample(before, 'waba_webhook_changes_received_total{field="messages"}') + 1,
    );
    expect(res.text).toMatch(/^# TYPE waba_webhook_ack_latency_seconds histogram$/m);
  });
});

describe("the README's /metrics controller", () => {
  it('is the code this spec runs', () => {
    const spec = readFileSync(new URL(import.meta.url), 'utf8');
    const start = spec.indexOf("@Controller('metrics')");
    const controller = spec.slice(start, spec.indexOf('\n}\n', start) + 3);
    expect(controller).toMatch(
      /^@Controller\('metrics'\)\nexport class MetricsController \{\n[^]*\n\}\n$/,
    );
    expect(readFileSync('README.md', 'utf8')).toContain(controller);
  });
});
