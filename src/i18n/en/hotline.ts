import type { hotline as zh } from '../zh-CN/hotline.js';

export const hotline: Record<keyof typeof zh, string> = {
  'ui.nav.hotline': '12345 import',
  'ui.hotline.importTitle': 'Import a 12345 hotline workbook',
  'ui.hotline.importHelp':
    'Upload the .xlsx exported by the 12345 hotline. Columns are found by header (order and extra columns do not matter): 工单编号, 来电时间 and 诉求内容 are required; 来电人, 联系电话, 诉求类型, 事发地址, 承办单位, 办理时限 and 工单状态 are read too. Tickets are keyed by 工单编号: importing again updates them. Addresses naming a building, grid or community are placed there, others go to your community’s queue.',
  'ui.hotline.chooseFile': 'Choose file',
  'ui.hotline.partial': 'Import the good rows even if some rows are wrong',
  'ui.hotline.startImport': 'Import',
  'ui.hotline.done': '{imported} new, {updated} updated, {rejected} rows rejected',
  'ui.hotline.refused':
    '{rejected} rows are wrong, nothing was imported. Fix them, or import the good rows only.',
  'ui.hotline.row': 'Row',
  'ui.hotline.column': 'Column',
  'ui.hotline.problem': 'Problem',
  'ui.hotline.exportTitle': 'Export replies (back to 12345)',
  'ui.hotline.exportHelp':
    'The 12345 work orders in your area in the import layout, plus outcome, reply and closing time; phone numbers masked.',
  'ui.hotline.period': 'Call time',
  'ui.hotline.startExport': 'Export',
  'ui.hotline.download': 'Download {name} ({rows} rows)',
};
