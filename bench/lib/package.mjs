// The built package under test. The runner snapshots dist/ right after `npm run build` and
// points every process at the snapshot (BENCH_PACKAGE_DIR), so that a rebuild of dist/ by
// someone else during the run cannot swap or remove the code being measured.
import { pathToFileURL } from 'node:url';

const dir = process.env.BENCH_PACKAGE_DIR;
const root = dir
  ? pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`)
  : new URL('../../dist/', import.meta.url);

/** The package's main entry (`nestjs-whatsapp-webhooks`). */
export const wabaPackage = await import(new URL('index.js', root).href);
/** The package's test kit (`nestjs-whatsapp-webhooks/testing`). */
export const testKit = await import(new URL('testing/index.js', root).href);
/** Where the package was loaded from. */
export const packageRoot = root;
