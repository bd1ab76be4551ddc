/**
 * What a resident (and an Open311 client) is told about each event: a sentence in plain words,
 * never the staff's internal note. Staff write notes for each other (派单 and 吹哨 remarks, 核实
 * notes); only words addressed to the reporter are passed on: the reply with 办结, the reason for
 * 不予受理, the reporter's own words with 评价, and a `publicText` a staff member wrote for them.
 */
import type { EventType, Outcome, Rating, Status } from './workflow.js';

export interface PublicEventInput {
  type: EventType;
  /** The status before the event (tells 受理 from the handler's 签收). */
  before: Status | null;
  data: {
    text?: string;
    reason?: string;
    publicText?: string;
    outcome?: Outcome;
    rating?: Rating;
    handlerName?: string;
    satisfied?: boolean;
  };
  /** The name of the department an 报到 or 回复 came from. */
  departmentName?: string | null;
}

const ratingNames: Record<Rating, string> = {
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  unsatisfied: '不满意',
};
const outcomeNames: Record<Outcome, string> = {
  resolved: '问题已解决',
  explained: '已向您解释说明',
  notOurs: '不属于本级受理范围',
  duplicate: '与其他相同诉求合并办理',
};

/** The event's label for residents: its type, or `signed` when the handler signs for the order. */
export const publicLabel = (type: EventType, before: Status | null) =>
  type === 'accepted' && before && before !== 'submitted' ? 'signed' : type;

const names: Record<string, string> = {
  created: '已提交',
  accepted: '已受理',
  signed: '开始办理',
  rejected: '不予受理',
  merged: '合并办理',
  dispatched: '已派单',
  transferred: '已转派',
  returned: '重新派单',
  whistled: '部门协同',
  acknowledged: '部门响应',
  replied: '部门答复',
  resolved: '已办结',
  verified: '已核实',
  verificationFailed: '继续办理',
  closed: '已结案',
  rated: '评价',
  followedUp: '已回访',
  reopened: '重新办理',
  supervised: '督办',
  commented: '备注',
};

/** The name a resident reads for an event. */
export const publicName = (type: EventType, before: Status | null) => names[publicLabel(type, before)];

const join = (sentence: string, words?: string) =>
  words?.trim() ? `${sentence}：${words.trim()}` : sentence;

/** The sentence a resident reads for an event, or null for events they do not see (internal notes). */
export function publicText(e: PublicEventInput): string | null {
  const d = e.data;
  const written = d.publicText?.trim();
  const say = (sentence: string) => (written ? `${sentence}：${written}` : sentence);
  const unit = d.handlerName ? `“${d.handlerName}”` : '承办单位';
  const department = e.departmentName ? `“${e.departmentName}”` : '相关部门';
  switch (e.type) {
    case 'commented':
      return written ?? null;
    case 'created':
      return say('诉求已提交，等待社区受理');
    case 'accepted':
      return say(
        publicLabel(e.type, e.before) === 'signed' ? '承办单位已接手，正在办理' : '社区已受理，正在安排办理',
      );
    case 'rejected':
      return join('不予受理', written ?? d.reason);
    case 'merged':
      return say('与其他群众反映的相同问题合并办理，结果会一并告知');
    case 'dispatched':
      return say(`已交由${unit}办理`);
    case 'transferred':
      return say(`已转交${unit}办理`);
    case 'returned':
      return say('正在重新安排承办单位');
    case 'whistled':
      return say('社区已请相关职能部门协同办理');
    case 'acknowledged':
      return say(`${department}已响应，参与办理`);
    case 'replied':
      return say(`${department}已提出处理意见`);
    case 'resolved':
      return join('已办理完毕', written ?? d.text);
    case 'verified':
      return say('社区已核实办理结果');
    case 'verificationFailed':
      return say('核实发现问题尚未解决，正在继续办理');
    case 'closed':
      return say(`已结案，${d.outcome ? outcomeNames[d.outcome] : '办理结束'}`);
    case 'rated':
      return join(`评价：${d.rating ? ratingNames[d.rating] : ''}`, d.text);
    case 'followedUp':
      return say('社区已回访');
    case 'reopened':
      return say('已重新办理');
    case 'supervised':
      return say('上级已督办，要求加快办理');
  }
}
