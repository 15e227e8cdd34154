import { describe, expect, it } from 'vitest';
import { messages } from '../../src/whatsapp-webhooks.messages.js';

describe('queue job failure wording', () => {
  const id = 'a'.repeat(64);

  it('announces the retry, numbered, on every attempt but the last', () => {
    expect(messages.jobListenersFailed(1, 2, 1, 3, id)).toBe(
      '1 of 2 listener call(s) failed on attempt 1 of 3; the update will be retried after the ' +
        'backoff (retry 1 of 2)',
    );
    expect(messages.jobListenersFailed(2, 2, 2, 3, id)).toBe(
      '2 of 2 listener call(s) failed on attempt 2 of 3; the update will be retried after the ' +
        'backoff (retry 2 of 2)',
    );
  });

  it('says the last attempt is final, that the update stays failed and how to replay it', () => {
    for (const [attempt, attempts] of [
      [3, 3],
      [1, 1],
    ] as const) {
      const text = messages.jobListenersFailed(1, 2, attempt, attempts, id);
      expect(text).toBe(
        `1 of 2 listener call(s) failed on the final attempt (${attempt} of ${attempts}); the ` +
          'update is not retried again and stays in the failed set: replay it with ' +
          `"waba-webhooks jobs retry ${id}"`,
      );
      expect(text).not.toMatch(/will be retried/);
    }
  });

  it('logs the exhausted update with its field, job id and the command that replays it', () => {
    expect(messages.deliveryFailed('messages', id, 5, 'boom')).toBe(
      `A "messages" update failed after 5 attempt(s) and stays in the failed set as ` +
        `job ${id} (replay it with "waba-webhooks jobs retry ${id}"). Last error: boom`,
    );
  });
});
