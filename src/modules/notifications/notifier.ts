import type { FastifyBaseLogger } from 'fastify';
import { maskPiiInText } from '../../platform/pii-text.js';

/** A message leaving the system (SMS, WeChat template message) for one user. */
export interface OutboundMessage {
  userId: string;
  kind: string;
  title: string;
  body?: string | null;
}

/**
 * The seam for SMS and WeChat providers. A deployment plugs in its provider; until then messages
 * are written to the log (masked), so nothing pretends to have been sent.
 */
export interface Notifier {
  readonly channel: string;
  send(message: OutboundMessage): Promise<void>;
}

export class LogNotifier implements Notifier {
  readonly channel = 'log';
  constructor(private log: Pick<FastifyBaseLogger, 'info'>) {}

  async send(m: OutboundMessage) {
    this.log.info(
      { notify: { userId: m.userId, kind: m.kind, title: maskPiiInText(m.title) } },
      'notification (no SMS/WeChat provider configured)',
    );
  }
}
