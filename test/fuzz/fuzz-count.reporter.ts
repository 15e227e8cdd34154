import type { Reporter, TestCase } from 'vitest/node';

/**
 * Prints, after the run, how many cases the fuzz properties generated and how many failed:
 * `fuzz: 10400 cases, 0 failures`. A fuzz test that failed before reporting its count (e.g. the
 * app did not start) counts as one failure.
 */
export default class FuzzCountReporter implements Reporter {
  private cases = 0;
  private failures = 0;
  private properties = 0;

  onTestCaseResult(testCase: TestCase): void {
    const fuzz = testCase.meta().fuzz;
    if (fuzz) {
      this.properties++;
      this.cases += fuzz.cases;
      this.failures += fuzz.failures;
    } else if (testCase.result().state === 'failed') {
      this.failures++;
    }
  }

  onTestRunEnd(): void {
    process.stdout.write(
      `\nfuzz: ${this.cases} cases, ${this.failures} failures (${this.properties} properties)\n`,
    );
  }
}
