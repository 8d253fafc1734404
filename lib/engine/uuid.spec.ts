import { getUUID } from './uuid';

describe('getUUID (spec §3.4)', () => {
  it('reproduces VWO vectors', () => {
    expect(getUUID('user_id', '12345')).toBe('E4824A365FF15611963CB44DC0E4D513');
    expect(getUUID('user-123', '123456')).toBe('CC25A368ADA0542699EAD62489811105');
  });

  it('stringifies numeric ids and account ids', () => {
    expect(getUUID('user_id', 12345)).toBe('E4824A365FF15611963CB44DC0E4D513');
    expect(getUUID(123, 1)).toBe(getUUID('123', '1'));
  });

  it('is 32 upper-case hex characters and stable across calls (cached namespace)', () => {
    const a = getUUID('someone', '999');
    expect(a).toMatch(/^[0-9A-F]{32}$/);
    expect(getUUID('someone', '999')).toBe(a);
    expect(getUUID('someone', '998')).not.toBe(a);
  });
});
