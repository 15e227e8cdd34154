import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JsonLogger, logLevelsFrom } from '../../src/receiver/json-logger.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('JsonLogger (the receiver)', () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    Logger.overrideLogger(false);
  });

  const lines = (chunks: string[]) =>
    chunks.map((chunk) => {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk.slice(0, -1)).not.toContain('\n');
      return JSON.parse(chunk) as Record<string, unknown>;
    });

  it('writes one JSON line with an ISO time, the level, the context and a string msg', () => {
    const before = Date.now();
    new JsonLogger().log('hello', 'Ctx');
    const [line] = lines(out);
    expect(line).toEqual({
      time: expect.stringMatching(ISO),
      level: 'log',
      pid: process.pid,
      context: 'Ctx',
      msg: 'hello',
    });
    expect(Date.parse(String(line!['time']))).toBeGreaterThanOrEqual(before - 1);
    expect(Object.keys(line!)).toEqual(['time', 'level', 'pid', 'context', 'msg']);
  });

  it("turns an object's message into msg and its other properties into fields", () => {
    const logger = new JsonLogger();
    logger.warn({ message: 'listening', url: 'http://x', nested: { a: 1 } }, 'Receiver');
    logger.log({ kind: 'status', id: 'wamid.1' }, 'WabaEvent');
    logger.log('with params', { requestId: 7 }, 'Ctx');
    expect(lines(out)).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'listening',
        url: 'http://x',
        nested: { a: 1 },
      }),
      expect.objectContaining({ msg: '', kind: 'status', id: 'wamid.1', context: 'WabaEvent' }),
      expect.objectContaining({ msg: 'with params', requestId: 7, context: 'Ctx' }),
    ]);
  });

  it("keeps the line's own keys, moving a field of the same name under data", () => {
    new JsonLogger().log({ message: 'm', time: 1_764_460_800, level: 'x', msg: 'y' }, 'Ctx');
    expect(lines(out)[0]).toMatchObject({
      time: expect.stringMatching(ISO),
      level: 'log',
      msg: 'm',
      data: { time: 1_764_460_800, level: 'x', msg: 'y' },
    });
  });

  it('writes errors to stderr with the stack (as Nest passes it) or the serialised error', () => {
    const logger = new JsonLogger();
    logger.error('boom', 'Error: boom\n    at f (file.js:1:2)', 'ExceptionsHandler');
    logger.error(new Error('bad thing'), 'Ctx');
    expect(out).toEqual([]);
    const [first, second] = lines(err);
    expect(first).toMatchObject({
      level: 'error',
      context: 'ExceptionsHandler',
      msg: 'boom',
      stack: 'Error: boom\n    at f (file.js:1:2)',
    });
    expect(second).toMatchObject({
      level: 'error',
      msg: 'bad thing',
      error: { name: 'Error', message: 'bad thing', stack: expect.stringContaining('bad thing') },
    });
  });

  it('serves Nest Logger instances once installed (the context is theirs)', () => {
    Logger.overrideLogger(new JsonLogger());
    new Logger('WhatsAppWebhooks').warn('rejected');
    expect(lines(out)).toEqual([
      expect.objectContaining({ context: 'WhatsAppWebhooks', msg: 'rejected' }),
    ]);
  });

  it.each([
    ['error', ['error']],
    ['warn', ['error', 'warn']],
    ['log', ['error', 'warn', 'log']],
    ['debug', ['error', 'warn', 'log', 'debug']],
    ['verbose', ['error', 'warn', 'log', 'debug', 'verbose']],
  ] as const)('at level %s writes %j (and fatal)', (level, written) => {
    const logger = new JsonLogger(level);
    logger.fatal('f');
    logger.error('e');
    logger.warn('w');
    logger.log('l');
    logger.debug('d');
    logger.verbose('v');
    expect(
      lines([...out, ...err])
        .map((l) => l['level'])
        .sort(),
    ).toEqual(['fatal', ...written].sort());
    expect(logLevelsFrom(level)).toEqual(['fatal', ...written]);
  });
});
