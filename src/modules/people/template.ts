import ExcelJS, { type DataValidation } from '../../platform/tabular/exceljs.js';
import {
  documentTypes,
  educations,
  ethnicGroups,
  genders,
  politicalStatuses,
  registrationTypes,
  relations,
  residenceStatuses,
} from './codes.js';
import { type ResidentColumn, residentColumns } from './columns.js';

/** Rows of the template that carry the drop-down lists (people paste below the header). */
export const templateRows = 10_000;

/** Labels in code order ('01' before '10': numeric-looking keys would otherwise come first). */
const labels = (codes: Record<string, string>) => {
  const entries = Object.entries(codes);
  return /^\d+$/.test(entries[0][0])
    ? entries.sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v)
    : entries.map(([, v]) => v);
};

/** The columns filled from a list, with the labels the import reads back (codes.ts). */
const lists: Partial<Record<ResidentColumn, string[]>> = {
  documentType: labels(documentTypes),
  gender: labels(genders),
  ethnicity: labels(ethnicGroups),
  residenceStatus: labels(residenceStatuses),
  politicalStatus: labels(politicalStatuses),
  education: labels(educations),
  relation: labels(relations),
  registrationType: labels(registrationTypes),
};

const notes: Partial<Record<ResidentColumn, string>> = {
  idNumber: '18 位居民身份证号码（校验位会核对）；其他证件先选证件类型',
  birthDate: '身份证可不填；如 1956-03-04、1956.3.4 或 1956年3月4日',
  gridCode: '无楼栋时必填；填写楼栋编码时可不填',
  buildingCode: '住楼房的填楼栋编码、单元和房号；平房、牧户填网格编码和房屋地址',
  address: '平房、牧户等独立房屋的地址',
  tags: '多个用顿号分隔，如 独居、低保',
  householdKey:
    '同一户的成员填同一户号（文件内自定）；没有户号时，同一住址的人为一户。每户一位户主。户主变更：新户主填“户主”，原户主在同一户号下填新的关系',
  relation: '与户主关系（GB/T 4761），户主本人填“户主”',
};

/**
 * The residents import template: the import's headers (with a note on each), drop-down lists
 * for the coded columns (their labels on a hidden sheet, as 民族 alone is longer than the 255
 * characters an inline list may hold).
 */
export async function residentTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('居民', { views: [{ state: 'frozen', ySplit: 1 }] });
  const codes = wb.addWorksheet('代码表', { state: 'hidden' });
  ws.columns = residentColumns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.key === 'idNumber' || c.key === 'address' ? 22 : 12,
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  residentColumns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    if ('required' in c && c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    const note = notes[c.key];
    if (note) cell.note = note;
  });
  // Range validations exist in ExcelJS 4.4 but not in its type declarations.
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: DataValidation): void } })
    .dataValidations;
  let listCol = 0;
  residentColumns.forEach((c, i) => {
    const values = lists[c.key];
    if (!values) return;
    listCol++;
    const col = codes.getColumn(listCol);
    col.values = [c.header, ...values];
    const letter = col.letter;
    const target = ws.getColumn(i + 1).letter;
    validations.add(`${target}2:${target}${templateRows + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`代码表!$${letter}$2:$${letter}$${values.length + 1}`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: c.header,
      error: `请从下拉列表中选择${c.header}`,
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
