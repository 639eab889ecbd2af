import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import {
  MongoClientClosedError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type TopologyDescription,
} from 'mongodb';
import { toHttpError } from '../../api/errors';

/** The driver's pool errors and topology, which its index does not export (its own classes, not look-alikes). */
interface Pool {
  address: string;
  serverError?: Error;
}
const { PoolClearedError, PoolClearedOnNetworkError, PoolClosedError, WaitQueueTimeoutError } = jest.requireActual<{
  PoolClearedError: new (pool: Pool, message?: string) => Error;
  PoolClearedOnNetworkError: new (pool: Pool) => Error;
  PoolClosedError: new (pool: Pool) => Error;
  WaitQueueTimeoutError: new (message: string, address: string) => Error;
}>('mongodb/lib/cmap/errors');
const { TopologyDescription: Topology } = jest.requireActual<{ TopologyDescription: new (type: 'Single') => TopologyDescription }>('mongodb/lib/sdam/topology_description');

/** A gRPC failure as @grpc/grpc-js raises it, wrapped by the Temporal client. */
function grpcFailure(code: number, details: string): ServiceError {
  const grpc = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Failed to update workflow', { cause: grpc });
}

/** An error as FerretDB answers one of its own: InternalError, code 1. */
const ferret = (message: string) => new MongoServerError({ ok: 0, errmsg: message, message, code: 1, codeName: 'InternalError' });

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

  describe('the database going away is a 503 to retry (code unavailable, Retry-After), never a 500 nor Temporal’s', () => {
    const address = '127.0.0.1:27017';
    const reset = () => new MongoNetworkError('read ECONNRESET', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    test.each<[string, () => Error]>([
      ['a reset connection', reset],
      ['a closed connection', () => new MongoNetworkError(`connection 4 to ${address} closed`)],
      ['a network timeout', () => new MongoNetworkTimeoutError(`connection 5 to ${address} timed out`)],
      ['no server to select', () => new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', new Topology('Single'))],
      ['the pool cleared by a reset (requests queued behind it)', () => new PoolClearedError({ address, serverError: reset() })],
      ['the pool cleared by its monitor', () => new PoolClearedOnNetworkError({ address })],
      ['the pool closed', () => new PoolClosedError({ address })],
      ['no connection free in time', () => new WaitQueueTimeoutError('Timed out while checking out a connection from connection pool', address)],
      ['the client not connected', () => new MongoNotConnectedError('Client must be connected before running operations')],
      ['the client closed', () => new MongoClientClosedError()],
      ['the topology closed', () => new MongoTopologyClosedError()],
      ['the server closed', () => new MongoServerClosedError()],
      ['the server shutting down', () => new MongoServerError({ message: 'The server is in quiesce mode and will shut down', code: 91 })],
      ['the server interrupted at shutdown', () => new MongoServerError({ message: 'interrupted at shutdown', code: 11600 })],
      ['mongoose buffering with no connection', () => Object.assign(new Error('Operation `complaints.insertOne()` buffering timed out after 10000ms'), { name: 'MongooseError' })],
      // FerretDB's own InternalError when PostgreSQL under it goes away, as the rehearsal's restart met them (issue 30).
      ['PostgreSQL under FerretDB gone mid-query', () => ferret('[msg_find.go:348 handler.handleMaxTimeMSError] [query_iterator.go:92 postgresql.(*queryIterator).Next] unexpected EOF')],
      ['PostgreSQL under FerretDB refusing connections', () => ferret('[msg_insert.go:168 handler.(*Handler).MsgInsert] failed to connect to `user=temporal database=ferretdb`:\n\t127.0.0.1:41755 (127.0.0.1): dial error: dial tcp 127.0.0.1:41755: connect: connection refused')],
      ['PostgreSQL under FerretDB starting up', () => ferret('FATAL: the database system is starting up (SQLSTATE 57P03)')],
    ])('%s', (_what, make) => {
      expect(toHttpError(make())).toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '5' } });
    });

    // The driver writing a command to a pooled connection the database closed while it sat idle
    // (FerretDB killed: its sockets got a FIN) throws Node's own error, not a MongoNetworkError.
    // `npm run chaos` (scenario 4) met it as a 500, with this stack.
    const writeAfterFin = (stack: string) =>
      Object.assign(new Error('This socket has been ended by the other party'), {
        code: 'EPIPE',
        stack: `Error: This socket has been ended by the other party\n    at Socket.writeAfterFIN [as write] (node:net:566:14)\n${stack}`,
      });
    const viaDriver = '    at Connection.writeCommand (/srv/oversight/node_modules/mongodb/lib/cmap/connection.js:722:23)\n    at async Collection.insertOne (/srv/oversight/node_modules/mongodb/lib/collection.js:297:12)';

    test('a command written to a connection the database had closed (EPIPE from the driver, unwrapped)', () => {
      expect(toHttpError(writeAfterFin(viaDriver))).toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '5' } });
    });

    test('the same socket error from anything but the driver is not blamed on the database', () => {
      expect(toHttpError(writeAfterFin('    at somewhereElse (/srv/oversight/api/letters/render.js:10:5)')).status).toBe(500);
    });

    test('a refusal by the database itself (a duplicate key, a bad command) is not the database being away', () => {
      expect(toHttpError(new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 })).status).toBe(500);
      expect(toHttpError(new MongoServerError({ message: 'unknown operator: $foo', code: 2 })).status).toBe(500);
      expect(toHttpError(ferret('[msg_aggregate.go:301] unexpected stage $foo')).status).toBe(500);
    });
  });
});
