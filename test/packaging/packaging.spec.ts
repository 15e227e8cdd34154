import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Nothing here writes to the repository: the tarball is packed from a copy of the working tree
// (uncommitted changes included), the git install clones the repository at HEAD.
const ROOT = resolve('.');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const PACKAGE = 'nestjs-whatsapp-webhooks';
const devDependencies = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies;

/** Runs a command; rejects with its output when it fails. */
function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      cmd,
      args,
      { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return done(stdout);
        fail(new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout}${stderr}`));
      },
    );
  });
}

/** The application's own dependencies, at the versions the repository is tested with. */
const dependencies = (names: string[]) => names.map((n) => `${n}@${devDependencies[n]}`);
const PEERS = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
  'rxjs',
];
const npmInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** A fresh ESM application holding the consumers of test/packaging/consumer. */
function consumerApp(dir: string, packageJson: Record<string, unknown> = {}): string {
  const app = join(dir, 'consumer');
  mkdirSync(app);
  cpSync(resolve('test/packaging/consumer'), app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', ...packageJson }),
  );
  return app;
}

/** Copies the files git would see (tracked or new, not ignored); node_modules is linked. */
async function copyWorkingTree(dest: string): Promise<void> {
  const listed = await run(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    ROOT,
  );
  for (const path of listed.split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, path))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(dest, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dest, path));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
}

interface Packed {
  dir: string;
  app: string;
  files: string[];
}

/** `npm pack` (its prepack/prepare scripts build dist/), then an install of the tarball. */
async function packAndInstall(): Promise<Packed> {
  const dir = mkdtempSync(join(tmpdir(), 'waba-pack-'));
  const tree = join(dir, 'repo');
  await copyWorkingTree(tree);
  const packed = JSON.parse(
    await run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', dir], tree),
  ) as { filename: string; files: { path: string }[] }[];
  const app = consumerApp(dir);
  await run(
    'npm',
    [
      ...npmInstall,
      join(dir, packed[0]!.filename),
      ...dependencies([...PEERS, '@nestjs/terminus', '@types/node']),
    ],
    app,
  );
  return { dir, app, files: packed[0]!.files.map((f) => f.path) };
}

interface GitInstalled {
  dir: string;
  app: string;
  seconds: number;
}

/**
 * `npm install git+file://…` of a clone of the repository at HEAD, as an application installs
 * from GitHub: npm clones it, installs its devDependencies and runs `prepare`. The application
 * approves that script (`allowScripts`) and installs with `--strict-allow-scripts`, so that the
 * repository's own install scripts must be approved too.
 */
async function installFromGit(): Promise<GitInstalled> {
  const dir = mkdtempSync(join(tmpdir(), 'waba-git-'));
  const repo = join(dir, 'repo.git');
  await run('git', ['clone', '--quiet', '--bare', ROOT, repo], dir);
  const url = `git+${pathToFileURL(repo).href}`;
  const app = consumerApp(dir, { allowScripts: { [url]: true } });
  const started = Date.now();
  await run('npm', [...npmInstall, '--strict-allow-scripts', url, ...dependencies(PEERS)], app);
  return { dir, app, seconds: (Date.now() - started) / 1000 };
}

/** Files of an installed package. */
function filesUnder(root: string, dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(root, join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** `//# sourceMappingURL=` comments of an installed package whose target is not there. */
function danglingSourceMaps(installed: string): string[] {
  return filesUnder(installed)
    .filter((f) => /\.(c|m)?js$|\.d\.ts$/.test(f))
    .flatMap((f) => {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(installed, f), 'utf8'));
      if (!url || url[1]!.startsWith('data:')) return [];
      return existsSync(join(installed, dirname(f), url[1]!)) ? [] : [`${f} -> ${url[1]}`];
    });
}

const node = (script: string, app: string) =>
  run(process.execPath, [script], app).then((out) => JSON.parse(out.trim()) as unknown);

const EXPECTED_ESM = {
  statuses: [200, 200],
  received: ['message_template_status_update:APPROVED:string', 'text:hi from esm'],
  fields: 30,
};
const EXPECTED_CJS = { status: 200, received: ['failed:131050'] };

// Both preparations start at once and run side by side; each describe awaits its own.
let packing: Promise<Packed>;
let gitInstall: Promise<GitInstalled>;
beforeAll(() => {
  packing = packAndInstall();
  gitInstall = installFromGit();
  // Reported by the describe that awaits it, not as an unhandled rejection.
  packing.catch(() => undefined);
  gitInstall.catch(() => undefined);
});
afterAll(async () => {
  for (const done of [packing, gitInstall]) {
    const dir = await done.then((d) => d.dir).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

describe('packed tarball', () => {
  let packed: Packed;
  beforeAll(async () => {
    packed = await packing;
  });

  it('ships the library, its declarations, README, CHANGELOG and LICENSE; not tests, sources or the receiver', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
        'dist/health/index.d.ts',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
        'package.json',
      ]),
    );
    expect(
      packed.files.filter((f) =>
        /^(src|test)\/|\.spec\.|dist\/main\.|dist\/receiver\/|tsbuildinfo/.test(f),
      ),
    ).toEqual([]);
    const license = readFileSync(join(packed.app, 'node_modules', PACKAGE, 'LICENSE'), 'utf8');
    expect(license).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 nestjs-whatsapp-webhooks contributors\n/,
    );
  });

  it('ships no source maps, and no file points at one', () => {
    // Decision: no maps (the sources are not shipped, so a map would lead nowhere).
    expect(packed.files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(danglingSourceMaps(join(packed.app, 'node_modules', PACKAGE))).toEqual([]);
  });

  it('installs into a fresh ESM app that receives typed events', async () => {
    expect(await node('esm-app.mjs', packed.app)).toEqual(EXPECTED_ESM);
  });

  it('loads with require() from a CommonJS app', async () => {
    expect(await node('cjs-app.cjs', packed.app)).toEqual(EXPECTED_CJS);
  });

  const strict = {
    strict: true,
    noEmit: true,
    target: 'ES2023',
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: false,
    types: ['node'],
  };
  /** Throws with tsc's diagnostics if the files do not compile (unused @ts-expect-error included). */
  const typeCheck = (dir: string, compilerOptions: Record<string, unknown>, files: string[]) => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files }),
    );
    return run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir);
  };

  it('type-checks a strict ESM TypeScript consumer against the declarations', async () => {
    await typeCheck(packed.app, { module: 'nodenext', moduleResolution: 'nodenext' }, [
      'consumer.ts',
    ]);
  });

  // As a Nest CLI application does (skipLibCheck), so that these two check resolution from
  // CommonJS, not the declarations (the ESM check above does that with skipLibCheck off).
  const cjs = { skipLibCheck: true };

  it('type-checks a strict CommonJS TypeScript consumer (module nodenext): main entry, /testing, /health', async () => {
    await typeCheck(
      join(packed.app, 'cjs-ts'),
      { ...cjs, module: 'nodenext', moduleResolution: 'nodenext' },
      ['consumer.ts'],
    );
  });

  it('type-checks the same CommonJS consumer with the classic module commonjs + moduleResolution node', async () => {
    await typeCheck(
      join(packed.app, 'cjs-ts'),
      { ...cjs, module: 'commonjs', moduleResolution: 'node' },
      ['consumer.ts'],
    );
  });
});

describe('installed from a git URL (npm install git+file://…, as from GitHub)', () => {
  let installed: GitInstalled;
  beforeAll(async () => {
    installed = await gitInstall;
    console.log(`npm install from the git URL: ${installed.seconds.toFixed(1)} s`);
  });

  it('builds dist/ on install and installs only what `files` ships', () => {
    const root = join(installed.app, 'node_modules', PACKAGE);
    const files = filesUnder(root);
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/testing/index.js', 'LICENSE', 'package.json']),
    );
    expect(files.filter((f) => /^(src|test|node_modules)\/|\.map$|tsbuildinfo/.test(f))).toEqual(
      [],
    );
    expect(danglingSourceMaps(root)).toEqual([]);
  });

  it('imports nestjs-whatsapp-webhooks and /testing from an ESM app', async () => {
    expect(await node('esm-app.mjs', installed.app)).toEqual(EXPECTED_ESM);
  });

  it('requires nestjs-whatsapp-webhooks and /testing from a CommonJS app', async () => {
    expect(await node('cjs-app.cjs', installed.app)).toEqual(EXPECTED_CJS);
  });
});
