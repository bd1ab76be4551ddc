/** 12345 热线工单导入导出。 */
export const hotline = {
  'ui.nav.hotline': '12345 工单导入',
  'ui.hotline.importTitle': '导入 12345 工单表',
  'ui.hotline.importHelp':
    '上传 12345 热线导出的 Excel（.xlsx）。按表头识别列（列的顺序和多余的列不影响）：工单编号、来电时间、诉求内容必填，另识别来电人、联系电话、诉求类型、事发地址、承办单位、办理时限、工单状态。按工单编号去重，重复导入只更新；地址能对上楼栋、网格或社区的落到该处，否则进入本社区待受理。',
  'ui.hotline.chooseFile': '选择文件',
  'ui.hotline.partial': '有错误的行时，仍导入无误的行',
  'ui.hotline.startImport': '开始导入',
  'ui.hotline.done': '新增 {imported} 件，更新 {updated} 件，拒绝 {rejected} 行',
  'ui.hotline.refused': '有 {rejected} 行有误，整表未导入。改正后重试，或勾选“仍导入无误的行”。',
  'ui.hotline.row': '行',
  'ui.hotline.column': '列',
  'ui.hotline.problem': '问题',
  'ui.hotline.exportTitle': '导出办理结果（回传 12345）',
  'ui.hotline.exportHelp':
    '按导入时的列导出本辖区的 12345 工单，另加办理结果、回复内容、办结时间；联系电话已脱敏。',
  'ui.hotline.period': '来电时间',
  'ui.hotline.startExport': '导出',
  'ui.hotline.download': '下载 {name}（{rows} 行）',
} as const;
