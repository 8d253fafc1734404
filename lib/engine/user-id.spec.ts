import { userIdProblem } from './user-id';

describe('userIdProblem', () => {
  it.each([
    ['a string id', { id: 'user-1' }],
    ['a numeric id', { id: 42 }],
    ['a negative number', { id: -5 }],
    ['an emoji (a well-formed surrogate pair)', { id: 'u\u{1F600}' }],
    ['a web-testing id', { id: 'D' + 'A'.repeat(32) }],
    ['whitespace', { id: ' ' }],
  ])('accepts %s', (_name, context) => {
    expect(userIdProblem(context)).toBeUndefined();
  });

  it.each([
    ['no context', undefined, /context with an id/],
    ['a string context', 'user-1', /context with an id/],
    ['no id', {}, /required/],
    ['id 0', { id: 0 }, /truthy/],
    ['id false', { id: false }, /truthy/],
    ['id NaN', { id: NaN }, /truthy/],
    ['a lone high surrogate', { id: '\ud800x' }, /lone UTF-16 surrogate/],
    ['a lone low surrogate at the end', { id: 'x\udc00' }, /lone UTF-16 surrogate/],
    ['an id without a string form', { id: Object.create(null) as unknown }, /string/],
  ])('rejects %s, saying why', (_name, context, why) => {
    expect(userIdProblem(context)).toMatch(why);
  });
});
