import type { ComplaintVersion } from '../state';
import { COMPLAINT_UPDATES } from '../../../contracts/complaint/events';
import type { ComplaintCase } from '../case';
import {
  DEFAULTS,
  } from '../../../contracts/complaint/definitions';
import type { Kernel } from './kernel';

/** Contact from the Ombudsman, then its investigation: draft report and comments, final report, recommendations met. */
export function ombudsmanStage(kase: Kernel, rules: ComplaintCase, version: ComplaintVersion) {
  kase.record(COMPLAINT_UPDATES['ombudsman-referral'], (i) => rules.checkOmbudsmanReferral(i), 'referred_to_ombudsman', (s, i) => {
    s.referredOn = i.referredOn;
    if (!version.ombudsmanStage) {
      s.status = 'referred_to_ombudsman';
      return;
    }
    const window = s.deadlines.ombudsman_window;
    s.status = 'with_ombudsman';
    s.ombudsman = { contactedOn: i.referredOn, afterWindow: !!window && i.referredOn > window.dueOn, recommendations: [] };
  });

  const reminder = [DEFAULTS.externalReminderWorkingDays];
  kase.record(COMPLAINT_UPDATES['ombudsman-investigation'], (i) => rules.checkOmbudsmanInvestigation(i), 'ombudsman_investigation_opened', (s, i) => {
    s.ombudsman!.investigationOpenedOn = i.openedOn;
  });

  kase.on(COMPLAINT_UPDATES['ombudsman-draft-report'], (i) => rules.checkOmbudsmanDraft(i), async (i) => {
    const due = await kase.plan({ id: 'ombudsman_comments', from: i.receivedOn, dueOn: i.commentsDueOn, remindWorkingDaysBefore: reminder });
    return kase.change('ombudsman_draft_report', { ...i }, (s) => {
      s.ombudsman!.draftReportOn = i.receivedOn;
      s.deadlines.ombudsman_comments = due;
    });
  });

  kase.record(COMPLAINT_UPDATES['ombudsman-comments'], (i) => rules.checkOmbudsmanComments(i), 'ombudsman_comments_sent', (s, i) => {
    s.ombudsman!.commentsSentOn = i.sentOn;
  });

  kase.on(COMPLAINT_UPDATES['ombudsman-final-report'], (i) => rules.checkOmbudsmanFinal(i), async (i) => {
    const recommendations = i.recommendations.map((r, k) => ({ n: k + 1, summary: r.summary, dueOn: r.dueOn }));
    const planned = await Promise.all(
      recommendations.map((r) => kase.plan({ id: `recommendation:${r.n}`, from: i.receivedOn, dueOn: r.dueOn, remindWorkingDaysBefore: reminder })),
    );
    return kase.change('ombudsman_final_report', { ...i, recommendations }, (s) => {
      const stage = s.ombudsman!;
      stage.finalReportOn = i.receivedOn;
      stage.finding = i.finding;
      stage.recommendations = recommendations;
      for (const d of planned) s.deadlines[d.id as `recommendation:${number}`] = d;
      if (!recommendations.length) s.status = 'completed';
    });
  });

  // The case completes when the last recommendation is shown to be met.
  kase.record(COMPLAINT_UPDATES['ombudsman-compliance'], (i) => rules.checkOmbudsmanCompliance(i), 'ombudsman_recommendation_met', (s, i) => {
    const stage = s.ombudsman!;
    const r = stage.recommendations.find((x) => x.n === i.recommendation)!;
    r.metOn = i.metOn;
    r.evidence = i.evidence;
    if (stage.recommendations.every((x) => x.metOn)) s.status = 'completed';
  });
}
