import { compileSettings, decide } from '../../lib/engine';
import { benchContexts, fullRollout, rolloutAndTest, mutuallyExclusiveGroup } from './bench-settings';
const none = () => undefined;
let sink = 0;
for (const fx of [fullRollout(), rolloutAndTest(), mutuallyExclusiveGroup()]) {
  const snap = compileSettings(structuredClone(fx.doc));
  const ctx = benchContexts();
  const res: Record<string, number[]> = { default: [], lean: [] };
  for (let r = 0; r < 6; r++) for (const [name, opts] of [['default', undefined], ['lean', { integrationPayload: false, overlayWrites: false }]] as const) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 5e5; i++) sink += decide(snap, fx.featureKey, ctx[i & 1023], none, opts as any).impressions.length;
    const c = process.cpuUsage(c0);
    res[name].push((c.user + c.system) / 5e5);
  }
  for (const k of Object.keys(res)) console.log(fx.name, k, res[k].slice(1).sort((a, b) => a - b)[2].toFixed(3), 'µs');
}
console.log(sink);
