import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { INestApplication, Module, Provider } from '@nestjs/common';
import { Args, Field, GraphQLModule, ID, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import { FeatureFlag, Flag, FlagVariable, SkipFeatureFlag } from '../../../lib/http';
import type { VWOModuleOptions } from '../../../lib/options/vwo-module-options.interface';
import { VWOModule } from '../../../lib/vwo.module';
import { VWOService } from '../../../lib/vwo.service';
import { vwoTestOptions } from '../../http/support/http-test-app';
import { LogCollector, whoAmI, type WhoAmI } from './transport-test-kit';

type VWOFlag = Awaited<ReturnType<VWOService['getFlag']>>;

@ObjectType()
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => Number)
  total!: number;
}

@ObjectType()
class Caller implements WhoAmI {
  @Field(() => String, { nullable: true })
  id!: string | null;

  @Field(() => Boolean)
  checkout!: boolean;
}

/** Gated as a whole by "checkout" (alice, ann): queries, mutations and field resolvers alike. */
@FeatureFlag('checkout')
@Resolver(() => Order)
export class OrderResolver {
  constructor(private readonly vwo: VWOService) {}

  @Query(() => Order)
  order(@Args('id', { type: () => ID }) id: string): Order {
    return { id, total: 42 };
  }

  @SkipFeatureFlag()
  @Query(() => Order)
  publicOrder(): Order {
    return { id: 'public', total: 1 };
  }

  @Mutation(() => Order)
  placeOrder(@Args('total', { type: () => Number }) total: number): Order {
    return { id: 'placed', total };
  }

  /** Gated by the class's flag, with a variable of it. */
  @ResolveField(() => String)
  layout(@FlagVariable('checkout', 'layout', 'v1') layout: string): string {
    return layout;
  }

  /** Its own flag ("beta": bob only) replaces the class's. */
  @FeatureFlag('beta')
  @ResolveField(() => String, { nullable: true })
  discount(@Parent() order: Order): string {
    return `${order.id}: 10%`;
  }

  /** No parameter decorators: the resolver @nestjs/graphql calls directly (its fast path) when nothing wraps it. */
  @FeatureFlag('beta')
  @ResolveField(() => String, { nullable: true })
  coupon(): string {
    return 'BETA';
  }

  @SkipFeatureFlag()
  @ResolveField(() => String)
  currency(): string {
    return 'EUR';
  }

  /** VWOService without a context, inside a gated field resolver. */
  @FeatureFlag('everyone')
  @ResolveField(() => Caller)
  seenBy(): Promise<WhoAmI> {
    return whoAmI(this.vwo);
  }
}

/** Handler-level flags on a resolver without a class flag. */
@Resolver()
export class CallerResolver {
  constructor(private readonly vwo: VWOService) {}

  @FeatureFlag('everyone')
  @Query(() => Caller)
  whoami(): Promise<WhoAmI> {
    return whoAmI(this.vwo);
  }

  @Query(() => Boolean)
  checkoutFlag(@Flag('checkout') flag: VWOFlag): boolean {
    return flag.isEnabled();
  }

  @FeatureFlag('off', { exception: (key) => new Error(`custom denial of ${key}`) })
  @Query(() => Boolean)
  custom(): boolean {
    return true;
  }
}

export interface GraphQLTestApp {
  app: INestApplication;
  url: string;
  logs: LogCollector;
}

/** A Nest app with code-first Apollo (in-memory schema) and VWOModule offline, listening on 127.0.0.1. */
export async function createGraphQLApp(
  vwo: Partial<VWOModuleOptions> = {},
  gql: Partial<ApolloDriverConfig> = {},
  resolvers: Provider[] = [OrderResolver, CallerResolver],
): Promise<GraphQLTestApp> {
  const logs = new LogCollector();
  @Module({
    imports: [
      VWOModule.forRoot(vwoTestOptions({ logger: logs, ...vwo })),
      GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, playground: false, ...gql }),
    ],
    providers: resolvers,
  })
  class GraphQLAppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [GraphQLAppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: logs });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close();
    throw err;
  }
  return { app, url: `${await app.getUrl()}/graphql`, logs };
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

/** POSTs one operation as a GraphQL client does, with the user in the default header (none if undefined). */
export async function gql(url: string, query: string, userId?: string): Promise<GraphQLResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (userId !== undefined) headers['x-vwo-user-id'] = userId;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return (await response.json()) as GraphQLResponse;
}
