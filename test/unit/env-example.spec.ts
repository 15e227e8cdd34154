import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readReceiverConfig } from '../../src/receiver/receiver-config.js';

const EXAMPLE = readFileSync('.env.example', 'utf8');
const LINES = EXAMPLE.split('\n');

/** Variables the receiver reads: `env['X']`, `env.X` and helpers called as `helper(env, 'X')`. */
function variablesRead(): string[] {
  const files = [
    'src/main.ts',
    ...readdirSync('src/receiver')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('src/receiver', f)),
  ];
  const found = new Set<string>();
  const patterns = [
    /\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g,
    /\benv\.([A-Z][A-Z0-9_]*)\b/g,
    /\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'/g,
  ];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.add(m[1]!);
  }
  return [...found].sort();
}

/** `NAME=value` lines, active or commented out (`# NAME=default`), with their line index. */
const assignments = LINES.flatMap((line, index) => {
  const m = /^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  return m ? [{ name: m[1]!, value: m[2]!, index, active: !line.startsWith('#') }] : [];
});

describe('.env.example', () => {
  it('lists every variable the receiver reads', () => {
    const read = variablesRead();
    // The scan itself works: these are read today.
    expect(read).toEqual(
      expect.arrayContaining(['PORT', 'WHATSAPP_APP_SECRET', 'REDIS_URL', 'TLS_CLIENT_CN']),
    );
    const listed = new Set(assignments.map((a) => a.name));
    expect(read.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('explains each variable in a comment above it', () => {
    for (const { name, index } of assignments) {
      const above = LINES[index - 1] ?? '';
      expect(/^# (?![A-Z][A-Z0-9_]*=)\S/.test(above), `${name} has no comment`).toBe(true);
    }
  });

  it('holds no secret: the app secret and verify token are empty', () => {
    const active = Object.fromEntries(
      assignments.filter((a) => a.active).map((a) => [a.name, a.value]),
    );
    expect(active).toEqual({ WHATSAPP_APP_SECRET: '', WHATSAPP_VERIFY_TOKEN: '' });
  });

  it('copied to .env as it is, starts the receiver in development mode with the defaults', () => {
    const config = readReceiverConfig(parseEnv(EXAMPLE) as NodeJS.ProcessEnv);
    expect(config).toMatchObject({
      port: 3000,
      path: 'webhooks/whatsapp',
      role: 'all',
      developmentSecrets: true,
      metrics: true,
    });
    expect(config.redisUrl).toBeUndefined();
    expect(config.tls).toBeUndefined();
  });

  it('shows the real defaults in its commented-out lines', () => {
    // Not compared: examples rather than defaults (TLS_*, REDIS_URL, NODE_ENV), and defaults
    // applied after the configuration is read (HOST by main.ts, the queue name by the module).
    const skip = /^(TLS_|REDIS_URL$|NODE_ENV$|HOST$|WHATSAPP_QUEUE_NAME$)/;
    const commented = Object.fromEntries(
      assignments.filter((a) => !a.active && !skip.test(a.name)).map((a) => [a.name, a.value]),
    );
    // Generated development secrets differ on each read.
    const read = (env: NodeJS.ProcessEnv) => ({
      ...readReceiverConfig(env),
      appSecrets: [],
      verifyTokens: [],
    });
    expect(read(commented)).toEqual(read({}));
  });
});
