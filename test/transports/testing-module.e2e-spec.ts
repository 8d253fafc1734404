import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { INestApplication, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import { VWOTestingModule, VWOTestingService } from '../../lib/testing';
import { gql, OrderResolver } from './support/graphql-app';

/** VWOTestingModule stands in for VWOModule: gated GraphQL fields must stay gated under it too. */
describe('@FeatureFlag on GraphQL with VWOTestingModule', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    @Module({
      imports: [
        VWOTestingModule.forRoot({ flags: { checkout: { enabled: true, variables: { layout: 'v9' } }, beta: { enabled: false } } }),
        GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, playground: false }),
      ],
      providers: [OrderResolver],
    })
    class TestingAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TestingAppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = `${await app.getUrl()}/graphql`;
  });
  afterAll(() => app.close());

  it('gates field resolvers by the test flags, and follows changes made during the test', async () => {
    const denied = await gql(url, '{ publicOrder { id layout coupon } }');
    expect(denied.data).toEqual({ publicOrder: { id: 'public', layout: 'v9', coupon: null } });
    expect(denied.errors).toEqual([expect.objectContaining({ path: ['publicOrder', 'coupon'], extensions: { code: 'FEATURE_DISABLED', featureKey: 'beta' } })]);
    app.get(VWOTestingService).enable('beta');
    await expect(gql(url, '{ publicOrder { coupon } }')).resolves.toEqual({ data: { publicOrder: { coupon: 'BETA' } } });
  });
});
