import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RouteAction } from '../auth/permissions.js';
import type { AppContext, Caller } from '../context.js';

/** The Fastify instance every module registers its routes on. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs; every /api route must declare one. */
    action?: RouteAction;
  }
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyInstance {
    ctx: AppContext;
    /** Every route registered, for the route-coverage and authorization-matrix tests. */
    routeTable: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  action: RouteAction | undefined;
  hasParams: boolean;
}
