import type { VWOService } from '../vwo.service';

/** The public surface of VWOService (its methods, without the private members that make a class nominal). */
export type VWOServiceApi = { [K in keyof VWOService]: VWOService[K] };
