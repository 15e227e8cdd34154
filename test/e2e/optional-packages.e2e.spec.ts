import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WabaHealthIndicator } from '../../src/health/index.js';
import { createTestApp } from '../fixtures/test-app.js';

const ROOT = resolve('.');
/** The optional peers, absent from the application below. */
const ABSENT = new Set(['bullmq', 'ioredis', 'prom-client', '@nestjs/terminus', '@nestjs/bullmq']);

/**
 * An application that uses the built package (dist/, built by `npm test`'s pretest) from a
 * node_modules holding every installed package but the optional ones: the module is imported,
 * configured with `argv[2]`, and its bootstrap error (if any) printed.
 */
const APP = `
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { WhatsAppWebhooksModule } from 'nestjs-whatsapp-webhooks';

const feature = process.argv[2];
const webhooks = WhatsAppWebhooksModule.forRoot({
  appSecret: 'secret',
  verifyToken: 'token',
  ...(feature === 'queue' ? { delivery: { mode: 'queue', connection: 'redis://127.0.0.1:1' } } : {}),
  ...(feature === 'metrics' ? { metrics: true } : {}),
});
class AppModule {}
const root = { module: AppModule, imports: [webhooks], providers: [] };
if (feature === 'health') {
  const { WabaHealthIndicator } = await import('nestjs-whatsapp-webhooks/health');
  root.providers.push(WabaHealthIndicator);
}
try {
  const app = await NestFactory.create(root, { rawBody: true, logger: false, abortOnError: false });
  await app.init();
  await app.close();
  console.log('started');
} catch (error) {
  console.log(error.message);
  process.exitCode = 1;
}
`;

function run(dir: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, output: stdout + stderr });
      },
    );
  });
}

describe('a missing optional package (built package, application without the optional peers)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'waba-optional-'));
    const modules = join(dir, 'node_modules');
    const own = join(modules, 'nestjs-whatsapp-webhooks');
    // A copy, not a link: Node resolves a linked package's imports from its real path, where
    // the optional packages are installed.
    mkdirSync(own, { recursive: true });
    cpSync(join(ROOT, 'dist'), join(own, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(own, 'package.json'));
    const installed = join(ROOT, 'node_modules');
    for (const entry of readdirSync(installed)) {
      if (entry.startsWith('.') || entry === 'nestjs-whatsapp-webhooks') continue;
      const names = entry.startsWith('@')
        ? readdirSync(join(installed, entry)).map((name) => `${entry}/${name}`)
        : [entry];
      for (const name of names.filter((n) => !ABSENT.has(n))) {
        mkdirSync(join(modules, name, '..'), { recursive: true });
        symlinkSync(join(installed, name), join(modules, name));
      }
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
    writeFileSync(join(dir, 'app.mjs'), APP);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts in direct mode without any of them', async () => {
    expect(await run(dir, ['app.mjs', 'direct'])).toEqual({ code: 0, output: 'started\n' });
  });

  it.each([
    [
      'queue',
      // Either of the two is named first, depending on which is loaded first; both install both.
      /^WhatsAppWebhooksModule: delivery\.mode 'queue' needs the optional package "(bullmq|ioredis)": npm install bullmq ioredis\n$/,
    ],
    [
      'metrics',
      /^WhatsAppWebhooksModule: metrics needs the optional package "prom-client": npm install prom-client\n$/,
    ],
    [
      'health',
      /^WabaHealthIndicator \(nestjs-whatsapp-webhooks\/health\) needs the optional package "@nestjs\/terminus": npm install @nestjs\/terminus\n$/,
    ],
  ])(
    'fails the bootstrap of %s naming the package and its install command',
    async (feature, message) => {
      expect(await run(dir, ['app.mjs', feature])).toEqual({
        code: 1,
        output: expect.stringMatching(message),
      });
    },
  );

  it('fails `waba-webhooks jobs` naming bullmq and its install command', async () => {
    const cli = join('node_modules', 'nestjs-whatsapp-webhooks', 'dist', 'cli', 'waba-webhooks.js');
    expect(await run(dir, [cli, 'jobs', 'failed', '--redis-url', 'redis://127.0.0.1:1'])).toEqual({
      code: 1,
      output:
        'waba-webhooks: the jobs command needs the optional package "bullmq": npm install bullmq ioredis\n',
    });
  });
});

describe('WabaHealthIndicator without TerminusModule', () => {
  it('fails the bootstrap naming TerminusModule', async () => {
    await expect(createTestApp({ providers: [WabaHealthIndicator] })).rejects.toThrow(
      'WabaHealthIndicator needs TerminusModule: add TerminusModule (from @nestjs/terminus) to ' +
        'the imports of the module that provides WabaHealthIndicator.',
    );
  });
});
