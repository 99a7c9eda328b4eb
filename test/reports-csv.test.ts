/** The CSV of a report sheet (api/services/reports.ts) on rows that users' input can put there. */
import { parse } from 'csv-parse/sync';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { reportCsv, type ReportData } from '../api/services/reports';

const report = (over: Partial<ReportData>): ReportData =>
  ({
    kind: 'annual',
    year: 2025,
    regionCode: '350583',
    regionName: '南安市',
    regionNames: new Map([['350583', '南安市']]),
    cases: [],
    quota: [],
    illegalPatches: [],
    ...over,
  }) as ReportData;
/** The CSV as written, its byte-order mark kept (a TextDecoder would drop it). */
const csvOf = async (stream: NodeJS.ReadableStream) => (await buffer(stream)).toString('utf8');
const caseRow = (name: string) => ({ caseNo: `AJ${name.length}`, countyCode: '350583', party: { name }, status: 'register' });

describe('report CSV', () => {
  it('quotes a bare carriage return, a line feed, commas and quotes, so that a row stays a row', async () => {
    const csv = await csvOf(reportCsv(report({ cases: [caseRow('林\r某'), caseRow('甲\n乙'), caseRow('某"公司",分厂')] }), 'cases'));
    expect(csv.startsWith('\uFEFF案件编号,')).toBe(true);
    expect(csv).toContain('"林\r某"');
    const rows: string[][] = parse(csv, { bom: true });
    expect(rows.slice(1).map((r) => r[2])).toEqual(['林\r某', '甲\n乙', '某"公司",分厂']);
  });

  it('prefixes text a spreadsheet would run as a formula with a quote, and leaves numbers alone', async () => {
    const names = ['=1+1', '+86 139', '-1+2', '@SUM(A1)', '\t=x', '＝1+1', '林某'];
    const rows: string[][] = parse(await csvOf(reportCsv(report({ cases: names.map(caseRow) }), 'cases')), { bom: true });
    expect(rows.slice(1).map((r) => r[2])).toEqual(["'=1+1", "'+86 139", "'-1+2", "'@SUM(A1)", "'\t=x", "'＝1+1", '林某']);
    const quota: string[][] = parse(
      await csvOf(
        reportCsv(
          report({
            quota: [
              {
                at: new Date('2025-03-01T00:00:00+08:00'),
                countyCode: '350583',
                account: 'farmland',
                kind: 'freeze',
                areaMu: -1.5,
                caseNo: 'AJ1',
                patchCode: 'P1',
                reason: '=HYPERLINK("x")',
              },
            ],
          }),
          'quota',
        ),
      ),
      { bom: true },
    );
    expect(quota[1][4]).toBe('-1.5');
    expect(quota[1][7]).toBe(`'=HYPERLINK("x")`);
  });
});
