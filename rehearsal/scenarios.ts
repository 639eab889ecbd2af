import { proxyLoad } from './proxy-load';
import type { Scenario } from './scenario';
import { twinKeys } from './twin-keys';

/** In the order the issue numbers them; `--only` picks. */
export const SCENARIOS: Scenario[] = [proxyLoad, twinKeys];
