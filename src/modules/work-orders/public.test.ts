import { describe, expect, it } from 'vitest';
import { publicLabel, publicName, publicText } from './public.js';
import { eventTypes } from './workflow.js';

describe('what a resident reads of each event', () => {
  it('never passes on a staff note, except the words meant for the reporter', () => {
    const note = '内部：此户难沟通';
    for (const type of eventTypes) {
      const text = publicText({ type, before: 'dispatched', data: { text: note, reason: note } });
      if (type === 'resolved' || type === 'rejected' || type === 'rated') expect(text).toContain(note);
      else expect(text ?? '').not.toContain(note);
    }
  });

  it('says in words who has it and what happened', () => {
    expect(publicText({ type: 'dispatched', before: 'accepted', data: { handlerName: '第5网格' } })).toBe(
      '已交由“第5网格”办理',
    );
    expect(
      publicText({
        type: 'rated',
        before: 'closed',
        data: { rating: 'basicallySatisfied', text: '修得挺快' },
      }),
    ).toBe('评价：基本满意：修得挺快');
    expect(publicText({ type: 'closed', before: 'resolved', data: { outcome: 'explained' } })).toBe(
      '已结案，已向您解释说明',
    );
    expect(publicText({ type: 'commented', before: 'closed', data: { text: '内部' } })).toBeNull();
    expect(
      publicText({ type: 'dispatched', before: 'accepted', data: { publicText: '明天上午到现场' } }),
    ).toBe('已交由承办单位办理：明天上午到现场');
  });

  it('tells the handler’s 签收 from the community’s 受理', () => {
    expect([publicLabel('accepted', 'submitted'), publicName('accepted', 'submitted')]).toEqual([
      'accepted',
      '已受理',
    ]);
    expect([publicLabel('accepted', 'dispatched'), publicName('accepted', 'dispatched')]).toEqual([
      'signed',
      '开始办理',
    ]);
  });
});
