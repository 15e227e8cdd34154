import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const run = (cmd: string, args: string[], cwd: string): string => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
};

describe('packed tarball', () => {
  let dir: string;
  let files: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'waba-pack-'));
    run('npm', ['run', 'build', '--silent'], ROOT);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = packed[0]!.files.map((f) => f.path);
    const tarball = join(dir, packed[0]!.filename);
    const app = join(dir, 'consumer');
    mkdirSync(app);
    cpSync(resolve('test/packaging/consumer'), app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    const pkg = JSON.parse(
      run('node', ['-p', 'JSON.stringify(require("./package.json"))'], ROOT),
    ) as {
      devDependencies: Record<string, string>;
    };
    const peers = [
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/platform-express',
      'class-validator',
      'class-transformer',
      'reflect-metadata',
      'rxjs',
      '@types/node',
    ];
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        tarball,
        ...peers.map((p) => `${p}@${pkg.devDependencies[p]}`),
      ],
      app,
    );
  });

  it('ships the library and its declarations, not tests, sources or the receiver', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
        'README.md',
        'package.json',
      ]),
    );
    expect(
      files.filter((f) => /^(src|test)\/|\.spec\.|dist\/main\.|dist\/receiver\//.test(f)),
    ).toEqual([]);
  });

  it('installs into a fresh ESM app that receives typed events', () => {
    const out = JSON.parse(run('node', ['esm-app.mjs'], join(dir, 'consumer')).trim());
    expect(out).toEqual({
      statuses: [200, 200],
      received: ['message_template_status_update:APPROVED:string', 'text:hi from esm'],
      fields: 30,
    });
  });

  it('loads with require() from a CommonJS app', () => {
    const out = JSON.parse(run('node', ['cjs-app.cjs'], join(dir, 'consumer')).trim());
    expect(out).toEqual({ status: 200, received: ['failed:131050'] });
  });

  it('type-checks a strict TypeScript consumer against the declarations', () => {
    const app = join(dir, 'consumer');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'ES2023',
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    expect(readdirSync(app)).toContain('consumer.ts');
    // Throws with tsc's diagnostics if the consumer does not compile (unused @ts-expect-error included).
    run(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
      app,
    );
  });
});
