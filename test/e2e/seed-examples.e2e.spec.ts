import { afterEach, describe, expect, it } from 'vitest';
import {
  readSeedFixture,
  SEED_MALFORMED_EXAMPLES,
  SEED_WEBHOOK_EXAMPLES,
} from '../fixtures/seeds/index.js';
import { createTestApp, postSigned, type TestApp, VARIANTS } from '../fixtures/test-app.js';

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fixture's exact text: a string is signed and sent as it is, byte for byte. */
const verbatim = (file: string) => readSeedFixture(file).toString('utf8');

// The example payloads Meta prints in the seed documents, posted exactly as printed: a module
// that answered 400 to one of them would have Meta redeliver it for days.
describe.each(VARIANTS)("the seeds' example payloads, posted verbatim (%s)", (variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  it("answers 200 to seed 002's array-wrapped example and emits its one phone_number_name_update", async () => {
    t = await createTestApp({ variant });
    const body = verbatim('002-example-webhook-payload.json');
    expect(body.trimStart().startsWith('[')).toBe(true);
    const res = await postSigned(t.app, body);
    expect(res.status).toBe(200);
    await t.recorder.waitFor(1);
    await settle();
    expect(t.recorder.events.map((r) => r.kind)).toEqual(['change']);
    const [change] = t.recorder.of('change');
    expect(change).toMatchObject({
      field: 'phone_number_name_update',
      entryId: '0',
      time: 1602782939,
      value: {
        display_phone_number: '16505551111',
        decision: 'APPROVED',
        requested_verified_name: 'WhatsApp',
        rejection_reason: null,
      },
    });
  });

  it.each(SEED_WEBHOOK_EXAMPLES)(
    '$file → 200 and one $field change of entry $entryId',
    async ({ file, field, entryId }) => {
      t = await createTestApp({ variant });
      const res = await postSigned(t.app, verbatim(file));
      expect(res.status).toBe(200);
      await t.recorder.waitFor(1);
      await settle();
      expect(t.recorder.of('invalid')).toEqual([]);
      expect(t.recorder.of('change').map((c) => [c.field, c.entryId])).toEqual([[field, entryId]]);
      const parsed = JSON.parse(verbatim(file)) as unknown;
      const [envelope] = (Array.isArray(parsed) ? parsed : [parsed]) as {
        entry: { time: number; changes: { value: unknown }[] }[];
      }[];
      expect(t.recorder.of('change')[0]).toMatchObject({
        time: envelope!.entry[0]!.time,
        value: envelope!.entry[0]!.changes[0]!.value,
      });
    },
  );

  it.each(SEED_MALFORMED_EXAMPLES)(
    '$file is not valid JSON as printed: 400, nothing emitted',
    async ({ file }) => {
      t = await createTestApp({ variant });
      const res = await postSigned(t.app, verbatim(file));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/JSON|Unexpected|Expected/i);
      await settle();
      expect(t.recorder.events).toEqual([]);
    },
  );

  it('delivers each seed example once when Meta redelivers it', async () => {
    t = await createTestApp({ variant });
    for (let round = 0; round < 2; round++) {
      for (const { file } of SEED_WEBHOOK_EXAMPLES) {
        expect((await postSigned(t.app, verbatim(file))).status).toBe(200);
      }
    }
    await settle(60);
    expect(t.recorder.of('change')).toHaveLength(SEED_WEBHOOK_EXAMPLES.length);
  });
});
