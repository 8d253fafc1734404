import { EventPayloadBuilder } from '../../lib/events/event-payload.builder';
import type { EventRecord } from '../../lib/events/event-envelope.interface';
import { EventSerializer } from '../../lib/events/event-serializer';
import { getUUID } from '../../lib/events/visitor-id';

const sdk = { name: 'nestjs-vwo', version: '1.2.3' };
const NOW = 1_700_000_000_123;
const builder = new EventPayloadBuilder('KEY', '123456', sdk, () => NOW);
const serializer = new EventSerializer('KEY', sdk);
const UA = 'Mozilla/5.0 (X11; Linux)';

/** The envelope exactly as it goes on the wire. */
function wire(record: EventRecord): string {
  return serializer.serialise(record);
}

function envelope(record: EventRecord): { d: Record<string, any> } {
  return JSON.parse(wire(record)) as { d: Record<string, any> };
}

describe('EventPayloadBuilder + EventSerializer (docs/events.md)', () => {
  it('writes vwo_variationShown byte for byte in VWO key order', () => {
    const out = builder.impression(
      { campaignId: 7, variationId: 2, featureId: 3 },
      {
        id: 'user-123',
        userAgent: UA,
        ipAddress: '1.2.3.4',
        customVariables: { plan: 'pro', empty: '' },
        postSegmentationVariables: ['plan', 'empty', 'missing'],
      },
    );
    const visId = 'CC25A368ADA0542699EAD62489811105';
    expect(wire(out)).toBe(
      JSON.stringify({
        d: {
          msgId: `${visId}-${NOW}`,
          visId,
          sessionId: Math.ceil(NOW / 1000),
          visitor_ua: UA,
          visitor_ip: '1.2.3.4',
          event: {
            props: { vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: '1.2.3', vwo_envKey: 'KEY', id: 7, variation: 2, isFirst: 1 },
            name: 'vwo_variationShown',
            time: NOW,
          },
          visitor: { props: { vwo_fs_environment: 'KEY', plan: 'pro', ip: '1.2.3.4' } },
        },
      }),
    );
    expect(out).toMatchObject({ name: 'vwo_variationShown', userAgent: UA, ipAddress: '1.2.3.4', visitorHeaders: true });
  });

  it('uses context.sessionId when given and empty UA/IP when not', () => {
    const { d } = envelope(builder.impression({ campaignId: 1, variationId: 1, featureId: 1 }, { id: 'u', sessionId: 1234 }));
    expect(d.sessionId).toBe(1234);
    expect(d.visitor_ua).toBe('');
    expect(d.visitor_ip).toBe('');
    expect(d.visitor.props).toEqual({ vwo_fs_environment: 'KEY' });
  });

  it('holdout impressions carry fId, the computed id and the current session, no ip', () => {
    const web = 'D' + 'ab'.repeat(16);
    const { d } = envelope(
      builder.impression({ campaignId: 99, variationId: 1, featureId: 5, isHoldout: true }, { id: web, sessionId: 1234, ipAddress: '1.2.3.4' }),
    );
    expect(d.visId).toBe(getUUID(web, '123456'));
    expect(d.sessionId).toBe(Math.ceil(NOW / 1000));
    expect(d.event.props).toMatchObject({ id: 99, variation: 1, isFirst: 1, fId: 5 });
    expect(d.visitor.props).toEqual({ vwo_fs_environment: 'KEY' });
  });

  it('custom events put isCustomEvent/variation/id first and let user properties override in place', () => {
    const { d } = envelope(builder.customEvent('purchase', { id: 'user-1' }, { amount: 49.99, id: 'mine', vwo_sdkName: 'x' }));
    expect(d.event.name).toBe('purchase');
    expect(Object.keys(d.event.props)).toEqual([
      'vwo_sdkName', 'vwo_sdkVersion', 'vwo_envKey', 'isCustomEvent', 'variation', 'id', 'amount',
    ]);
    expect(d.event.props).toMatchObject({ vwo_sdkName: 'x', isCustomEvent: true, variation: 1, id: 'mine', amount: 49.99 });
    expect(d.visId).toBe('D8E56BFF89A75539B46C1FECD3C97D7C');
  });

  it('freezes caller data when the event is built, not when it is sent', () => {
    const properties = { amount: 1 };
    const attributes = { plan: 'free' };
    const custom = builder.customEvent('purchase', { id: 'u' }, properties);
    const sync = builder.syncVisitorProps(attributes, { id: 'u' });
    properties.amount = 2;
    attributes.plan = 'pro';
    expect(envelope(custom).d.event.props.amount).toBe(1);
    expect(envelope(sync).d.visitor.props.plan).toBe('free');
  });

  it('vwo_syncVisitorProp carries the attributes in visitor.props', () => {
    const { d } = envelope(builder.syncVisitorProps({ plan_type: 'premium', age: 25, beta: true }, { id: 'u' }));
    expect(d.event.props).toEqual({
      vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: '1.2.3', vwo_envKey: 'KEY', isCustomEvent: true, vwo_fs_environment: 'KEY',
    });
    expect(d.visitor.props).toEqual({ vwo_fs_environment: 'KEY', plan_type: 'premium', age: 25, beta: true });
  });

  it('vwo_fmeSdkInit is sent as <accountId>_<sdkKey> without visitor headers', () => {
    const out = builder.sdkInit({ settingsFetchTime: 8, sdkInitTime: 18 });
    expect(out.visitorHeaders).toBe(false);
    const { d } = envelope(out);
    expect(d.visId).toBe(getUUID('123456_KEY', '123456'));
    expect(d.event.props).toEqual({
      vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: '1.2.3', vwo_envKey: 'KEY', vwo_fs_environment: 'KEY', product: 'fme',
      data: { isSDKInitialized: true, settingsFetchTime: 8, sdkInitTime: 18 },
    });
  });

  it('vwo_feTrackUsage is the bare envelope', () => {
    const { d } = envelope(builder.trackUsage({ id: 'u', userAgent: UA }));
    expect(d.event.name).toBe('vwo_feTrackUsage');
    expect(d.event.props).toEqual({ vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: '1.2.3', vwo_envKey: 'KEY' });
    expect(d.visitor_ua).toBe(UA);
  });

  it('keeps visitor ids of recent users, bounded, and never mixes users up', () => {
    const small = new EventPayloadBuilder('KEY', '123456', sdk, () => NOW, 4);
    const ids = Array.from({ length: 20 }, (_, i) => `user-${i % 10}`);
    for (const id of ids) {
      expect(small.trackUsage({ id }).visId).toBe(getUUID(id, '123456'));
    }
    expect(small.trackUsage({ id: 'D' + 'a1'.repeat(16) }).visId).toBe('D' + 'a1'.repeat(16));
    expect(small.trackUsage({ id: 'u1', uuid: 'MINE' } as never).visId).toBe('MINE');
  });
});
