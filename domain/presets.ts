/**
 * The five notices' schemes as policy presets, attached to the demo regions by the seed.
 * Each value cites its notice; where a notice is silent the region inherits.
 */
import type { DeadlineRuleSet, PolicyOverrides } from './policy';

export interface PolicyPreset {
  key: string;
  regionCode: string;
  source: string;
  overrides: PolicyOverrides;
}

/**
 * Jiangmen (002 三(一)): "1至3月土地卫片执法图斑核实定性的市、县级审核工作已完成，并于4月30日前完成上报；
 * 4至12月土地卫片图斑应于次月15日前，年度卫片执法补充图斑应于2022年3月5日前完成市、县级审核工作".
 */
const JIANGMEN_MONTHLY_CLEARANCE = {
  default: {
    kind: 'byMonth',
    from: 'issuance',
    ranges: [
      { fromMonth: 1, toMonth: 3, rule: { kind: 'fixedDate', month: 4, day: 30, yearOffset: 0 } },
      { fromMonth: 4, toMonth: 12, rule: { kind: 'dayOfMonth', day: 15, monthOffset: 1 } },
    ],
  },
  // 年度卫片执法补充图斑应于2022年3月5日前 — the year after the survey year; without an imaging date the
  // survey year is the year before issuance (deadlines.ts imagingFallback)
  byBatchKind: { annual_supplementary: { kind: 'fixedDate', month: 3, day: 5, yearOffset: 1, from: 'imaging' } },
} satisfies DeadlineRuleSet;

