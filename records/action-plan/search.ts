import type { Models } from '../../models';
import { findByIds, KEY_END } from '../../models/case-index';
import type { ActionPlanRecord } from '../../models/action-plan';
import { ACTION_PLAN } from '../../contracts/action-plan/definitions';
import type { SearchSource } from '../search/index';
import { providerNames } from '../search/providers';

/** What an action plan offers search: its provider (code and name), title and theme, and each action's description. */
export const actionPlanSearch: SearchSource = {
  process: ACTION_PLAN.name,
  model: (models: Models) => models.ActionPlan,
  async read(models, references) {
    const records = await findByIds<ActionPlanRecord>(models.ActionPlan, references, { _id: 1, status: 1, providerCode: 1, title: 1, theme: 1, openedOn: 1 });
    const names = await providerNames(models, records.map((r) => r.providerCode));
    // A plan's actions are keyed `<reference>:<n>`: one range each.
    const actions = await Promise.all(
      records.map((r) => models.Action.find({ _id: { $gte: `${r._id}:`, $lt: `${r._id}:${KEY_END}` } }, { description: 1 }).lean<{ description: string }[]>()),
    );
    return records.map((r, i) => ({
      process: ACTION_PLAN.name,
      reference: r._id,
      status: r.status,
    open: (ACTION_PLAN.open as readonly string[]).includes(r.status),
      providerCode: r.providerCode,
      on: r.openedOn,
      title: `Action plan: ${r.title}, ${names.get(r.providerCode) ?? r.providerCode} (${r.providerCode})`,
      text: [r.providerCode, names.get(r.providerCode), r.title, r.theme, ...actions[i].map((a) => a.description)].filter((t): t is string => !!t),
    }));
  },
};
