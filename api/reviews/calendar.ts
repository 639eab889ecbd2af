import ical from 'ical-generator';
import type { ReviewRecord } from '../../models/review';

/**
 * An owner's open reviews as an iCalendar feed (RFC 5545), one all-day event on each due date,
 * so a commissioner's own calendar shows them. Each event's UID is the review's reference, so a
 * rescheduled review moves in the calendar rather than appearing twice.
 */
export function reviewCalendar(owner: string, reviews: ReviewRecord[]): string {
  const calendar = ical({
    name: `Six-month reviews: ${owner}`,
    prodId: { company: 'Oversight', product: 'Six-month reviews', language: 'EN' },
    ttl: 60 * 60,
  });
  for (const review of reviews) {
    calendar.createEvent({
      id: `${review._id}@oversight`,
      // Noon UTC: the same calendar day however the date is read.
      start: new Date(`${review.dueOn}T12:00:00Z`),
      allDay: true,
      summary: `Six-month review due: ${review.serviceName} (${review._id})`,
      description: [
        `Post-implementation review of ${review.serviceName}, live since ${review.goLiveOn}.`,
        `What changed: ${review.whatChanged}`,
        `Status: ${review.status}. Recorded in Oversight with POST /api/reviews/${review._id}/record.`,
      ].join('\n'),
    });
  }
  return calendar.toString();
}
