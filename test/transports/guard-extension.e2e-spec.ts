import { Controller, ForbiddenException, Get, Injectable } from '@nestjs/common';
import { Field, ObjectType, Query, ResolveField, Resolver } from '@nestjs/graphql';
import request from 'supertest';
import { createFeatureFlagDecorator, FeatureFlagGuard, type FeatureFlagMetadata, type FeatureFlagOptions } from '../../lib/http';
import { GUARDS_METADATA } from '../../lib/http/nest-metadata.constants';
import type { VWOService } from '../../lib/vwo.service';
import { createHttpTestApp } from '../http/support/http-test-app';
import { createGraphQLApp, gql, type GraphQLTestApp } from './support/graphql-app';

type VWOFlag = Awaited<ReturnType<VWOService['getFlag']>>;

/** A subclass that counts its checks and answers its own way. */
@Injectable()
class StaffFeatureFlagGuard extends FeatureFlagGuard {
  static checks = 0;

  protected override isAllowed(flag: VWOFlag, options: FeatureFlagOptions): boolean {
    StaffFeatureFlagGuard.checks++;
    return super.isAllowed(flag, options);
  }

  protected override createDeniedException(metadata: FeatureFlagMetadata): Error {
    const message = `staff only: ${metadata.featureKey}`;
    return new ForbiddenException(message);
  }
}

const StaffFeatureFlag = createFeatureFlagDecorator(StaffFeatureFlagGuard);

@Controller('staff')
class StaffController {
  @StaffFeatureFlag('checkout')
  @Get()
  index(): { page: string } {
    return { page: 'staff' };
  }
}

@ObjectType()
class Board {
  @Field(() => String)
  name!: string;
}

@Resolver(() => Board)
class BoardResolver {
  @Query(() => Board)
  board(): Board {
    return { name: 'board' };
  }

  @StaffFeatureFlag('beta')
  @ResolveField(() => String, { nullable: true })
  secret(): string {
    return 'secret';
  }
}

describe('extending FeatureFlagGuard with createFeatureFlagDecorator', () => {
  beforeEach(() => {
    StaffFeatureFlagGuard.checks = 0;
  });

  it('attaches the subclass only (not FeatureFlagGuard too)', () => {
    expect(Reflect.getMetadata(GUARDS_METADATA, StaffController.prototype.index)).toEqual([StaffFeatureFlagGuard]);
  });

  it('runs the subclass on routes, with its own answer', async () => {
    const app = await createHttpTestApp('express', { controllers: [StaffController] });
    try {
      await request(app.getHttpServer()).get('/staff').set('x-vwo-user-id', 'alice').expect(200, { page: 'staff' });
      const denied = await request(app.getHttpServer()).get('/staff').set('x-vwo-user-id', 'bob').expect(403);
      expect(denied.body.message).toBe('staff only: checkout');
      expect(StaffFeatureFlagGuard.checks).toBe(2);
    } finally {
      await app.close();
    }
  });

  describe('on GraphQL field resolvers', () => {
    let t: GraphQLTestApp;

    beforeAll(async () => {
      t = await createGraphQLApp({}, {}, [BoardResolver]);
    });
    afterAll(() => t.app.close());

    it('runs the subclass instance Nest made for the resolver’s module', async () => {
      await expect(gql(t.url, '{ board { name secret } }', 'bob')).resolves.toEqual({ data: { board: { name: 'board', secret: 'secret' } } });
      const denied = await gql(t.url, '{ board { name secret } }', 'alice');
      expect(denied.data).toEqual({ board: { name: 'board', secret: null } });
      expect(denied.errors).toEqual([expect.objectContaining({ message: 'staff only: beta', path: ['board', 'secret'] })]);
      expect(StaffFeatureFlagGuard.checks).toBe(2);
    });
  });
});
