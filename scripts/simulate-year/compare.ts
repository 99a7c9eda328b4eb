/** The annual report's summary sheet (CSV) read back into label → value, and its differences from the recomputation. */

/** A small CSV reader: quoted fields with doubled quotes, rows on newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') field += s[i++];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** The figure rows (两列) and the quota rows (four columns: account, frozen, unfrozen, deducted) of the summary. */
export function reportFigures(csv: string): Map<string, string> {
  const rows = parseCsv(csv);
  const out = new Map<string, string>();
  const start = rows.findIndex((r) => r[0] === '指标');
  const quota = rows.findIndex((r) => r[0] === '指标账户');
  for (const r of rows.slice(start + 1, quota < 0 ? undefined : quota)) if (r[0]) out.set(r[0], r[1] ?? '');
  if (quota >= 0) for (const r of rows.slice(quota + 1)) if (r[0]) out.set(r[0], r.slice(1).join(','));
  return out;
}

export interface Difference {
  figure: string;
  report: string | undefined;
  simulation: string | undefined;
}

export function differences(report: Map<string, string>, simulation: Map<string, string>): Difference[] {
  const keys = [...new Set([...report.keys(), ...simulation.keys()])];
  return keys.filter((k) => report.get(k) !== simulation.get(k)).map((figure) => ({ figure, report: report.get(figure), simulation: simulation.get(figure) }));
}
