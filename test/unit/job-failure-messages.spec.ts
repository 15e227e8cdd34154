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

  it('words a group: how many of its updates failed, and that only those are retried', () => {
    expect(messages.groupListenersFailed(1, 3, 2, 4, 1, 3, '17')).toBe(
      '1 of 3 update(s) of the group had listener calls fail (2 of 4 listener call(s) failed) ' +
        'on attempt 1 of 3; they will be retried after the backoff (retry 1 of 2), the others ' +
        'are not run again',
    );
    expect(messages.groupListenersFailed(2, 3, 2, 2, 3, 3, '17')).toBe(
      '2 of 3 update(s) of the group had listener calls fail (2 of 2 listener call(s) failed) ' +
        'on the final attempt (3 of 3); they are not retried again and stay in the failed set: ' +
        'replay them with "waba-webhooks jobs retry 17"',
    );
    expect(messages.groupDeliveryFailed(2, ['messages', 'calls'], '17', 3, 'boom')).toBe(
      '2 update(s) ("messages", "calls") of a group failed after 3 attempt(s) and stay in the ' +
        'failed set as job 17 (replay it with "waba-webhooks jobs retry 17"). Last error: boom',
    );
  });
});
