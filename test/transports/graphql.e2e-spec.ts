import { VWOService } from '../../lib/vwo.service';
import { CallerResolver, createGraphQLApp, gql, type GraphQLTestApp } from './support/graphql-app';
import { expectedWhoAmI, MANY_USERS } from './support/transport-test-kit';

/** What a denied client receives for `featureKey` at `path` (Apollo in a test run: no stacktrace extension). */
function denial(featureKey: string, path: string[]): object {
  return {
    message: `Feature "${featureKey}" is not enabled`,
    path,
    extensions: { code: 'FEATURE_DISABLED', featureKey },
  };
}

describe('@FeatureFlag on GraphQL (code-first Apollo, @nestjs/graphql, real HTTP)', () => {
  describe('default setup (no fieldResolverEnhancers)', () => {
    let t: GraphQLTestApp;

    beforeAll(async () => {
      t = await createGraphQLApp();
    });
    afterAll(() => t.app.close());
    beforeEach(() => t.logs.clear());

    it('serves a query gated by the class’s flag to its users', async () => {
      await expect(gql(t.url, '{ order(id: "7") { id total } }', 'alice')).resolves.toEqual({ data: { order: { id: '7', total: 42 } } });
    });

    it('denies a query with a GraphQL error FEATURE_DISABLED: no stack, no HTTP wording, nothing logged as an error', async () => {
      const response = await gql(t.url, '{ order(id: "7") { id } }', 'bob');
      expect(response).toEqual({ data: null, errors: [{ ...denial('checkout', ['order']), locations: [{ line: 1, column: 3 }] }] });
      expect(JSON.stringify(response)).not.toMatch(/Cannot POST|stacktrace|\bat /);
      expect(t.logs.of('error')).toEqual([]);
      expect(t.logs.of('debug')).toContain('@FeatureFlag("checkout") denied graphql OrderResolver.order: the flag is disabled (NO_RULE_MATCHED)');
    });

    it('fails closed without a user', async () => {
      const response = await gql(t.url, '{ order(id: "7") { id } }');
      expect(response.errors).toEqual([expect.objectContaining(denial('checkout', ['order']))]);
      expect(t.logs.of('debug')).toContain('Feature "checkout" treated as disabled: the request has no user id');
    });

    it('gates mutations the same way', async () => {
      await expect(gql(t.url, 'mutation { placeOrder(total: 5) { id total } }', 'ann')).resolves.toEqual({ data: { placeOrder: { id: 'placed', total: 5 } } });
      const denied = await gql(t.url, 'mutation { placeOrder(total: 5) { id } }', 'bob');
      expect(denied.errors).toEqual([expect.objectContaining(denial('checkout', ['placeOrder']))]);
    });

    it('honours @SkipFeatureFlag on a query of a gated resolver', async () => {
      await expect(gql(t.url, '{ publicOrder { id total currency } }', 'bob')).resolves.toEqual({ data: { publicOrder: { id: 'public', total: 1, currency: 'EUR' } } });
      await expect(gql(t.url, '{ publicOrder { id } }')).resolves.toEqual({ data: { publicOrder: { id: 'public' } } });
    });

    it('guards field resolvers without fieldResolverEnhancers: the class’s flag, with @FlagVariable', async () => {
      await expect(gql(t.url, '{ publicOrder { layout } }', 'alice')).resolves.toEqual({ data: { publicOrder: { layout: 'v2' } } });
      const denied = await gql(t.url, '{ publicOrder { id layout } }', 'bob');
      // A non-null field's error nulls its parent (here up to data), as GraphQL does for any resolver error.
      expect(denied).toEqual({ data: null, errors: [expect.objectContaining(denial('checkout', ['publicOrder', 'layout']))] });
    });

    it('guards field resolvers with their own flag, including those @nestjs/graphql would call directly', async () => {
      await expect(gql(t.url, '{ publicOrder { discount coupon } }', 'bob')).resolves.toEqual({ data: { publicOrder: { discount: 'public: 10%', coupon: 'BETA' } } });
      const denied = await gql(t.url, '{ publicOrder { id discount coupon } }', 'alice');
      expect(denied.data).toEqual({ publicOrder: { id: 'public', discount: null, coupon: null } });
      expect(denied.errors).toEqual([
        expect.objectContaining(denial('beta', ['publicOrder', 'discount'])),
        expect.objectContaining(denial('beta', ['publicOrder', 'coupon'])),
      ]);
      const anonymous = await gql(t.url, '{ publicOrder { id coupon } }');
      expect(anonymous.errors).toEqual([expect.objectContaining(denial('beta', ['publicOrder', 'coupon']))]);
    });

    it('injects @Flag in a resolver without a gate', async () => {
      await expect(gql(t.url, '{ checkoutFlag }', 'ann')).resolves.toEqual({ data: { checkoutFlag: true } });
      await expect(gql(t.url, '{ checkoutFlag }', 'bob')).resolves.toEqual({ data: { checkoutFlag: false } });
    });

    it('lets a decorator’s exception override the native denial', async () => {
      const response = await gql(t.url, '{ custom }', 'alice');
      expect(response.errors).toEqual([expect.objectContaining({ message: 'custom denial of off', path: ['custom'] })]);
    });

    it('makes the request’s user current in resolvers and field resolvers: 40 parallel requests, no mix-ups', async () => {
      const responses = await Promise.all(MANY_USERS.map((user) => gql(t.url, '{ whoami { id checkout } publicOrder { seenBy { id checkout } } }', user)));
      expect(responses).toEqual(
        MANY_USERS.map((user) => ({ data: { whoami: expectedWhoAmI(user), publicOrder: { seenBy: expectedWhoAmI(user) } } })),
      );
    });
  });

  describe('with fieldResolverEnhancers: [\'guards\'] (Nest runs the guard on fields itself)', () => {
    let t: GraphQLTestApp;

    beforeAll(async () => {
      t = await createGraphQLApp({}, { fieldResolverEnhancers: ['guards'] });
    });
    afterAll(() => t.app.close());

    it('gates fields once, with the same answers', async () => {
      await expect(gql(t.url, '{ publicOrder { discount } }', 'bob')).resolves.toEqual({ data: { publicOrder: { discount: 'public: 10%' } } });
      const denied = await gql(t.url, '{ publicOrder { id discount } }', 'ann');
      expect(denied.errors).toEqual([expect.objectContaining(denial('beta', ['publicOrder', 'discount']))]);
      const many = await Promise.all(MANY_USERS.slice(0, 10).map((user) => gql(t.url, '{ publicOrder { seenBy { id checkout } } }', user)));
      expect(many).toEqual(MANY_USERS.slice(0, 10).map((user) => ({ data: { publicOrder: { seenBy: expectedWhoAmI(user) } } })));
    });
  });

  it('gates fields of an app built after another app with fieldResolverEnhancers, while both are alive', async () => {
    // Field middleware sits on the resolver class, shared by every app in the process: the newest app decides.
    const withEnhancers = await createGraphQLApp({}, { fieldResolverEnhancers: ['guards'] });
    const plain = await createGraphQLApp();
    try {
      const denied = await gql(plain.url, '{ publicOrder { id layout } }', 'bob');
      expect(denied).toEqual({ data: null, errors: [expect.objectContaining(denial('checkout', ['publicOrder', 'layout']))] });
      await plain.app.close();
      // The older app answers for its fields again once the newer one is gone.
      const deniedByOlder = await gql(withEnhancers.url, '{ publicOrder { id layout } }', 'bob');
      expect(deniedByOlder.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FEATURE_DISABLED' }) })]);
    } finally {
      await plain.app.close().catch(() => undefined);
      await withEnhancers.app.close();
    }
  });

  describe('in development (Apollo sends stack traces)', () => {
    let t: GraphQLTestApp;

    beforeAll(async () => {
      t = await createGraphQLApp({}, { includeStacktraceInErrorResponses: true });
    });
    afterAll(() => t.app.close());

    it('sends no stack frames with a denial', async () => {
      const response = await gql(t.url, '{ order(id: "1") { id } }', 'bob');
      expect(response.errors?.[0].extensions).toEqual({
        code: 'FEATURE_DISABLED',
        featureKey: 'checkout',
        stacktrace: ['FeatureDisabledError: Feature "checkout" is not enabled'],
      });
    });
  });

  it('fails boot, naming the handlers, when a gated resolver is made by a factory provider (Nest would apply no guard)', async () => {
    const factoryMade = { provide: 'callers', inject: [VWOService], useFactory: (vwo: VWOService) => new CallerResolver(vwo) };
    await expect(createGraphQLApp({}, {}, [factoryMade])).rejects.toThrow(
      '@FeatureFlag cannot guard CallerResolver.whoami, CallerResolver.custom: made by a factory provider, to which Nest applies no class guard. Provide the class itself (providers: [MyResolver]).',
    );
  });
});
