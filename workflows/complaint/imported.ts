import type { TimelineEntry } from '../../contracts/kernel/case';
import { IMPORTED, importedEntryData, type ImportedStart } from '../../contracts/kernel/imported';
import { DEFAULTS, type ComplaintWorkflowInput, type ImportedComplaint } from '../../contracts/complaint/definitions';
import type { Kernel } from './handlers/kernel';

/**
 * A complaint brought over from another system, opened at the state its row says: received, or
 * acknowledged with its response date, the provider's account asked for (and perhaps in) and the
 * complainant's last update. Each deadline is planned from the row's dates by the rules the events
 * use (./handlers/), on the same calendars; nothing acts before `actFrom`, so a date already past
 * is acted on once that morning (a reminder gone by is dropped) and repeats from then.
 */
export async function openImported(kase: Kernel, input: ComplaintWorkflowInput, imported: ImportedStart<ImportedComplaint>): Promise<TimelineEntry> {
  const { from, actFrom: notBefore, at } = imported;
  const { receivedOn } = input;
  // Reg 14(2): statutory, as for a new case; moved to an agreed response date set before it ran out.
  const sixMonths = await kase.plan({ id: 'six_month_letter', from: receivedOn, calendarMonths: DEFAULTS.sixMonthLetterMonths, onTheDay: true, calendar: 'statutory', notBefore });
  if (!at.acknowledgedOn) {
    const acknowledgement = await kase.plan({
      id: 'acknowledgement',
      from: receivedOn,
      workingDays: DEFAULTS.acknowledgementWorkingDays,
      calendar: 'statutory',
      remindWorkingDaysBefore: [0],
      notBefore,
    });
    return kase.change(IMPORTED, importedEntryData(from, { status: 'received', acknowledgeBy: acknowledgement.dueOn }), (s) => {
      s.deadlines = { acknowledgement, six_month_letter: sixMonths };
    });
  }
  const acknowledgedOn = at.acknowledgedOn;
  const response = await kase.plan({
    id: 'response',
    from: acknowledgedOn,
    ...(at.responseDueOn ? { dueOn: at.responseDueOn } : { workingDays: DEFAULTS.responseWorkingDays }),
    remindWorkingDaysBefore: [DEFAULTS.responseReminderWorkingDays],
    notBefore,
  });
  const letterMoves = at.responseDueOn && acknowledgedOn <= sixMonths.dueOn && at.responseDueOn > sixMonths.dueOn;
  const letter = letterMoves
    ? await kase.plan({ id: 'six_month_letter', from: acknowledgedOn, dueOn: at.responseDueOn, onTheDay: true, calendar: 'statutory', notBefore })
    : sixMonths;
  const awaitingAccount = at.providerAccountRequestedOn && !at.providerAccountReceivedOn;
  const account = awaitingAccount
    ? await kase.plan({
        id: 'provider_account',
        from: at.providerAccountRequestedOn!,
        workingDays: at.providerAccountWorkingDays ?? DEFAULTS.providerAccountWorkingDays,
        remindWorkingDaysBefore: [DEFAULTS.providerAccountReminderWorkingDays],
        notBefore,
      })
    : undefined;
  // Reg 14(1)(b): the next update counts from the last one the complainant had, else the acknowledgement.
  const every = DEFAULTS.updateEveryWorkingDays;
  const update = await kase.plan({ id: 'complainant_update', from: at.lastUpdateOn ?? acknowledgedOn, workingDays: every, onTheDay: true, notBefore });
  const responsePeriod = at.responseDueOn ? 'agreed' : 'set';
  const data = {
    status: 'acknowledged',
    acknowledgedOn,
    responseDueOn: response.dueOn,
    ...(at.providerAccountRequestedOn && { providerAccountRequestedOn: at.providerAccountRequestedOn }),
    ...(account && { providerAccountDueOn: account.dueOn }),
    ...(at.providerAccountReceivedOn && { providerAccountReceivedOn: at.providerAccountReceivedOn }),
    nextUpdateDueOn: update.dueOn,
  };
  return kase.change(IMPORTED, importedEntryData(from, data), (s) => {
    s.status = 'acknowledged';
    s.acknowledgedOn = acknowledgedOn;
    s.responsePeriod = responsePeriod;
    if (at.providerAccountRequestedOn) s.providerAccountRequestedOn = at.providerAccountRequestedOn;
    if (at.providerAccountReceivedOn) s.providerAccountReceivedOn = at.providerAccountReceivedOn;
    s.updateEveryWorkingDays = every;
    s.updates = at.lastUpdateOn ? [{ sentOn: at.lastUpdateOn }] : [];
    s.deadlines = { six_month_letter: letter, response, complainant_update: update, ...(account && { provider_account: account }) };
  });
}
