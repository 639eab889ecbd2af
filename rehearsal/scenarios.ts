import { mailOutbox } from './mail-outbox';
import { proxyLoad } from './proxy-load';
import { restarts } from './restarts';
import { rollingUpgrade } from './rolling-upgrade';
import { singleInstance } from './single-instance';
import type { Scenario } from './scenario';
import { deadlineStorm } from './storm';
import { twinKeys } from './twin-keys';

/** In the order the issue numbers them, then scenario 1's baseline (one `npm start`); `--only` picks. */
export const SCENARIOS: Scenario[] = [proxyLoad, twinKeys, deadlineStorm, mailOutbox, rollingUpgrade, restarts, singleInstance];
