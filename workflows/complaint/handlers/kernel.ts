import type { CaseKernel } from '../../kernel/run-case';
import type { ComplaintState } from '../../../contracts/complaint/definitions';

/** The running case, as the complaint's handlers see it. */
export type Kernel = CaseKernel<ComplaintState>;

/** Plans the complainant's next update, `every` working days from `from` (reg 14(1)(b)). */
export type NextUpdate = (from: string, every: number) => ReturnType<Kernel['plan']>;

/** The six-month letter's new date, if an agreement to respond by `respondBy` moves it (reg 14(2)). */
export type MovedLetter = (agreedOn: string, respondBy: string | undefined) => Promise<Awaited<ReturnType<Kernel['plan']>> | undefined>;
