import { EventPayloadBuilder } from '../../lib/events/event-payload.builder';
import { getUUID } from '../../lib/events/visitor-id';

const sdk = { name: 'nestjs-vwo', version: '1.2.3' };
const NOW = 1_700_000_000_123;
const builder = new EventPayloadBuilder('KEY', '123456', sdk, () => NOW);
const UA = 'Mozilla/5.0 (X11; Linux)';

describe('EventPayloadBuilder (network.md §4)', () => {
  it('builds vwo_variationShown with the envelope in VWO key order', () => {
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
    expect(JSON.stringify(out.envelope)).toBe(
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
    const { envelope } = builder.impression({ campaignId: 1, variationId: 1, featureId: 1 }, { id: 'u', sessionId: 1234 });
    expect(envelope.d.sessionId).toBe(1234);
    expect(envelope.d.visitor_ua).toBe('');
    expect(envelope.d.visitor_ip).toBe('');
    expect(envelope.d.visitor!.props).toEqual({ vwo_fs_environment: 'KEY' });
  });

  it('holdout impressions carry fId, the computed id and the current session, no ip', () => {
    const web = 'D' + 'ab'.repeat(16);
    const { envelope } = builder.impression(
      { campaignId: 99, variationId: 1, featureId: 5, isHoldout: true },
      { id: web, sessionId: 1234, ipAddress: '1.2.3.4' },
    );
    expect(envelope.d.visId).toBe(getUUID(web, '123456'));
    expect(envelope.d.sessionId).toBe(Math.ceil(NOW / 1000));
    expect(envelope.d.event.props).toMatchObject({ id: 99, variation: 1, isFirst: 1, fId: 5 });
    expect(envelope.d.visitor!.props).toEqual({ vwo_fs_environment: 'KEY' });
  });

  it('custom events put isCustomEvent/variation/id first and let user properties override', () => {
    const { envelope } = builder.customEvent('purchase', { id: 'user-1' }, { amount: 49.99, id: 'mine' });
    expect(envelope.d.event.name).toBe('purchase');
    expect(Object.keys(envelope.d.event.props)).toEqual([
      'vwo_sdkName', 'vwo_sdkVersion', 'vwo_envKey', 'isCustomEvent', 'variation', 'id', 'amount',
    ]);
    expect(envelope.d.event.props).toMatchObject({ isCustomEvent: true, variation: 1, id: 'mine', amount: 49.99 });
    expect(envelope.d.visId).toBe('D8E56BFF89A75539B46C1FECD3C97D7C');
  });

  it('vwo_syncVisitorProp carries the attributes in visitor.props', () => {
    const { envelope } = builder.syncVisitorProps({ plan_type: 'premium', age: 25, beta: true }, { id: 'u' });
    expect(envelope.d.event.props).toEqual({
      vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: '1.2.3', vwo_envKey: 'KEY', isCustomEvent: true, vwo_fs_environment: 'KEY',
    });
    expect(envelope.d.visitor!.props).toEqual({ vwo_fs_environment: 'KEY', plan_type: 'premium', age: 25, beta: true });
  });

  it('vwo_fmeSdkInit is sent as <accountId>_<sdkKey> without visitor headers', () => {
    const out = builder.sdkInit({ settingsFetchTime: 8, sdkInitTime: 18 });
    expect(out.visitorHeaders).toBe(false);
    expect(out.envelope.d.visId).toBe(getUUID('123456_KEY', '123456'));
    expect(out.envelope.d.event.props).toEqual({
      vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: '1.2.3', vwo_envKey: 'KEY', vwo_fs_environment: 'KEY', product: 'fme',
      data: { isSDKInitialized: true, settingsFetchTime: 8, sdkInitTime: 18 },
    });
  });

  it('vwo_feTrackUsage is the bare envelope', () => {
    const { envelope } = builder.trackUsage({ id: 'u', userAgent: UA });
    expect(envelope.d.event.name).toBe('vwo_feTrackUsage');
    expect(envelope.d.event.props).toEqual({ vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: '1.2.3', vwo_envKey: 'KEY' });
    expect(envelope.d.visitor_ua).toBe(UA);
  });
});
