/** Texts of the region tree. */
export const zh = {
  regions: {
    title: '行政区',
    hint: '本辖区的行政区划（只读）。点击展开下级，可查看各地区的规则和用户。',
    expand: '展开 %{name}',
    collapse: '收起 %{name}',
    policy: '规则',
    users: '用户',
    level: { national: '全国', province: '省级', city: '市级', county: '县级' },
  },
};

export const en: typeof zh = {
  regions: {
    title: 'Regions',
    hint: 'The regions of your jurisdiction (read-only). Expand one to see the level below; each links to its policy and users.',
    expand: 'Expand %{name}',
    collapse: 'Collapse %{name}',
    policy: 'Policy',
    users: 'Users',
    level: { national: 'National', province: 'Province', city: 'City', county: 'County' },
  },
};
