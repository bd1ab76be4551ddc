import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { passwordGate } from './modules/accounts/password-gate.js';
import requestRoutes from './modules/accounts/requests-routes.js';
import accountsRoutes from './modules/accounts/routes.js';
import userRoutes from './modules/accounts/users-routes.js';
import notificationRoutes from './modules/notifications/routes.js';
import open311KeyRoutes from './modules/open311/keys-routes.js';
import open311Routes from './modules/open311/routes.js';
import gridRoutes from './modules/org/grid-routes.js';
import lookupRoutes from './modules/org/lookup-routes.js';
import orgRoutes from './modules/org/routes.js';
import partyCheckInRoutes from './modules/party/check-in-routes.js';
import partyJointCommitteeRoutes from './modules/party/joint-committee-routes.js';
import partyPointsRoutes from './modules/party/points-routes.js';
import partyRoutes from './modules/party/routes.js';
import partyShopRoutes from './modules/party/shop-routes.js';
import residentExchangeRoutes from './modules/people/exchange-routes.js';
import peopleGridRoutes from './modules/people/grid-routes.js';
import houseRoutes from './modules/people/houses-routes.js';
import residentRoutes from './modules/people/routes.js';
import residentTransferRoutes from './modules/people/transfer-routes.js';
import systemRoutes from './modules/system/routes.js';
import hotlineRoutes from './modules/work-orders/hotline-routes.js';
import workOrderRoutes from './modules/work-orders/routes.js';
import workOrderStatsRoutes from './modules/work-orders/stats-routes.js';
import auditRoutes from './platform/audit/routes.js';
import calendarRoutes from './platform/calendar/routes.js';
import type { AppContext } from './platform/context.js';
import fileRoutes from './platform/files/routes.js';
import { authentication } from './platform/http/authentication.js';
import { compression } from './platform/http/compression.js';
import { csrf } from './platform/http/csrf.js';
import { errorHandling, frameworkErrors } from './platform/http/errors.js';
import { inputGuard } from './platform/http/input-guard.js';
import { loggerOptions } from './platform/http/logging.js';
import { openapi } from './platform/http/openapi.js';
import { routeTable } from './platform/http/route-table.js';
import { security } from './platform/http/security.js';
import { requestTurns } from './platform/http/turns.js';
import type { App } from './platform/http/types.js';
import { webApp } from './platform/http/web.js';
import jobRoutes from './platform/jobs/routes.js';
import { version } from './version.js';

z.config(z.locales.zhCN());

export interface BuildOptions {
  logger?: boolean;
  /** Serve the built web app (the server does; API tests need not). */
  serveWeb?: boolean;
  /** Where log lines go (tests capture them); default stdout. */
  logStream?: { write(line: string): void };
}

/** The HTTP application, read top to bottom: platform concerns, then each domain's routes. */
export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : { ...loggerOptions(ctx.config.LOG_LEVEL), ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: 2 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    trustProxy: ctx.config.TRUST_PROXY ?? false,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);

  await app.register(routeTable);
  await app.register(requestTurns);
  await app.register(errorHandling);
  await app.register(security);
  await app.register(compression);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: ctx.config.UPLOAD_MAX_BYTES, files: 9, fields: 50 } });
  await app.register(rateLimit, { global: false });
  await app.register(openapi, { version });
  await app.register(csrf);
  await app.register(authentication);
  await app.register(passwordGate);
  await app.register(inputGuard);

  await app.register(systemRoutes, { prefix: '/api' });
  await app.register(accountsRoutes, { prefix: '/api' });
  await app.register(userRoutes, { prefix: '/api' });
  await app.register(requestRoutes, { prefix: '/api' });
  await app.register(notificationRoutes, { prefix: '/api' });
  await app.register(orgRoutes, { prefix: '/api' });
  await app.register(gridRoutes, { prefix: '/api' });
  await app.register(lookupRoutes, { prefix: '/api' });
  await app.register(residentRoutes, { prefix: '/api' });
  await app.register(workOrderRoutes, { prefix: '/api' });
  await app.register(workOrderStatsRoutes, { prefix: '/api' });
  await app.register(hotlineRoutes, { prefix: '/api' });
  await app.register(houseRoutes, { prefix: '/api' });
  await app.register(residentExchangeRoutes, { prefix: '/api' });
  await app.register(peopleGridRoutes, { prefix: '/api' });
  await app.register(residentTransferRoutes, { prefix: '/api' });
  await app.register(partyRoutes, { prefix: '/api' });
  await app.register(partyPointsRoutes, { prefix: '/api' });
  await app.register(partyShopRoutes, { prefix: '/api' });
  await app.register(partyCheckInRoutes, { prefix: '/api' });
  await app.register(partyJointCommitteeRoutes, { prefix: '/api' });
  await app.register(auditRoutes, { prefix: '/api' });
  await app.register(calendarRoutes, { prefix: '/api' });
  await app.register(fileRoutes, { prefix: '/api' });
  await app.register(jobRoutes, { prefix: '/api' });
  await app.register(open311KeyRoutes, { prefix: '/api' });
  await app.register(open311Routes, { prefix: '/open311/v2' });

  await app.register(webApp, { enabled: opts.serveWeb ?? false });
  return app;
}
