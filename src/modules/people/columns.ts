import type { Cell, ColumnSpec } from '../../platform/tabular/xlsx.js';
import {
  documentTypes,
  educations,
  ethnicGroups,
  genders,
  politicalStatuses,
  registrationTypes,
  relations,
  residenceStatuses,
  residentTags,
} from './codes.js';

/**
 * The resident workbook: columns by the Chinese header people use (order free, extra columns
 * ignored), and the code lists read back from their labels. Import and export share these, so an
 * exported file imports again unchanged.
 */
export const residentColumns = [
  { key: 'name', header: '姓名', required: true },
  { key: 'documentType', header: '证件类型' },
  {
    key: 'idNumber',
    header: '证件号码',
    aliases: ['身份证号', '身份证号码', '公民身份号码'],
    required: true,
  },
  { key: 'gender', header: '性别' },
  { key: 'birthDate', header: '出生日期' },
  { key: 'ethnicity', header: '民族' },
  { key: 'phone', header: '手机号', aliases: ['手机号码', '联系电话', '电话'] },
  { key: 'residenceStatus', header: '居住状态', aliases: ['人员类型'] },
  { key: 'politicalStatus', header: '政治面貌' },
  { key: 'education', header: '文化程度', aliases: ['学历'] },
  { key: 'employment', header: '就业状况', aliases: ['职业'] },
  { key: 'employer', header: '工作单位' },
  { key: 'healthNotes', header: '健康状况' },
  { key: 'gridCode', header: '网格编码', aliases: ['所属网格编码'] },
  { key: 'buildingCode', header: '楼栋编码' },
  { key: 'unit', header: '单元' },
  { key: 'room', header: '房号', aliases: ['门牌号', '房间号'] },
  { key: 'address', header: '房屋地址', aliases: ['地址', '居住地址', '现住址'] },
  { key: 'tags', header: '人群标签', aliases: ['标签', '特殊人群'] },
  { key: 'householdKey', header: '户号', aliases: ['户编号'] },
  { key: 'relation', header: '与户主关系', aliases: ['与户主的关系', '家庭关系'] },
  { key: 'registrationType', header: '户类型', aliases: ['户口类型'] },
] as const satisfies readonly ColumnSpec[];

export type ResidentColumn = (typeof residentColumns)[number]['key'];

export const headerOf = (key: string) => residentColumns.find((c) => c.key === key)?.header ?? key;

/** Label → code, also accepting the code itself and short forms people type (汉 for 汉族, 男 for male). */
function reverse<T extends string>(labels: Record<T, string>, extra: Record<string, T> = {}) {
  const map = new Map<string, T>();
  for (const [code, label] of Object.entries(labels) as [T, string][]) {
    map.set(code.toLowerCase(), code);
    map.set(label, code);
    for (const part of label.split('/')) map.set(part, code);
  }
  for (const [k, v] of Object.entries(extra)) map.set(k, v);
  return (text: string) => map.get(text) ?? map.get(text.toLowerCase());
}

const ethnicExtra: Record<string, string> = {};
for (const [code, label] of Object.entries(ethnicGroups)) {
  ethnicExtra[label.replace(/族$/, '')] = code;
  ethnicExtra[String(Number(code))] = code;
}

export const lookups = {
  ethnicity: reverse(ethnicGroups, ethnicExtra),
  gender: reverse(genders),
  documentType: reverse(documentTypes, {
    身份证: 'idCard',
    港澳通行证: 'hkMacaoPermit',
    台胞证: 'taiwanPermit',
  }),
  residenceStatus: reverse(residenceStatuses, { 户籍人口: 'registered', 流动人口: 'floating' }),
  politicalStatus: reverse(politicalStatuses, {
    党员: 'partyMember',
    预备党员: 'probationaryPartyMember',
    团员: 'youthLeague',
  }),
  education: reverse(educations, {
    文盲: 'none',
    中专: 'vocational',
    技校: 'vocational',
    大学本科: 'bachelor',
    研究生: 'master',
    博士: 'doctorate',
  }),
  tag: reverse(residentTags, { 孤儿: 'orphan', 事实无人抚养儿童: 'orphan' }),
  relation: reverse(relations, {
    ...Object.fromEntries(Object.keys(relations).map((c) => [String(Number(c)), c])),
    本人或户主: '02',
    户主本人: '02',
    儿子: '20',
    女儿: '30',
    丈夫: '11',
    妻子: '12',
    父: '51',
    母: '52',
    哥哥: '71',
    弟弟: '73',
    姐: '75',
    妹: '77',
    孙女婿: '46',
  }),
  registrationType: reverse(registrationTypes, { 户籍: 'registered', 非户籍: 'unregistered' }),
};

/** A cell as trimmed text (numbers as written, full-width spaces removed), or undefined when empty. */
export function cellText(v: Cell | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = (typeof v === 'number' ? String(v) : v instanceof Date ? v.toISOString() : String(v))
    .replace(/\u3000/g, ' ')
    .trim();
  return s || undefined;
}

export const splitTags = (s: string) => s.split(/[,，、;；\s]+/).filter(Boolean);
