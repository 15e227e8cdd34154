// Starting, querying and stopping contender processes (see bench/contenders/ipc.mjs).
import { fork } from 'node:child_process';
import { once } from 'node:events';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/** A contender process: `port`, `stats()`, `mark()`, `stop()`. */
export class Contender {
  /**
   * @param {string} name
   * @param {URL} script
   * @param {{ env?: Record<string, string>, execArgv?: string[] }} [options]
   */
  static async start(name, script, { env = {}, execArgv = [] } = {}) {
    const child = fork(script, [], {
      env: { ...process.env, ...env },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const contender = new Contender(name, child);
    contender.port = await contender.#request(() => undefined, 'ready', READY_TIMEOUT_MS);
    return contender;
  }

  /** @type {number} */
  port = 0;

  constructor(name, child) {
    this.name = name;
    this.child = child;
  }

  /** What the contender counted (requests verified or listener calls) and its RSS. */
  stats() {
    return this.#request(() => this.child.send({ cmd: 'stats' }), 'stats');
  }

  /** The contender's monotonic clock (µs), to cut its CPU profile to a window. */
  mark() {
    return this.#request(() => this.child.send({ cmd: 'mark' }), 'mark');
  }

  /** Asks the contender to close and waits for it to exit (killing it if it does not). */
  async stop() {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    if (child.connected) child.send({ cmd: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  #request(send, key, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name}: no '${key}' answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message) => {
        if (message && key in message) {
          cleanup();
          resolve(message[key]);
        }
      };
      const onExit = (code, signal) => {
        cleanup();
        reject(new Error(`${this.name}: exited (${signal ?? code}) before answering '${key}'`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
      send();
    });
  }
}

/**
 * Runs an in-process measurement script to completion and returns the `{ result }` it sends.
 *
 * @param {URL} script
 * @param {{ env?: Record<string, string>, execArgv?: string[], args?: string[] }} [options]
 */
export async function runScript(script, { env = {}, execArgv = [], args = [] } = {}) {
  const child = fork(script, args, {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let result;
  child.on('message', (message) => {
    if (message && 'result' in message) result = message.result;
  });
  const [code, signal] = await once(child, 'exit');
  if (result === undefined) {
    throw new Error(`${script.pathname}: exited (${signal ?? code}) without a result`);
  }
  return result;
}
