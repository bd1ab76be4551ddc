import { z } from 'zod';

/** The request shapes the party routes share. */
export const text = (max: number) => z.string().trim().max(max);
export const isoDate = z.iso.date('日期格式应为 YYYY-MM-DD');
export const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
export const quarter = z.string().regex(/^\d{4}Q[1-4]$/, '季度格式应为 2026Q3');
/** A refusal (of a claim, a check-in, a service record) always says why. */
export const refusal = z.strictObject({ reason: text(200).min(2, '请写明退回原因') });
