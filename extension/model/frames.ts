// Physical Memory view model: the frames user environments map, who maps them where, and the
// kernel's reference count, so copy-on-write sharing after fork is visible at a glance.
import type { Row } from './row.js';
import type { FramesResponse, WireFrame } from './wire.js';

export function frameRow(f: WireFrame): Row {
  const names = [...new Set(f.users.map((u) => `${u.name}[${u.env.toString(16)}]`))];
  return {
    id: `frame:${f.phys}`,
    label: f.phys,
    description: `${f.refs !== undefined ? `pp_ref ${f.refs}, ` : ''}${f.shared ? 'shared by ' : ''}${names.join(', ')}`,
    icon: f.shared ? 'references' : 'file-binary',
    iconColor: f.users.some((u) => u.cow) ? 'charts.orange' : undefined,
    contextValue: f.shared ? 'ringside.frame.shared' : 'ringside.frame',
    children: f.users.map((u, i) => ({
      id: `frame:${f.phys}:${i}`,
      label: `${u.name} [${u.env.toString(16)}]`,
      description: `at ${u.va}, ${u.writable ? 'rw' : 'r-'}${u.cow ? ', cow' : ''}`,
      icon: u.cow ? 'git-compare' : 'person',
    })),
  };
}

export function frameRows(res: FramesResponse): Row[] {
  if (res.frames.length === 0) return [{ id: 'frame:none', label: 'No user frames mapped yet', icon: 'info' }];
  const rows = res.frames.map(frameRow);
  if (res.total > res.frames.length) rows.push({ id: 'frame:more', label: `… ${res.total - res.frames.length} more`, icon: 'ellipsis' });
  return rows;
}
