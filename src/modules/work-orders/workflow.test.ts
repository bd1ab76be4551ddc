import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  type Capability,
  check,
  type EventType,
  eventLabel,
  initialState,
  isProblem,
  project,
  rules,
  statuses,
  TransitionRefused,
  transition,
  type WorkOrderEvent,
  type WorkOrderState,
} from './workflow.js';

const everyone = new Set<Capability>([
  'reporter',
  'triage',
  'dispatch',
  'handler',
  'verify',
  'whistle',
  'whistled',
  'supervise',
  'followUp',
  'staff',
]);
let clock = Date.parse('2026-11-24T08:00:00+08:00');
const at = () => {
  clock += 60_000;
  return new Date(clock);
};

/** A well-formed event of each type (the data each one needs). */
function event(type: EventType, s?: WorkOrderState): WorkOrderEvent {
  const base = { type, at: at(), actorId: 'u1' };
  switch (type) {
    case 'dispatched':
      return { ...base, handler: { unitId: 'grid-1', userId: null }, dueAt: new Date(clock + 86_400_000) };
    case 'transferred':
      return { ...base, handler: { unitId: `dept-${clock}`, userId: null }, reason: '属部门职责' };
    case 'rejected':
    case 'returned':
    case 'verificationFailed':
    case 'reopened':
      return { ...base, reason: '理由' };
    case 'merged':
      return { ...base, mergedInto: 'wo-0' };
    case 'whistled':
      return { ...base, departments: ['dept-a', 'dept-b'] };
    case 'acknowledged':
      return { ...base, departmentId: s?.whistles.find((w) => !w.acknowledgedAt)?.departmentId ?? 'dept-a' };
    case 'replied':
      return { ...base, departmentId: 'dept-a' };
    case 'resolved':
    case 'closed':
      return { ...base, outcome: 'resolved' };
    case 'rated':
      return { ...base, rating: 'satisfied' };
    case 'followedUp':
      return { ...base, satisfied: true };
    default:
      return base;
  }
}

const created = () => initialState({ type: 'created', at: at() });
/** Walks the happy path to each status, so every (state, event) pair can be tried. */
const paths: Record<string, EventType[]> = {
  submitted: [],
  accepted: ['accepted'],
  dispatched: ['accepted', 'dispatched'],
  inProgress: ['accepted', 'dispatched', 'accepted'],
  resolved: ['accepted', 'dispatched', 'accepted', 'resolved'],
  closed: ['accepted', 'dispatched', 'accepted', 'resolved', 'verified'],
};
function reach(status: string): WorkOrderState {
  let s = created();
  for (const type of paths[status]) s = transition(s, event(type, s), everyone);
  expect(s.status).toBe(status);
  return s;
}

