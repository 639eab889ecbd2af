import { mailOutbox } from './mail-outbox';
import { proxyLoad } from './proxy-load';
import { restarts } from './restarts';
import { rollingUpgrade } from './rolling-upgrade';
import type { Scenario } from './scenario';
import { deadlineStorm } from './storm';
import { twinKeys } from './twin-keys';

/** In the order the issue numbers them; `--only` picks. */
export const SCENARIOS: Scenario[] = [proxyLoad, twinKeys, deadlineStorm, mailOutbox, rollingUpgrade, restarts];
