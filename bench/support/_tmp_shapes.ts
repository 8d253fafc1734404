import { compileSettings, decide } from '../../lib/engine';
import { benchContexts, fullRollout, rolloutAndTest, mutuallyExclusiveGroup } from './bench-settings';
const same = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;
const fxs = [fullRollout(), rolloutAndTest(), mutuallyExclusiveGroup()];
const snaps = fxs.map((f) => compileSettings(structuredClone(f.doc)) as any);
const feats = fxs.map((f, i) => snaps[i].featureByKey.get(f.featureKey));
const describe = (label: string, objs: any[]) => {
  const groups: number[] = [];
  const reps: any[] = [];
  for (const o of objs) { let k = reps.findIndex((r) => same(r, o)); if (k < 0) { reps.push(o); k = reps.length - 1; } groups.push(k); }
  console.log(label, 'shapes:', reps.length, 'of', objs.length, groups.join(','));
};
describe('snapshots', snaps);
describe('features', feats);
const rules = feats.flatMap((f: any) => [...f.rollouts, ...f.experiments ?? f.testing ?? []]);
console.log(Object.keys(feats[0]));
describe('rules', rules);
describe('variations', rules.flatMap((r: any) => r.variations));
const ds = fxs.map((f, i) => decide(snaps[i], f.featureKey, benchContexts()[0], () => undefined));
describe('decisions', ds);
describe('impressions', ds.flatMap((d: any) => d.impressions));
describe('flags', ds.map((d: any) => d.flag ?? d));
