import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go into the failure's encoded attributes, a payload, so the
 * codec seals them too: an activity's or an Update's failure may quote a date or an id. Loaded by
 * path (lib/payload-codec.ts) so the workflow sandbox uses it as well as clients and workers.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
