/** 党建：党组织、党员、积分 5+X、积分存折与积分超市的提示。 */
export const party = {
  'error.PARTY_MEMBER_EXISTS': '该居民已是党员，组织关系在「{branch}」（一人只能有一条党员记录）',
  'error.QUARTER_CLOSED': '{quarter} 已季评关闭，只能以更正记录（写明原因）调整积分',
  'error.QUARTER_NOT_REVIEWED': '{quarter} 尚未季评关闭，不能亮分公示',
  'error.QUARTER_STATE': '{quarter} 当前状态为「{status}」，不能{verb}',
  'error.CLAIMS_PENDING': '{quarter} 还有 {count} 条党员申报未审核，请先确认或退回',
  'error.OBJECTION_WINDOW_CLOSED': '公示期已于 {until} 结束，不能再提出异议',
  'error.OBJECTION_WINDOW_OPEN': '公示期至 {until}，期满且异议全部答复后积分才能确认',
  'error.OBJECTIONS_UNANSWERED': '还有 {count} 条异议未答复，积分暂不能确认',
  'error.POINTS_BALANCE': '积分余额不足：需要 {need} 分，现有 {balance} 分',
  'error.POINTS_STOCK': '库存不足：「{item}」仅剩 {stock} 件',
  'error.NO_CATALOG': '「{org}」还没有积分细则，请先制定 5+X 积分细则',
  'party.quarter.open': '记分中',
  'party.quarter.reviewed': '已季评',
  'party.quarter.published': '公示中',
  'party.quarter.final': '已确认',
} as const;
