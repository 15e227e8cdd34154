// The Nest application of the Nest contenders (the module and the floor), on either platform.
import { NestFactory } from '@nestjs/core';

/**
 * A Nest application (not listening) on `platform`, set up as each platform's docs say for the
 * module: `rawBody: true` and a 5 MB JSON limit — `useBodyParser('json', { limit })` on Express,
 * the adapter's `bodyLimit` on Fastify (whose `useBodyParser('json')` fails).
 *
 * @param {import('@nestjs/common').Type} module
 * @param {'express' | 'fastify'} [platform]
 */
export async function createPlatformApp(module, platform = 'express') {
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    return NestFactory.create(module, new FastifyAdapter({ bodyLimit: 5 * 1024 * 1024 }), {
      rawBody: true,
      logger: false,
    });
  }
  const app = await NestFactory.create(module, { rawBody: true, logger: false });
  app.useBodyParser('json', { limit: '5mb' });
  return app;
}
