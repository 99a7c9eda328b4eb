/** The import report's findings in words, Chinese first. Stored findings are { rule, params }. */
import type { Issue } from './source-types';

type P = Record<string, unknown>;
type Template = (p: P) => string;

const RULES: Record<string, { zh: Template; en: Template }> = {
  feature_json_invalid: { zh: (p) => `要素不是合法的 JSON：${p.detail}`, en: (p) => `the feature is not valid JSON: ${p.detail}` },
  not_a_feature: { zh: (p) => `不是 GeoJSON 要素（type 为 ${p.type}）`, en: (p) => `not a GeoJSON feature (type ${p.type})` },
  geometry_missing: { zh: () => '缺少几何图形', en: () => 'no geometry' },
  geometry_type: {
    zh: (p) => `几何类型为 ${p.type}，图斑应为面（Polygon/MultiPolygon）`,
    en: (p) => `geometry type ${p.type}; a patch is a Polygon or MultiPolygon`,
  },
  geometry_empty: { zh: () => '几何图形为空', en: () => 'empty geometry' },
  coordinates_invalid: { zh: () => '坐标不是数值', en: () => 'coordinates are not numbers' },
  coordinates_out_of_range: {
    zh: (p) => `坐标 (${p.x}, ${p.y}) 按 ${p.crs} 换算后不在中国境内（经纬度顺序颠倒，或投影坐标未声明坐标系？）`,
    en: (p) => `coordinates (${p.x}, ${p.y}) read as ${p.crs} fall outside China (swapped axes, or projected coordinates without a declared system?)`,
  },
  ring_too_short: {
    zh: (p) => `第 ${Number(p.ring) + 1} 个环只有 ${p.positions} 个坐标点，至少需要 4 个`,
    en: (p) => `ring ${Number(p.ring) + 1} has ${p.positions} positions; at least 4 are needed`,
  },
  ring_not_closed: {
    zh: (p) => `第 ${Number(p.ring) + 1} 个环未闭合（首尾坐标不同）`,
    en: (p) => `ring ${Number(p.ring) + 1} is not closed (first and last positions differ)`,
  },
  self_intersection: {
    zh: (p) => `多边形自相交（${p.count} 处，首处约在 ${p.lng}, ${p.lat}）`,
    en: (p) => `the polygon intersects itself (${p.count} places, the first near ${p.lng}, ${p.lat})`,
  },
  polygon_invalid: {
    zh: () => '多边形无效（尖刺、重复边或内环与外环相交）',
    en: () => 'invalid polygon (spikes, repeated edges, or a hole crossing its shell)',
  },
  too_many_vertices: {
    zh: (p) => `多边形有 ${p.vertices} 个坐标点，超过上限 ${p.max} 个（未作检查）`,
    en: (p) => `the polygon has ${p.vertices} vertices, more than the limit of ${p.max} (not checked)`,
  },
  feature_too_large: {
    zh: (p) => `要素文本长 ${p.chars} 个字符，超过上限 ${p.max} 个（未读取）`,
    en: (p) => `the feature's text is ${p.chars} characters long, more than the limit of ${p.max} (not read)`,
  },
  validation_timeout: {
    zh: (p) => `多边形有效性检查超过 ${p.ms} 毫秒仍未完成，已放弃（图形过于复杂）`,
    en: (p) => `checking the polygon's validity took longer than ${p.ms} ms and was abandoned (too complex)`,
  },
  geometry_check_failed: { zh: (p) => `多边形检查失败：${p.detail}`, en: (p) => `the polygon could not be checked: ${p.detail}` },
  feature_unreadable: { zh: (p) => `要素无法读取：${p.detail}`, en: (p) => `the feature cannot be read: ${p.detail}` },
  unstorable: { zh: (p) => `要素的属性无法保存：${p.detail}`, en: (p) => `the feature's attributes cannot be stored: ${p.detail}` },
  area_zero: { zh: () => '多边形面积为零', en: () => 'the polygon has no area' },
  code_missing: { zh: (p) => `缺少图斑编号（字段 ${p.field}）`, en: (p) => `no patch code (field ${p.field})` },
  code_format: {
    zh: (p) => `图斑编号“${p.code}”格式不正确：只能包含字母、数字、下划线和连字符（4–40位）`,
    en: (p) => `patch code "${p.code}" is malformed: 4–40 letters, digits, _ or -`,
  },
  duplicate_in_file: {
    zh: (p) => `图斑编号 ${p.code} 与本文件第 ${Number(p.firstSeq) + 1} 个要素重复`,
    en: (p) => `patch code ${p.code} repeats feature ${Number(p.firstSeq) + 1} of this file`,
  },
  duplicate_other_batch: {
    zh: (p) => `图斑编号 ${p.code} 已在批次 ${p.batchCode} 中下发`,
    en: (p) => `patch code ${p.code} was already issued in batch ${p.batchCode}`,
  },
  duplicate_differs: {
    zh: (p) => `图斑编号 ${p.code} 已在本批次下发，但县或类型不同（原为 ${p.countyCode}、${p.category}）`,
    en: (p) => `patch code ${p.code} was already issued in this batch with another county or category (${p.countyCode}, ${p.category})`,
  },
  county_missing: { zh: (p) => `缺少行政区代码（字段 ${p.field}）`, en: (p) => `no region code (field ${p.field})` },
  county_format: {
    zh: (p) => `行政区代码“${p.value}”应为6位县级代码（或以其开头的9/12位代码）`,
    en: (p) => `region code "${p.value}" should be a 6-digit county code (or a 9/12-digit code starting with one)`,
  },
  unknown_county: { zh: (p) => `未知的县级行政区：${p.countyCode}`, en: (p) => `unknown county: ${p.countyCode}` },
  not_a_county: { zh: (p) => `${p.countyCode} 不是县级行政区代码`, en: (p) => `${p.countyCode} is not a county code` },
  outside_jurisdiction: {
    zh: (p) => `行政区 ${p.countyCode} 不在导入人的辖区（${p.regionCode}）内`,
    en: (p) => `region ${p.countyCode} is outside the importer's jurisdiction (${p.regionCode})`,
  },
  category_missing: { zh: (p) => `缺少图斑类型（字段 ${p.field}）`, en: (p) => `no patch type (field ${p.field})` },
  category_unknown: { zh: (p) => `无法识别的图斑类型“${p.value}”`, en: (p) => `unrecognised patch type "${p.value}"` },
  area_invalid: { zh: (p) => `监测面积“${p.value}”不是正数`, en: (p) => `declared area "${p.value}" is not a positive number` },
  area_too_large: { zh: (p) => `面积 ${p.areaMu} 亩过大`, en: (p) => `area ${p.areaMu} mu is too large` },
  // warnings
  area_mismatch: {
    zh: (p) => `申报面积 ${p.declaredMu} 亩与图形计算面积 ${p.computedMu} 亩相差 ${p.percent}%`,
    en: (p) => `declared area ${p.declaredMu} mu differs from the geometry's ${p.computedMu} mu by ${p.percent}%`,
  },
  area_missing: { zh: (p) => `未提供监测面积，采用图形计算面积 ${p.computedMu} 亩`, en: (p) => `no declared area; the geometry's ${p.computedMu} mu is used` },
  farmland_invalid: { zh: (p) => `耕地面积“${p.value}”无效，已忽略`, en: (p) => `farmland area "${p.value}" is invalid and ignored` },
  date_invalid: { zh: (p) => `${p.field}“${p.value}”不是有效日期，已忽略`, en: (p) => `${p.field} "${p.value}" is not a valid date and is ignored` },
  image_dates_order: {
    zh: (p) => `前时相 ${p.before} 晚于后时相 ${p.after}`,
    en: (p) => `before-image date ${p.before} is later than after-image date ${p.after}`,
  },
  centre_invalid: {
    zh: (p) => `中心点坐标（${p.x}, ${p.y}）无效，采用图形中心`,
    en: (p) => `centre (${p.x}, ${p.y}) is invalid; the geometry's centre is used`,
  },
  centre_far: {
    zh: (p) => `申报的中心点距图斑 ${p.metres} 米，采用图形中心`,
    en: (p) => `the declared centre lies ${p.metres} m from the polygon; the geometry's centre is used`,
  },
  already_issued: {
    zh: (p) => `图斑 ${p.code} 已在本批次下发过，未重复启动`,
    en: (p) => `patch ${p.code} was already issued in this batch and is not started again`,
  },
  imaged_after_issue: {
    zh: (p) => `后时相 ${p.imagedOn} 晚于下发日期 ${p.issuedOn}`,
    en: (p) => `after-image date ${p.imagedOn} is later than the issue date ${p.issuedOn}`,
  },
};

export function describeIssue(issue: Issue, english = false): string {
  const rule = RULES[issue.rule];
  if (!rule) return issue.rule;
  return (english ? rule.en : rule.zh)(issue.params ?? {});
}

export const KNOWN_RULES = Object.keys(RULES);
