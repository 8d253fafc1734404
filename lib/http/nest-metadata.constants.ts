/**
 * Metadata keys of Nest's packages that the module reads or extends without importing those packages
 * (GraphQL, microservices and WebSockets are optional peers). Stable across Nest 10 to 12.
 */
export const GUARDS_METADATA = '__guards__';
export const INTERCEPTORS_METADATA = '__interceptors__';
/** @MessagePattern / @EventPattern (@nestjs/microservices). */
export const RPC_PATTERN_METADATA = 'microservices:pattern';
/** @SubscribeMessage (@nestjs/websockets). */
export const WS_MESSAGE_MAPPING_METADATA = 'websockets:message_mapping';
/** @Query / @Mutation / @Subscription on a method (@nestjs/graphql). */
export const GRAPHQL_RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
/** @ResolveField (@nestjs/graphql). */
export const GRAPHQL_FIELD_RESOLVER_METADATA = 'graphql:resolve_property';
/** The field middleware of a @ResolveField method (@nestjs/graphql). */
export const GRAPHQL_FIELD_MIDDLEWARE_METADATA = 'graphql:field_resolver_middleware';
/** The injection token of GraphQLModule's options (@nestjs/graphql). */
export const GRAPHQL_MODULE_OPTIONS = 'GqlModuleOptions';
