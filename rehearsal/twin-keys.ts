// Scenario 2: the same Idempotency-Key sent to both APIs at once, 100 times: one case each.
import { untilAnswered } from '../chaos/requests';
import { complaintBody, is2xx, storedOf, type Scenario } from './scenario';

export const twinKeys: Scenario = {
  id: 2,
  name: 'same Idempotency-Key to both APIs at once ×100',
  async run({ stack, models, run }) {
    const tag = `twin-${run}`;
    const n = 100;
    const answers = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const body = complaintBody(tag, i);
        const key = `${tag}-${i}`;
        // Both at once, each retried with the key until final (a 409 "in progress" is the other one holding it).
        return Promise.all([0, 1].map((api) => untilAnswered(`${stack.apiUrl(api)}/api/complaints`, body, key, 60_000)));
      }),
    );
    const flat = answers.flat();
    const problems: string[] = [];
    const split = answers.filter(([a, b]) => !is2xx(a) || !is2xx(b) || a.body.reference !== b.body.reference);
    if (split.length) problems.push(`${split.length} keys answered differently by the two APIs, e.g. ${JSON.stringify(split[0].map((a) => [a.status, a.body.reference ?? a.body.error]))}`);
    const { stored, distinct, byCategory } = await storedOf(models, tag);
    const duplicates = stored - distinct;
    const lost = answers.filter(([a], i) => is2xx(a) && !byCategory.has(`${tag}-${i}`)).length;
    if (stored !== n || duplicates || lost) problems.push(`${stored} records for ${n} keys (${duplicates} duplicates, ${lost} lost)`);
    return { ok: problems.length === 0, sent: flat.length, acknowledged: flat.filter(is2xx).length, stored, duplicates, lost, figures: { keys: n }, problems };
  },
};
