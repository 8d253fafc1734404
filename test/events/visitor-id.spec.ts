import { getUUID, sdkUserId, visitorId } from '../../lib/events/visitor-id';

describe('visitor id (docs/events.md)', () => {
  it.each([
    ['user-123', '123456', 'CC25A368ADA0542699EAD62489811105'],
    ['user-1', '123456', 'D8E56BFF89A75539B46C1FECD3C97D7C'],
  ])('getUUID(%s, %s) is the spec vector', (user, account, expected) => {
    expect(getUUID(user, account)).toBe(expected);
  });

  it('treats numeric ids and accounts like their strings', () => {
    expect(getUUID(42, 123456)).toBe(getUUID('42', '123456'));
  });

  it('differs per account (the namespace cache is keyed by account)', () => {
    expect(getUUID('user-1', '123456')).not.toBe(getUUID('user-1', '654321'));
    expect(getUUID('user-1', '123456')).toBe('D8E56BFF89A75539B46C1FECD3C97D7C');
  });

  it('passes VWO web-testing ids through verbatim', () => {
    const web = 'D' + 'a1'.repeat(16);
    expect(visitorId({ id: web }, '123456')).toBe(web);
    expect(visitorId({ id: 'X' + 'a1'.repeat(16) }, '123456')).toBe(getUUID('X' + 'a1'.repeat(16), '123456'));
  });

  it('lets an explicit context.uuid win', () => {
    expect(visitorId({ id: 'u1', uuid: 'MYUUID' } as never, '123456')).toBe('MYUUID');
  });

  it('names the SDK-level user <accountId>_<sdkKey>', () => {
    expect(sdkUserId('123456', 'key')).toBe('123456_key');
  });
});
