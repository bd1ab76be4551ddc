import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier, OutboundMessage } from '../../src/modules/notifications/notifier.js';
import { dispatchPending, notify, usersWithRole } from '../../src/modules/notifications/service.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
});
afterAll(() => t.close());

describe('notifications inbox', () => {
  it('delivers to the holders of a role at a unit, pages, counts unread and marks read', async () => {
    const a = await buildUser(t, 'communityWorker', tree.community);
    const b = await buildUser(t, 'communityWorker', tree.community);
    const elsewhere = await buildUser(t, 'communityWorker', tree.neighbourCommunity);
    const recipients = await usersWithRole(t.ctx.db, 'communityWorker', tree.community.id);
    expect(recipients.sort()).toEqual([a.user.id, b.user.id].sort());

    await t.ctx.db.transaction(async (tx) => {
      for (let i = 1; i <= 3; i++)
        await notify(tx, t.ctx, {
          userIds: recipients,
          kind: 'workOrder.assigned',
          title: `新工单 GD2026112500${i}`,
          link: `/work-orders/${i}`,
        });
    });
    const inbox = (url: string, headers: object) =>
      t.app.inject({ url, headers: headers as any }).then((r) => r.json());
    const first = await inbox('/api/notifications?pageSize=2', a.headers);
    expect(first.total).toBe(3);
    expect(first.items.map((n: any) => n.title)).toEqual(['新工单 GD20261125003', '新工单 GD20261125002']);
    expect(await inbox('/api/notifications/unread-count', a.headers)).toEqual({ unread: 3 });
    expect((await inbox('/api/notifications', elsewhere.headers)).total).toBe(0);

    const id = first.items[0].id;
    // Someone else's message does not exist for you.
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/notifications/${id}/read`,
      headers: b.headers,
    });
    expect(foreign.statusCode).toBe(404);
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/notifications/${id}/read`,
      headers: a.headers,
    });
    expect(read.json()).toEqual({ updated: 1 });
    expect((await inbox('/api/notifications?unread=true', a.headers)).total).toBe(2);
    const all = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: a.headers,
    });
    expect(all.json()).toEqual({ updated: 2 });
    expect(await inbox('/api/notifications/unread-count', b.headers)).toEqual({ unread: 3 });
  });

  it('leaves nothing behind when the change it reports is rolled back', async () => {
    const a = await buildUser(t, 'gridWorker', tree.grid);
    await t.ctx.db
      .transaction(async (tx) => {
        await notify(tx, t.ctx, { userIds: [a.user.id], kind: 'workOrder.assigned', title: '不会出现' });
        throw new Error('rolled back');
      })
      .catch(() => {});
    const res = await t.app.inject({ url: '/api/notifications', headers: a.headers });
    expect(res.json().total).toBe(0);
  });

  it('sends committed messages to the outbound channels once each', async () => {
    const a = await buildUser(t, 'gridWorker', tree.grid);
    await dispatchPending(t.ctx.db, []); // earlier tests' messages
    await notify(t.ctx.db, t.ctx, {
      userIds: [a.user.id, a.user.id],
      kind: 'workOrder.overdue',
      title: '工单已超期',
    });
    const sent: OutboundMessage[] = [];
    const channel: Notifier = { channel: 'test', send: async (m) => void sent.push(m) };
    expect(await dispatchPending(t.ctx.db, [channel])).toBe(1);
    expect(await dispatchPending(t.ctx.db, [channel])).toBe(0);
    expect(sent).toEqual([
      expect.objectContaining({ userId: a.user.id, kind: 'workOrder.overdue', title: '工单已超期' }),
    ]);
  });
});
