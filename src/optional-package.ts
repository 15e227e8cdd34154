import { messages } from './whatsapp-webhooks.messages.js';

/** An optional peer dependency: what needs it, and the command that installs it. */
export interface OptionalPackage {
  /** The package's name, as imported: `'bullmq'`, `'@nestjs/terminus'`. */
  readonly name: string;
  /** What needs it, as the user configured it: `WhatsAppWebhooksModule: metrics`. */
  readonly neededBy: string;
  /** The packages to install together. @default name */
  readonly install?: string;
}

/** Whether `error` says that the package `name` itself (not a file or package it uses) is missing. */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Node: "Cannot find package 'bullmq' imported from …" (ESM), "Cannot find module 'bullmq'"
  // (CommonJS). A missing file inside the package, or a dependency of it, names something else.
  return typeof message === 'string' && message.includes(`'${name}'`);
}

/**
 * Imports an optional peer dependency. When it is not installed, rejects with an error naming
 * the package, what needs it and its install command, instead of Node's bare
 * `Cannot find package`; any other failure (a broken install) is passed on as it is.
 *
 * `load` is a literal `import('…')`, so that the package's types and bundlers still see it.
 *
 * @example
 * const { Queue } = await importOptional(
 *   { name: 'bullmq', neededBy: "WhatsAppWebhooksModule: delivery.mode 'queue'", install: 'bullmq ioredis' },
 *   () => import('bullmq'),
 * );
 * @throws Error `<neededBy> needs the optional package "<name>": npm install <install>`.
 */
export async function importOptional<T>(pkg: OptionalPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissing(error, pkg.name)) throw error;
    throw new Error(
      messages.optionalPackageMissing(pkg.neededBy, pkg.name, pkg.install ?? pkg.name),
      { cause: error },
    );
  }
}

/** The optional packages the module loads, by the feature that needs them. */
export const OPTIONAL_PACKAGES = {
  bullmq: {
    name: 'bullmq',
    neededBy: "WhatsAppWebhooksModule: delivery.mode 'queue'",
    install: 'bullmq ioredis',
  },
  ioredis: {
    name: 'ioredis',
    neededBy: "WhatsAppWebhooksModule: delivery.mode 'queue'",
    install: 'bullmq ioredis',
  },
  promClient: { name: 'prom-client', neededBy: 'WhatsAppWebhooksModule: metrics' },
  terminus: {
    name: '@nestjs/terminus',
    neededBy: 'WabaHealthIndicator (nestjs-whatsapp-webhooks/health)',
  },
} as const satisfies Record<string, OptionalPackage>;
