/**
 * Reading the raw settings document the way VWO's models do: aliases resolved with `||`, lists given as `{}`
 * treated as empty. Shared by the snapshot's indexes and the per-feature compiler.
 */
export type Rec = Record<string, any>;

export const EMPTY: readonly never[] = Object.freeze([]);

export const isPlainObjectLiteral = (v: unknown): boolean => !!v && (v as object).constructor === Object;

/** VWO models a list given as `{}` (a plain object) as empty, and only iterates real lists. */
export function list(v: unknown): Rec[] {
  return Array.isArray(v) ? (v as Rec[]) : [];
}

/** A feature's raw rules, as VWO's feature model reads them. */
export function rulesOf(feature: Rec): Rec[] {
  return feature.rules && !isPlainObjectLiteral(feature.rules) ? list(feature.rules) : [];
}

/** A campaign's raw variations, as VWO's campaign model reads them. */
export function variationsOf(campaign: Rec): Rec[] {
  return campaign.variations && !isPlainObjectLiteral(campaign.variations) ? list(campaign.variations) : [];
}

export function campaignsOf(doc: Rec): Rec[] {
  return Array.isArray(doc.c) ? doc.c : list(doc.campaigns);
}

export function featuresOf(doc: Rec): Rec[] {
  return Array.isArray(doc.f) ? doc.f : list(doc.features);
}
