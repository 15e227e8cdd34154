import { describe, expect, it } from 'vitest';
import { importOptional, OPTIONAL_PACKAGES } from '../../src/optional-package.js';

/** A package that is not installed (a variable, so that neither tsc nor Vite resolves it ahead). */
const MISSING = 'waba-webhooks-no-such-package';

describe('importOptional', () => {
  it('turns "not installed" into an error naming the package, what needs it and the install command', async () => {
    const load = importOptional(
      { name: MISSING, neededBy: 'WhatsAppWebhooksModule: frobnication', install: `${MISSING} x` },
      () => import(MISSING),
    );
    await expect(load).rejects.toThrow(
      `WhatsAppWebhooksModule: frobnication needs the optional package "${MISSING}": npm install ${MISSING} x`,
    );
    const error = await load.catch((e: unknown) => e as Error & { cause?: { code?: string } });
    expect(error.cause?.code).toBe('ERR_MODULE_NOT_FOUND');
  });

  it('installs the package alone when no install command is given', async () => {
    await expect(
      importOptional({ name: MISSING, neededBy: 'Something' }, () => import(MISSING)),
    ).rejects.toThrow(`Something needs the optional package "${MISSING}": npm install ${MISSING}`);
  });

  it('passes on the failure of another missing package (a broken install) as it is', async () => {
    const load = importOptional({ name: 'bullmq', neededBy: 'x' }, () => import(MISSING));
    await expect(load).rejects.toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    await expect(load).rejects.not.toThrow(/optional package/);
  });

  it('passes on any other error, and resolves to the module when it is installed', async () => {
    const boom = new Error('boom');
    await expect(
      importOptional(OPTIONAL_PACKAGES.promClient, () => Promise.reject(boom)),
    ).rejects.toBe(boom);
    const client = await importOptional(OPTIONAL_PACKAGES.promClient, () => import('prom-client'));
    expect(typeof client.Registry).toBe('function');
  });

  it('names the install command of every optional package the module loads', () => {
    expect(
      Object.values(OPTIONAL_PACKAGES).map((p) => [p.name, 'install' in p ? p.install : p.name]),
    ).toEqual([
      ['bullmq', 'bullmq ioredis'],
      ['ioredis', 'bullmq ioredis'],
      ['prom-client', 'prom-client'],
      ['@nestjs/terminus', '@nestjs/terminus'],
    ]);
  });
});
