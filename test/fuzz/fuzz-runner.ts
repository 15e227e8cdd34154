import fc from 'fast-check';
import type { TestContext } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Set by each fuzz property; summed and printed by `fuzz-count.reporter.ts`. */
    fuzz?: { cases: number; failures: number };
  }
}

function parseCount(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`FUZZ_RUNS must be a positive integer, got "${raw}"`);
  return count;
}

/**
 * Generated cases across all fuzz properties: `FUZZ_RUNS`, or a small sample in the default
 * test run (`npm run test:fuzz` sets it to more than 10,000).
 */
export const FUZZ_RUNS = parseCount(process.env.FUZZ_RUNS) ?? 400;

/** `FUZZ_SEED` replays a run (fast-check prints the seed and path of every failure). */
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** This property's share of {@link FUZZ_RUNS}. */
export function runsFor(share: number): number {
  return Math.max(1, Math.round(FUZZ_RUNS * share));
}

/** A test timeout that grows with the number of cases (a few ms each, megabyte bodies included). */
export function timeoutFor(runs: number): number {
  return 60_000 + runs * 60;
}

/**
 * Runs an async property with fast-check, records how many cases ran (and whether one failed)
 * in the test's meta for the reporter, and fails the test with fast-check's report: seed, path,
 * shrunk counterexample and the assertion that failed.
 */
export async function checkProperty<T>(
  context: TestContext,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  predicate: (value: T) => Promise<void>,
): Promise<void> {
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    numRuns,
    includeErrorInReport: true,
    ...(SEED === undefined ? {} : { seed: SEED }),
  });
  context.task.meta.fuzz = { cases: details.numRuns, failures: details.failed ? 1 : 0 };
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
}

/** Gives a generated case a short printable form in fast-check's reports (bodies can be megabytes). */
export function summarised<T extends object>(value: T, summary: (value: T) => string): T {
  Object.defineProperty(value, fc.toStringMethod, {
    value: () => summary(value),
    enumerable: false,
  });
  return value;
}
