/** Texts of the imagery comparison (内业比对). */
export const zh = {
  imagery: {
    section: '影像比对',
    before: '前时相',
    after: '后时相',
    none: '无影像',
    failed: '影像加载失败',
    centre: '中心点（CGCS2000 经度，纬度）：',
    copy: '复制坐标',
    copied: '已复制',
  },
};

export const en = {
  imagery: {
    section: 'Imagery comparison',
    before: 'Before',
    after: 'After',
    none: 'No imagery',
    failed: 'Imagery failed to load',
    centre: 'Centre (CGCS2000 longitude, latitude):',
    copy: 'Copy coordinates',
    copied: 'Copied',
  },
};
