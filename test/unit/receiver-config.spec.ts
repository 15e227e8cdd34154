import { describe, expect, it } from 'vitest';
import {
  parseByteSize,
  readReceiverConfig,
  ReceiverConfigError,
} from '../../src/receiver/receiver-config.js';

const base = { WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 't' };

describe('receiver settings: HTTP_PLATFORM and WHATSAPP_BODY_LIMIT', () => {
  it('runs on Express unless HTTP_PLATFORM says fastify (any letter case)', () => {
    expect(readReceiverConfig(base).platform).toBe('express');
    expect(readReceiverConfig({ ...base, HTTP_PLATFORM: '' }).platform).toBe('express');
    expect(readReceiverConfig({ ...base, HTTP_PLATFORM: 'express' }).platform).toBe('express');
    expect(readReceiverConfig({ ...base, HTTP_PLATFORM: ' Fastify ' }).platform).toBe('fastify');
  });

  it.each(['koa', 'platform-fastify', 'express,fastify'])(
    'refuses HTTP_PLATFORM=%s, naming the allowed values',
    (value) => {
      const read = () => readReceiverConfig({ ...base, HTTP_PLATFORM: value });
      expect(read).toThrow(ReceiverConfigError);
      expect(read).toThrow(`HTTP_PLATFORM must be one of express, fastify, got "${value}".`);
    },
  );

  it('reads the body limit in bytes (5mb by default, body-parser units)', () => {
    expect(readReceiverConfig(base).bodyLimit).toBe(5 * 1024 * 1024);
    expect(readReceiverConfig({ ...base, WHATSAPP_BODY_LIMIT: '4MB' }).bodyLimit).toBe(
      4 * 1024 * 1024,
    );
    expect(readReceiverConfig({ ...base, WHATSAPP_BODY_LIMIT: '2kb' }).bodyLimit).toBe(2048);
  });

  it.each(['lots', '-1mb', '0', '5 megabytes'])(
    'refuses WHATSAPP_BODY_LIMIT=%s with the accepted forms',
    (value) => {
      expect(() => readReceiverConfig({ ...base, WHATSAPP_BODY_LIMIT: value })).toThrow(
        /WHATSAPP_BODY_LIMIT must be a size such as 5mb, 512kb or 1048576 \(bytes\)/,
      );
    },
  );

  it.each([
    ['1048576', 1_048_576],
    ['512kb', 524_288],
    ['1.5mb', 1_572_864],
    ['1gb', 1024 ** 3],
    ['100 KB', 102_400],
    ['10b', 10],
    ['mb', undefined],
    ['', undefined],
  ])('parseByteSize(%j) = %s', (size, bytes) => {
    expect(parseByteSize(size)).toBe(bytes);
  });
});

describe('receiver settings: HEALTH_PORT (worker role)', () => {
  it('defaults to 3001, takes any port from 0 (a free one) to 65535', () => {
    expect(readReceiverConfig(base).healthPort).toBe(3001);
    expect(readReceiverConfig({ ...base, HEALTH_PORT: '' }).healthPort).toBe(3001);
    expect(readReceiverConfig({ ...base, HEALTH_PORT: '0' }).healthPort).toBe(0);
    expect(readReceiverConfig({ ...base, HEALTH_PORT: ' 9102 ' }).healthPort).toBe(9102);
    expect(readReceiverConfig({ ...base, HEALTH_PORT: '65535' }).healthPort).toBe(65535);
  });

  it.each(['health', '-1', '65536', '3001.5', '0x'])(
    'refuses HEALTH_PORT=%s, naming the allowed range',
    (value) => {
      const read = () => readReceiverConfig({ ...base, HEALTH_PORT: value });
      expect(read).toThrow(ReceiverConfigError);
      expect(read).toThrow(`HEALTH_PORT must be an integer from 0 to 65535, got "${value}".`);
    },
  );

  it('still refuses a bad PORT with the same message', () => {
    expect(() => readReceiverConfig({ ...base, PORT: '80a' })).toThrow(
      'PORT must be an integer from 0 to 65535, got "80a".',
    );
  });
});

describe('receiver settings: WHATSAPP_UPDATES_PER_JOB (group commit)', () => {
  it('is 1 (one job per update) by default and takes any positive integer', () => {
    expect(readReceiverConfig(base).updatesPerJob).toBe(1);
    expect(readReceiverConfig({ ...base, WHATSAPP_UPDATES_PER_JOB: ' 10 ' }).updatesPerJob).toBe(
      10,
    );
  });

  it.each(['0', '-3', '2.5', 'ten'])('refuses WHATSAPP_UPDATES_PER_JOB=%s', (value) => {
    expect(() => readReceiverConfig({ ...base, WHATSAPP_UPDATES_PER_JOB: value })).toThrow(
      `WHATSAPP_UPDATES_PER_JOB must be a positive integer, got "${value}".`,
    );
  });
});
