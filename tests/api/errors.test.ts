import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { toHttpError } from '../../api/errors';

/** A gRPC failure as @grpc/grpc-js raises it, wrapped by the Temporal client. */
function grpcFailure(code: number, details: string): ServiceError {
  const grpc = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Failed to update workflow', { cause: grpc });
}

describe('toHttpError', () => {
  test.each([
    [1, 'CANCELLED', 'Cancelled on client'],
    [4, 'DEADLINE_EXCEEDED', 'Deadline exceeded'],
    [14, 'UNAVAILABLE', 'No connection established'],
  ])('gRPC %s (%s) is a 503, never a 500', (code, _name, details) => {
    expect(toHttpError(grpcFailure(code, details)).status).toBe(503);
  });

  test("an Update refused by the case's state is a 409; by the calendar, a 400 naming the reason", () => {
    const conflict = new WorkflowUpdateFailedError('failed', ApplicationFailure.nonRetryable('case is already acknowledged', 'CaseStateConflict'));
    expect(toHttpError(conflict)).toMatchObject({ status: 409, message: 'case is already acknowledged' });
    const calendar = ApplicationFailure.nonRetryable('2036-01-01 is outside the supported years 2015-2035', 'CalendarRangeError');
    const viaActivity = new ActivityFailure('Activity task failed', 'planDeadline', 'a1', undefined, 'local', calendar);
    const http = toHttpError(new WorkflowUpdateFailedError('failed', viaActivity));
    expect(http.status).toBe(400);
    expect(http.details).toEqual([{ field: 'body', reason: expect.stringMatching(/2036/) }]);
  });

  test('an Update that fails for any other reason is ours: a 500, not a 409 blaming the case', () => {
    const other = ApplicationFailure.nonRetryable('projection failed for good', 'SomethingElse');
    const viaActivity = new ActivityFailure('Activity task failed', 'recordChange', 'a2', undefined, 'remote', other);
    expect(toHttpError(new WorkflowUpdateFailedError('failed', viaActivity))).toMatchObject({ status: 500, code: 'internal' });
    expect(toHttpError(new WorkflowUpdateFailedError('failed', new Error('a bug in a handler')))).toMatchObject({ status: 500 });
  });

  test('a path that does not decode (URIError, from Express or the guard) is a 400 naming the path, not a 500', () => {
    let thrown: unknown;
    try {
      decodeURIComponent('%E0%A4%A');
    } catch (err) {
      thrown = err;
    }
    expect(toHttpError(thrown)).toMatchObject({ status: 400, details: [{ field: 'path', reason: expect.stringMatching(/percent-encoding/) }] });
  });

  test('Temporal refusing an Update for its in-flight limit (RESOURCE_EXHAUSTED) is a 429 to retry, not a 500', () => {
    const http = toHttpError(grpcFailure(8, 'limit on number of concurrent in-flight updates has been reached (10)'));
    expect(http).toMatchObject({ status: 429, code: 'busy', headers: { 'Retry-After': '1' } });
  });
});
