import { type ExecutionContext, Injectable } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  WhatsAppMtlsGuard,
  WhatsAppSignatureGuard,
  WhatsAppWebhooksModule,
} from '../../src/index.js';
import { templateStatusWebhook } from '../../src/testing/index.js';
import {
  APP_SECRET,
  createTestApp,
  PLATFORM_VARIANTS,
  postSigned,
  type TestApp,
} from '../fixtures/test-app.js';

/** Counts the requests the module's signature check refuses, then refuses them as before. */
@Injectable()
class CountingSignatureGuard extends WhatsAppSignatureGuard {
  static rejections = 0;

  override canActivate(context: ExecutionContext): boolean {
    try {
      return super.canActivate(context);
    } catch (error) {
      CountingSignatureGuard.rejections++;
      throw error;
    }
  }
}

/** Adds a check of the application's own in front of the module's mTLS check. */
@Injectable()
class BlockingMtlsGuard extends WhatsAppMtlsGuard {
  static calls = 0;

  override canActivate(context: ExecutionContext): boolean {
    BlockingMtlsGuard.calls++;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (request.headers['x-blocked'] === '1') return false; // Nest answers 403
    return super.canActivate(context);
  }
}

describe.each(PLATFORM_VARIANTS)('binding guard subclasses (%s, %s)', (platform, variant) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.close();
    t = undefined;
  });

  it('a WhatsAppSignatureGuard subclass given as signatureGuard guards the POST route', async () => {
    CountingSignatureGuard.rejections = 0;
    t = await createTestApp({
      platform,
      variant,
      options: { signatureGuard: CountingSignatureGuard, acknowledge: 'after-listeners' },
    });
    expect((await postSigned(t.app, templateStatusWebhook(), 'not-the-secret')).status).toBe(401);
    expect(CountingSignatureGuard.rejections).toBe(1);
    expect((await postSigned(t.app, templateStatusWebhook(), APP_SECRET)).status).toBe(200);
    expect(CountingSignatureGuard.rejections).toBe(1);
    expect(t.recorder.of('change')).toHaveLength(1);
  });

  it('a WhatsAppMtlsGuard subclass given as mtlsGuard runs first', async () => {
    BlockingMtlsGuard.calls = 0;
    t = await createTestApp({ platform, variant, options: { mtlsGuard: BlockingMtlsGuard } });
    const blocked = await postSigned(t.app, templateStatusWebhook()).set('x-blocked', '1');
    expect(blocked.status).toBe(403);
    expect((await postSigned(t.app, templateStatusWebhook())).status).toBe(200);
    expect(BlockingMtlsGuard.calls).toBe(2);
  });
});

describe('guard options are checked when the module is defined', () => {
  it('refuses a class that does not extend the module guard, naming the option', () => {
    class NotAGuard {}
    expect(() =>
      WhatsAppWebhooksModule.forRoot({
        appSecret: 's',
        verifyToken: 't',
        signatureGuard: NotAGuard as never,
      }),
    ).toThrow(/option "signatureGuard" must be a class extending WhatsAppSignatureGuard/);
    expect(() =>
      WhatsAppWebhooksModule.forRootAsync({
        useFactory: () => ({ appSecret: 's', verifyToken: 't' }),
        mtlsGuard: NotAGuard as never,
      }),
    ).toThrow(/option "mtlsGuard" must be a class extending WhatsAppMtlsGuard/);
  });
});