describe('work-order state machine', () => {
  it('allows exactly the events of the table in each state, and refuses the rest with a reason', () => {
    for (const status of statuses) {
      for (const type of Object.keys(rules) as (keyof typeof rules)[]) {
        const s = reach(status);
        const e = event(
          type,
          type === 'acknowledged'
            ? {
                ...s,
                whistles: [
                  { departmentId: 'dept-a', at: s.createdAt, acknowledgedAt: null, repliedAt: null },
                ],
              }
            : s,
        );
        const withWhistle =
          type === 'acknowledged'
            ? {
                ...s,
                whistles: [
                  { departmentId: 'dept-a', at: s.createdAt, acknowledgedAt: null, repliedAt: null },
                ],
              }
            : s;
        const allowed = rules[type].from.includes(status);
        if (allowed) expect(() => check(withWhistle, e, everyone), `${type} in ${status}`).not.toThrow();
        else {
          const err = (() => {
            try {
              check(withWhistle, e, everyone);
            } catch (x) {
              return x as TransitionRefused;
            }
          })();
          expect(err, `${type} in ${status}`).toBeInstanceOf(TransitionRefused);
          expect(err!.reason).toBe('state');
          expect(err!.message).toMatch(/不能/);
        }
      }
    }
  });

  it('refuses an event from someone without the capability for it', () => {
    const s = reach('submitted');
    expect(() => check(s, event('accepted'), new Set(['handler']))).toThrow(/您不能对此工单执行“受理”/);
    const dispatched = reach('dispatched');
    // In `dispatched`, accepting is the handler signing for it, not the triage.
    expect(() => check(dispatched, event('accepted'), new Set(['triage']))).toThrow(TransitionRefused);
    expect(() => check(dispatched, event('accepted'), new Set(['handler']))).not.toThrow();
    expect(() => check(reach('closed'), event('rated'), new Set(['staff']))).toThrow(/评价/);
  });

  it('runs the full loop and records rework, returns and the honest outcome', () => {
    let s = created();
    const step = (type: EventType, extra: Partial<WorkOrderEvent> = {}) => {
      s = transition(s, { ...event(type, s), ...extra }, everyone);
    };
    step('accepted');
    step('dispatched');
    step('returned');
    expect(s).toMatchObject({ status: 'accepted', returnCount: 1, handler: null });
    step('dispatched');
    step('whistled');
    step('acknowledged', { departmentId: 'dept-a' });
    step('accepted');
    step('resolved', { outcome: 'explained' });
    step('verificationFailed');
    expect(s).toMatchObject({ status: 'inProgress', reworkCount: 1, outcome: null });
    step('resolved', { outcome: 'resolved' });
    step('verified');
    expect(s).toMatchObject({ status: 'closed', outcome: 'resolved' });
    step('rated', { rating: 'unsatisfied' });
    expect(() => transition(s, event('rated'), everyone)).toThrow(/已评价过/);
    step('followedUp', { satisfied: false });
    step('reopened');
    expect(s).toMatchObject({ status: 'accepted', rating: null, outcome: null });
    expect(s.whistles[0].acknowledgedAt).not.toBeNull();
    expect(s.whistles[1].acknowledgedAt).toBeNull();
  });

  it('flags problem work orders: three returns, three reworks, or three units without a lead', () => {
    let s = reach('accepted');
    for (let i = 0; i < 3; i++) {
      s = transition(s, event('dispatched'), everyone);
      s = transition(s, event('returned'), everyone);
    }
    expect(isProblem(s)).toBe(true);
    let t = reach('dispatched');
    t = transition(t, event('transferred'), everyone);
    t = transition(t, event('transferred'), everyone);
    expect(t.handlerUnits).toHaveLength(3);
    expect(isProblem(t)).toBe(true);
    expect(isProblem(reach('inProgress'))).toBe(false);
  });

  it('projects any valid random sequence to the state reached step by step, with invariants', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (choices) => {
        const log: WorkOrderEvent[] = [{ type: 'created', at: at() }];
        let s = initialState(log[0]);
        for (const choice of choices) {
          const waiting = s.whistles.find((w) => !w.acknowledgedAt)?.departmentId;
          const possible = allowedEvents(s, everyone, waiting);
          if (possible.length === 0) break;
          const e = event(possible[choice % possible.length], s);
          s = transition(s, e, everyone);
          log.push(e);
          // Invariants of every reachable state.
          expect(s.status === 'closed').toBe(s.closedAt !== null);
          if (s.status === 'closed') expect(s.outcome).not.toBeNull();
          if (s.rating) expect(s.status).toBe('closed');
          expect(s.reworkCount).toBe(log.filter((x) => x.type === 'verificationFailed').length);
        }
        expect(project(log)).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses random events that are not allowed, leaving the state unchanged', () => {
    const types = Object.keys(rules) as (keyof typeof rules)[];
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(...types), (status, type) => {
        const s = reach(status);
        const e = event(type, s);
        const before = structuredClone(s);
        const ok = allowedEvents(s, everyone, e.departmentId).includes(type);
        try {
          const next = transition(s, e, everyone);
          expect(ok).toBe(true);
          expect(next).not.toBe(s);
        } catch (err) {
          expect(err).toBeInstanceOf(TransitionRefused);
        }
        expect(s).toEqual(before);
      }),
    );
  });
  it('offers exactly the events the machine accepts now, for each kind of caller and department', () => {
    const kinds = [...everyone];
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 0, maxLength: 30 }),
        fc.subarray(kinds),
        fc.constantFrom('dept-a', 'dept-b', null),
        (choices, mine, department) => {
          let s = created();
          for (const choice of choices) {
            const waiting = s.whistles.find((w) => !w.acknowledgedAt)?.departmentId;
            const possible = allowedEvents(s, everyone, waiting);
            if (!possible.length) break;
            s = transition(s, event(possible[choice % possible.length], s), everyone);
          }
          const can = new Set(mine);
          const offered = allowedEvents(s, can, department);
          for (const type of Object.keys(rules) as (keyof typeof rules)[]) {
            const e = { ...event(type, s), ...(department ? { departmentId: department } : {}) };
            let accepted = true;
            try {
              check(s, e, can);
            } catch {
              accepted = false;
            }
            if (type === 'acknowledged' && !department) accepted = false;
            expect([type, offered.includes(type)]).toEqual([type, accepted]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the handler’s acceptance 签收 and the triage’s 受理', () => {
    expect(eventLabel('accepted', 'submitted')).toBe('受理');
    expect(eventLabel('accepted', 'dispatched')).toBe('签收');
    expect(eventLabel('dispatched', 'accepted')).toBe('派单');
  });
});