export const PRESETS: PolicyPreset[] = [
  {
    key: 'national',
    regionCode: '000000',
    source: '自然资办发〔2022〕3号',
    overrides: {
      deadlines: {
        // 省级…在县级…按"月清"要求确认上报数据后一个月内，完成内业审核 (000 二(四))
        review: { province: { default: { kind: 'monthsAfter', months: 1 } } },
      },
      verification: {
        // 对属于新增乱占耕地建房问题要单独标识 (000 二(二))
        farmlandFlags: ['rural_housing'],
        // 开展实地核查…县级自然资源主管部门对填报数据的真实性、准确性负责 (000 二(二)): a 违法 determination, and a
        // 合法 one no approval system proves, show the site in a photo with its GPS position.
        evidence: { illegal: 1, legalWithoutApproval: 1 },
      },
      review: { chain: [{ level: 'province', coverage: { mode: 'all' } }] },
      // 对新增建（构）筑物疑似违法占用耕地100亩以上的图斑，省级…逐一实地核查 (000 二(五))
      onsiteChecks: { province: [{ metric: 'farmlandMu', minMu: 100, legalities: ['illegal'], newStructures: true }] },
      // 2022年7月31日前…上半年卫片执法成果…报部，2023年3月31日前…年度卫片执法成果报部 (000 三)
      reports: {
        halfYear: { kind: 'fixedDate', month: 7, day: 31, yearOffset: 0, from: 'event' },
        annual: { kind: 'fixedDate', month: 3, day: 31, yearOffset: 1, from: 'event' },
      },
    },
  },
  {
    key: 'ningxia',
    regionCode: '640000',
    source: '宁夏回族自治区自然资源厅 2023',
    overrides: {
      deadlines: {
        // 务必于每月25日前完成内业审核和外业抽查…上报上月部下发所有卫片执法图斑 (001 三(一))
        verification: { default: { kind: 'dayOfMonth', day: 25, monthOffset: 1, from: 'issuance' } },
        review: { city: { default: { kind: 'dayOfMonth', day: 25, monthOffset: 1, from: 'issuance' } } },
      },
      verification: {
        // 对"新增非农建设类""年度内持续变化类"图斑，一般不得判定为其他类用地 (001 三(一))
        forbidOtherFor: ['new_non_agricultural_construction', 'continuous_change'],
        farmlandFlags: ['rural_housing'],
      },
      review: {
        chain: [
          // 按月开展内业抽查…对占用耕地、生态红线、拆除复耕及矿产卫片执法图斑要全部进行核查 (001 三(三));
          // the notice sets no sampling share, so only the always-reviewed patches are drawn until one is set.
          {
            level: 'city',
            coverage: { mode: 'sample', rates: { legal: 0, illegal: 0, other: 0 } },
            always: ['farmland', 'red_line', 'recultivation', 'mineral'],
          },
          { level: 'province', coverage: { mode: 'all' } },
        ],
      },
    },
  },
  {
    key: 'guangdong',
    regionCode: '440000',
    source: '粤自然资发〔2021〕15号 via 江府办函〔2021〕83号',
    overrides: {
      review: {
        chain: [
          // 市自然资源局…逐宗审核上报 (002 三(一))
          { level: 'city', coverage: { mode: 'all' } },
          // 省自然资源厅将从合法用地、违法用地和其他用地图斑中各随机抽取30% (002 三(一));
          // 矿产卫片由省自然资源厅对全部图斑进行外业核实
          {
            level: 'province',
            coverage: { mode: 'sample', rates: { legal: 0.3, illegal: 0.3, other: 0.3 } },
            always: ['mineral'],
          },
        ],
      },
      // 瞒报率达到10%且瞒报图斑数大于10个…以及违法用地总量、违法占用耕地比例综合排名在全省前3位的市级…、
      // 前10位的县级自然资源部门进行警示约谈 (002 五(三))
      statistics: { concealment: { rate: 0.1, moreThan: 10 }, interviewRanking: { cities: 3, counties: 10 } },
    },
  },
  {
    key: 'jiangmen',
    regionCode: '440700',
    source: '江府办函〔2021〕83号',
    overrides: {
      deadlines: {
        verification: JIANGMEN_MONTHLY_CLEARANCE,
        // …完成市、县级审核工作 (002 三(一)): the same dates bind the city's review.
        review: { city: JIANGMEN_MONTHLY_CLEARANCE },
        // 2021年12月31日前能消除违法状态的…不再纳入违法统计 (002 三(二))
        rectification: { default: { kind: 'fixedDate', month: 12, day: 31, yearOffset: 0, from: 'issuance' } },
      },
      quota: {
        freezeFarmland: true,
        // 对2020年度、2021年度内违法占用非耕地且未能消除违法状态的，按未整改违法用地面积的15%冻结地市同等数量的
        // 新增建设用地计划指标。省自然资源厅分别于2021年6月底、9月底和2022年的3月底、6月底、9月底前，分批组织…
        // 验收，并按比例解冻用地计划指标，到期仍未解冻的用地计划指标直接扣减 (002 五(四)): the notice's own dates,
        // the same for the patches of both years; the last is the deadline. The city's quota is booked (地市).
        constructionPlan: {
          share: 0.15,
          patchYears: [2020, 2021],
          rounds: [
            { kind: 'onDate', date: '2021-06-30' },
            { kind: 'onDate', date: '2021-09-30' },
            { kind: 'onDate', date: '2022-03-31' },
            { kind: 'onDate', date: '2022-06-30' },
            { kind: 'onDate', date: '2022-09-30' },
          ],
        },
      },
      // 以属地人民政府名义于2022年3月10日前上报 (002 三(三))
      reports: {
        annual: { kind: 'fixedDate', month: 3, day: 10, yearOffset: 1, from: 'event' },
        // 2021年12月31日前能消除违法状态的，在统计年度卫片执法成果时将不再纳入违法统计 (002 三(二))
        rectifiedBy: { annual: { kind: 'fixedDate', month: 12, day: 31, yearOffset: 0, from: 'event' } },
      },
    },
  },
  {
    key: 'liaocheng',
    regionCode: '371500',
    source: '聊自然资规发〔2023〕11号',
    overrides: {
      deadlines: {
        // 每月22日前，完成当月20日（含）前下发的…图斑的核查、填报 (003 三(二))
        verification: { default: { kind: 'dayOfMonth', day: 22, monthOffset: 0, cutoffDay: 20, from: 'issuance' } },
        // 按照省市两级初审反馈意见每月25日前完成数据纠正 (003 三(三)): counted from the send-back (the
        // feedback), not from issuance — sent back by the 24th → the 25th of that month; later (the 25th
        // itself would leave hours) → the 25th of the next month, so a correction is never due in the past.
        correction: { default: { kind: 'dayOfMonth', day: 25, monthOffset: 0, cutoffDay: 24, from: 'event' } },
        // 年度内违法行为整改消除违法状态的时间节点为2024年1月15日 — 15 January of the year after (003 三(四))
        rectification: { default: { kind: 'fixedDate', month: 1, day: 15, yearOffset: 1, from: 'issuance' } },
      },
      // 对填报为设施农业用地、临时用地、农村道路、实地未变化的图斑，以及通过拆除复耕消除违法状态的图斑按周期开展复核 (003 四(六))
      recheck: {
        subTypes: ['facility_agriculture', 'temporary_land', 'rural_road', 'unchanged', 'demolished_recultivated'],
        everyMonths: 3,
        forMonths: 12,
      },
      // 7月10日前和2024年1月10日前，各县（市、区）要分别将上半年…和全年卫片执法工作报告报至市局 (003 三(四))
      reports: {
        halfYear: { kind: 'fixedDate', month: 7, day: 10, yearOffset: 0, from: 'event' },
        annual: { kind: 'fixedDate', month: 1, day: 10, yearOffset: 1, from: 'event' },
        // 年度内违法行为整改消除违法状态的时间节点为2024年1月15日 (003 三(四))
        rectifiedBy: { annual: { kind: 'fixedDate', month: 1, day: 15, yearOffset: 1, from: 'event' } },
      },
      verification: {
        // 必须同时判定"是否新增农村乱占耕地建房""是否大棚房""是否挖湖造景""是否基金项目"
        // "是否保障性安居住房""是否因防疫和防治重大疫情需要建设的医疗卫生设施" (003 二(一))
        farmlandFlags: ['rural_housing', 'greenhouse_house', 'landscape_lake', 'fund_project', 'affordable_housing', 'epidemic_medical'],
      },
      review: {
        // "填报一个，初审一个" (003 三(三)), then the province as nationally
        chain: [
          { level: 'city', coverage: { mode: 'all' } },
          { level: 'province', coverage: { mode: 'all' } },
        ],
      },
      onsiteChecks: {
        // 市局对疑似违法占用耕地20亩、永久基本农田或生态保护红线5亩以上的图斑…逐一开展实地核查，
        // 对设施农业用地类、农业项目违法类、未变化占用耕地10亩以上图斑逐一实地核查 (003 四(一))
        city: [
          { metric: 'farmlandMu', minMu: 20, legalities: ['illegal'] },
          { metric: 'basicFarmlandMu', minMu: 5, legalities: ['illegal'] },
          { metric: 'redLineMu', minMu: 5, legalities: ['illegal'] },
          // — what the county filed the patch as (compare 003 四(六) "填报为设施农业用地…实地未变化"), by the
          // farmland it occupies, whatever the category it was issued as.
          {
            metric: 'farmlandMu',
            minMu: 10,
            legalities: ['legal', 'illegal', 'other'],
            filedAs: ['facility_agriculture', 'agricultural_project_illegal', 'unchanged'],
          },
        ],
      },
    },
  },
  {
    key: 'nanan',
    regionCode: '350583',
    source: '南政办内传〔2022〕54号',
    overrides: {
      deadlines: {
        // 在15日内完成下发图斑用地、用矿情况的核查和数据填报 (004 三(二))
        verification: { default: { kind: 'daysAfter', days: 15, from: 'issuance' } },
        // 相关查处结果要在2个月内反馈抄送单位和市资源局 (004 三(三))
        transferFeedback: { default: { kind: 'monthsAfter', months: 2 } },
      },
      // 2023年3月15日前完成2022年全年度卫片执法成果审核和汇总分析 (004 三(四))
      reports: { annual: { kind: 'fixedDate', month: 3, day: 15, yearOffset: 1, from: 'event' } },
    },
  },
];
