/** Demo users: one per role and level in each demo area. All share the password below. */
import type { Role } from '../../domain/types';

export const DEMO_PASSWORD = 'wpzf2026';

export interface UserSeed {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  classified?: boolean;
}

export const DEMO_USERS: UserSeed[] = [
  { username: 'admin', displayName: '部级管理员', role: 'administrator', regionCode: '000000', classified: true },
  { username: 'nx.admin', displayName: '宁夏自然资源厅管理员', role: 'administrator', regionCode: '640000' },
  { username: 'nx.reviewer', displayName: '宁夏自然资源厅审核员', role: 'reviewer', regionCode: '640000' },
  { username: 'nx.supervisor', displayName: '宁夏自然资源厅督办员', role: 'supervisor', regionCode: '640000' },
  { username: 'yc.reviewer', displayName: '银川市审核员', role: 'reviewer', regionCode: '640100' },
  { username: 'yc.supervisor', displayName: '银川市督办员', role: 'supervisor', regionCode: '640100' },
  { username: 'xq.officer', displayName: '兴庆区核查员', role: 'officer', regionCode: '640104' },
  { username: 'xq.secret', displayName: '兴庆区涉密核查员', role: 'officer', regionCode: '640104', classified: true },
  { username: 'xq.supervisor', displayName: '兴庆区督办员', role: 'supervisor', regionCode: '640104' },
  { username: 'sd.reviewer', displayName: '山东省自然资源厅审核员', role: 'reviewer', regionCode: '370000' },
  { username: 'lc.reviewer', displayName: '聊城市审核员', role: 'reviewer', regionCode: '371500' },
  { username: 'lc.supervisor', displayName: '聊城市督办员', role: 'supervisor', regionCode: '371500' },
  { username: 'lc.admin', displayName: '聊城市管理员', role: 'administrator', regionCode: '371500' },
  { username: 'dcf.officer', displayName: '东昌府区核查员', role: 'officer', regionCode: '371502' },
  { username: 'gd.reviewer', displayName: '广东省自然资源厅审核员', role: 'reviewer', regionCode: '440000' },
  { username: 'jm.reviewer', displayName: '江门市审核员', role: 'reviewer', regionCode: '440700' },
  { username: 'jm.admin', displayName: '江门市管理员', role: 'administrator', regionCode: '440700' },
  { username: 'pj.officer', displayName: '蓬江区核查员', role: 'officer', regionCode: '440703' },
  { username: 'fj.reviewer', displayName: '福建省自然资源厅审核员', role: 'reviewer', regionCode: '350000' },
  { username: 'qz.reviewer', displayName: '泉州市审核员', role: 'reviewer', regionCode: '350500' },
  { username: 'na.officer', displayName: '南安市核查员', role: 'officer', regionCode: '350583' },
  { username: 'na.supervisor', displayName: '南安市督办员', role: 'supervisor', regionCode: '350583' },
];
