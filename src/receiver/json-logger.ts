import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** The values of `LOG_LEVEL`, from the quietest to the most verbose. */
export const RECEIVER_LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/** A value of `LOG_LEVEL`: that level and every more severe one are written. */
export type ReceiverLogLevel = (typeof RECEIVER_LOG_LEVELS)[number];

/** The Nest levels written at `level` (`fatal` always). */
export function logLevelsFrom(level: ReceiverLogLevel): LogLevel[] {
  return ['fatal', ...RECEIVER_LOG_LEVELS.slice(0, RECEIVER_LOG_LEVELS.indexOf(level) + 1)];
}

/** What {@link ConsoleLogger} hands to `printAsJson`. */
interface JsonPrintOptions {
  context: string;
  logLevel: LogLevel;
  writeStreamType?: 'stdout' | 'stderr';
  errorStack?: unknown;
  params?: Record<string, unknown>;
  error?: Error;
}

/** Keys of every line, which a message's own fields never overwrite. */
const RESERVED = new Set(['time', 'level', 'pid', 'context', 'msg']);

/** A log call's message as the line's `msg` and the rest of its fields. */
function splitMessage(message: unknown): { msg: string; fields: Record<string, unknown> } {
  if (typeof message === 'string') return { msg: message, fields: {} };
  if (typeof message !== 'object' || message === null) return { msg: String(message), fields: {} };
  if (Array.isArray(message)) return { msg: '', fields: { value: message } };
  const { message: text, ...fields } = message as Record<string, unknown>;
  if (typeof text === 'string') return { msg: text, fields };
  return { msg: '', fields: message as Record<string, unknown> };
}

/**
 * The receiver's logger: one JSON object per line,
 * `{"time":"2026-…Z","level":"warn","pid":1,"context":"…","msg":"…", …fields}` — `time` an ISO
 * 8601 string, `msg` always a string. A message passed as an object gives its `message` as `msg`
 * and its other properties as fields of the line; a field named like one of the line's own keys
 * goes under `data`. Errors and stack traces become `error` and `stack` fields. Levels below the
 * configured one are not written (Nest's `logLevels`); `error` and `fatal` go to stderr.
 *
 * (Nest's `ConsoleLogger({ json: true })` writes `timestamp` in epoch milliseconds and `message`
 * as whatever it was given, a string or an object.)
 */
export class JsonLogger extends ConsoleLogger {
  constructor(level: ReceiverLogLevel = 'log') {
    super({ json: true, colors: false, logLevels: logLevelsFrom(level) });
  }

  protected override printAsJson(message: unknown, options: JsonPrintOptions): void {
    const line = this.stringifyJsonLogObject(this.toLine(message, options));
    process[options.writeStreamType ?? 'stdout'].write(`${line}\n`);
  }

  /** The object written for one message. */
  protected toLine(message: unknown, options: JsonPrintOptions): Record<string, unknown> {
    const { msg, fields } = splitMessage(message);
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: options.logLevel,
      pid: process.pid,
      ...(options.context ? { context: options.context } : {}),
      msg,
    };
    const extra: Record<string, unknown> = { ...fields, ...options.params };
    if (options.errorStack !== undefined) extra['stack'] = options.errorStack;
    if (options.error) extra['error'] = this.serializeError(options.error);
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(extra)) {
      if (RESERVED.has(key)) data[key] = value;
      else line[key] = value;
    }
    if (Object.keys(data).length > 0) line['data'] = data;
    return line;
  }
}
