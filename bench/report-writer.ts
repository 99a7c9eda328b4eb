/**
 * The annual report's writers alone, without the database: N illegal patches and N cases (rows shaped as the
 * report reads them) written as the XLSX workbook (exceljs's streaming writer, as GET /api/reports/annual sends
 * it) against the baseline of the same rows as CSV (csv-stringify), in the same run. Where a province's annual
 * XLSX spends its time once the rows are read: bench:queries times the whole request.
 *
 *   npm run bench:report-writer -- [N = 100000]
 */
import { Writable } from 'node:stream';
import { reportCsv, reportXlsx, type ReportData } from '../api/services/reports';
const N = Number(process.argv[2] ?? 100000);
const patches = Array.from({ length: N }, (_, i) => ({
  code: `P640104${String(i).padStart(8, '0')}`,
  countyCode: '640104',
  category: 'new_construction',
  issuedAt: new Date(1767225600000 + i * 1000),
  areaMu: 3.21,
  farmlandMu: 1.2,
  determinedLevel: 'county',
  directDetermination: false,
  concealed: false,
  caseNo: `C${i}`,
  caseStatus: 'rectification',
  path: 'demolish_recultivate',
  eliminated: i % 2 === 0,
}));
const cases = Array.from({ length: N }, (_, i) => ({
  caseNo: `C${i}`,
  countyCode: '640104',
  party: { name: '某公司' },
  status: 'rectification',
  path: 'demolish_recultivate',
  registeredAt: new Date(),
  eliminatedAt: null,
  struckOffAt: null,
  carriedOver: false,
}));
// The summary sheet's figures: zero everywhere (this measures the row sheets).
const deep: any = new Proxy(() => {}, {
  get: (_t, k) => (k === Symbol.toPrimitive ? () => 0 : k === 'toFixed' ? () => '0' : typeof k === 'symbol' ? undefined : deep),
});
const r = {
  kind: 'annual',
  year: 2026,
  regionCode: '640000',
  regionName: '宁夏',
  period: { from: '2026-01-01', to: '2026-12-31' },
  rectifiedBy: null,
  dueDate: '2027-01-15',
  statistics: { figures: deep, children: [], quality: [], quota: [] },
  regionNames: new Map([['640104', '兴庆区']]),
  illegalPatches: patches,
  cases,
  quota: [],
} as unknown as ReportData;
let bytes = 0;
const sink = () =>
  new Writable({
    write(c, _e, cb) {
      bytes += c.length;
      cb();
    },
  });
const t0 = performance.now();
await new Promise<void>((res, rej) => {
  const s = sink();
  s.on('finish', res);
  reportXlsx(r, s).catch(rej);
});
const xlsx = performance.now() - t0;
const xb = bytes;
bytes = 0;
const t1 = performance.now();
for (const sheet of ['patches', 'cases'] as const)
  await new Promise<void>((res, rej) => {
    const s = sink();
    s.on('finish', res);
    reportCsv(r, sheet).on('error', rej).pipe(s);
  });
const csv = performance.now() - t1;
console.log(
  `rows ${2 * N}: xlsx ${(xlsx / 1000).toFixed(2)} s (${(xb / 1e6).toFixed(1)} MB), csv ${(csv / 1000).toFixed(2)} s (${(bytes / 1e6).toFixed(1)} MB), ratio ${(xlsx / csv).toFixed(2)}, xlsx ${((2 * N) / (xlsx / 1000)).toFixed(0)} rows/s`,
);
