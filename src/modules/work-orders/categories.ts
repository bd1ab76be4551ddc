/**
 * Default categories: the 数字化城管 event classes of GB/T 30428 and the livelihood matters that fill
 * Inner Mongolia's 12345 lines (heating first, in winter). Each has who handles it by default and an
 * SLA — hours for emergencies, working days otherwise. Editable in the database; these are seeded once.
 */
export type HandlerType = 'grid' | 'community' | 'department';

export interface CategoryDefault {
  code: string;
  name: string;
  parent?: string;
  handler: HandlerType;
  /** For department-handled matters: the department to suggest (matched by name in the district). */
  department?: string;
  sla: { hours: number } | { workingDays: number };
  staffOnly?: boolean;
  /** Shown large in the mobile app's picker. */
  common?: boolean;
}

const group = (code: string, name: string): CategoryDefault => ({
  code,
  name,
  handler: 'community',
  sla: { workingDays: 5 },
});

export const defaultCategories: CategoryDefault[] = [
  group('city', '城市管理（GB/T 30428）'),
  {
    code: 'city.environment',
    name: '市容环境',
    parent: 'city',
    handler: 'grid',
    sla: { workingDays: 2 },
    common: true,
  },
  {
    code: 'city.order',
    name: '街面秩序',
    parent: 'city',
    handler: 'department',
    department: '城市管理综合执法局',
    sla: { workingDays: 3 },
  },
  {
    code: 'city.facilities',
    name: '公用设施',
    parent: 'city',
    handler: 'department',
    department: '住建局',
    sla: { workingDays: 5 },
    common: true,
  },
  {
    code: 'city.traffic',
    name: '道路交通',
    parent: 'city',
    handler: 'department',
    department: '公安分局',
    sla: { workingDays: 3 },
  },
  {
    code: 'city.greenery',
    name: '园林绿化',
    parent: 'city',
    handler: 'department',
    department: '住建局',
    sla: { workingDays: 5 },
  },
  {
    code: 'city.construction',
    name: '施工管理',
    parent: 'city',
    handler: 'department',
    department: '城市管理综合执法局',
    sla: { workingDays: 3 },
  },
  {
    code: 'city.emergency',
    name: '突发事件',
    parent: 'city',
    handler: 'department',
    department: '应急管理局',
    sla: { hours: 2 },
    common: true,
  },
  group('livelihood', '民生诉求'),
  {
    code: 'livelihood.heating',
    name: '供暖',
    parent: 'livelihood',
    handler: 'department',
    department: '供热公司',
    sla: { workingDays: 1 },
    common: true,
  },
  {
    code: 'livelihood.water',
    name: '供水',
    parent: 'livelihood',
    handler: 'department',
    department: '供水公司',
    sla: { workingDays: 1 },
    common: true,
  },
  {
    code: 'livelihood.property',
    name: '物业服务',
    parent: 'livelihood',
    handler: 'community',
    sla: { workingDays: 5 },
    common: true,
  },
  {
    code: 'livelihood.noise',
    name: '噪音扰民',
    parent: 'livelihood',
    handler: 'grid',
    sla: { workingDays: 3 },
    common: true,
  },
  {
    code: 'livelihood.neighbours',
    name: '邻里纠纷',
    parent: 'livelihood',
    handler: 'grid',
    sla: { workingDays: 5 },
    common: true,
  },
  {
    code: 'livelihood.wages',
    name: '拖欠工资',
    parent: 'livelihood',
    handler: 'department',
    department: '人力资源和社会保障局',
    sla: { workingDays: 5 },
  },
  {
    code: 'livelihood.dogs',
    name: '不文明养犬',
    parent: 'livelihood',
    handler: 'grid',
    sla: { workingDays: 3 },
  },
  {
    code: 'livelihood.elderly',
    name: '养老助残',
    parent: 'livelihood',
    handler: 'community',
    sla: { workingDays: 3 },
  },
  {
    code: 'livelihood.other',
    name: '其他诉求',
    parent: 'livelihood',
    handler: 'community',
    sla: { workingDays: 5 },
    common: true,
  },
  group('internal', '内部事项'),
  {
    code: 'internal.safety',
    name: '安全隐患排查',
    parent: 'internal',
    handler: 'grid',
    sla: { workingDays: 3 },
    staffOnly: true,
  },
  {
    code: 'internal.stability',
    name: '矛盾纠纷排查',
    parent: 'internal',
    handler: 'community',
    sla: { workingDays: 5 },
    staffOnly: true,
  },
];

/** Urgency overrides a category's SLA: 紧急 is hours whatever the category. */
export const urgencyHours: Record<'urgent' | 'critical', number> = { urgent: 24, critical: 2 };

/** Replies handlers start from, by outcome; a category may add its own (stored on the category). */
export const defaultReplyTemplates: Record<string, string[]> = {
  resolved: [
    '您反映的问题已处理完毕，感谢您对社区工作的支持。',
    '经现场核查，问题已整改到位，欢迎继续监督。',
  ],
  explained: ['经核实，该问题暂不具备解决条件，已向您说明原因，我们将持续关注。'],
  notOurs: ['经核实，该事项不属于本单位职责范围，已告知您相关办理渠道。'],
  duplicate: ['该问题已有其他居民反映，已合并办理，办理结果将一并告知您。'],
};
