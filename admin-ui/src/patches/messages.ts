/** Texts of the patch page. */
export const zh = {
  resources: {
    patches: {
      fields: {
        imagedAt: '成像时间',
        batchKind: '批次类型',
        military: '军用土地',
        determination: '判定结果',
      },
    },
  },
  patch: {
    map: '图斑位置',
    noGeometry: '该图斑没有图形数据',
    photoDirection: '拍摄方向 %{direction}°',
    attributes: '图斑属性',
    areas: '面积（亩）',
    determination: '判定结果',
    noDetermination: '尚未判定',
    tasks: '任务',
    case: '立案查处',
    casePending: '该图斑已判定为违法，等待立案查处。案件办理功能将在后续版本提供。',
    caseNone: '无立案信息。',
    timeline: '办理记录',
    evidence: '举证材料',
    directDetermination: '直接认定',
  },
  enums: {
    batchKind: { monthly: '月度批次', annual_supplementary: '年度补充批次', mineral: '矿产补充图斑' },
  },
};

export const en: typeof zh = {
  resources: {
    patches: {
      fields: {
        imagedAt: 'Imaged',
        batchKind: 'Batch kind',
        military: 'Military land',
        determination: 'Determination',
      },
    },
  },
  patch: {
    map: 'Location',
    noGeometry: 'This patch has no geometry',
    photoDirection: 'taken facing %{direction}°',
    attributes: 'Attributes',
    areas: 'Areas (mu)',
    determination: 'Determination',
    noDetermination: 'Not determined yet',
    tasks: 'Tasks',
    case: 'Violation case',
    casePending: 'The patch was determined illegal and awaits its case. Case handling comes in a later version.',
    caseNone: 'No case.',
    timeline: 'Timeline',
    evidence: 'Evidence',
    directDetermination: 'Direct determination',
  },
  enums: {
    batchKind: { monthly: 'Monthly batch', annual_supplementary: 'Annual supplementary batch', mineral: 'Mineral gap-filling' },
  },
};
