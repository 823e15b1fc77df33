// The status bar text while debugging: which ring the CPU is in, whether paging is on, and which
// environment runs. Ring 0 gets a warning background: a student stepping there is in the kernel.
import type { StateResponse } from './wire.js';

export interface StatusModel {
  text: string;
  tooltip: string;
  warning: boolean;
}

export function statusModel(s: StateResponse): StatusModel {
  const env = s.env ? `${s.env.name} [${s.env.id.toString(16).padStart(8, '0')}]` : 'no environment';
  const icon = s.cpl === 0 ? '$(shield)' : '$(person)';
  return {
    text: `${icon} ring ${s.cpl} · paging ${s.paging ? 'on' : 'off'} · ${env}`,
    tooltip: `CPL ${s.cpl} (${s.cpl === 0 ? 'kernel' : s.cpl === 3 ? 'user' : 'ring ' + s.cpl}), CR3 ${s.cr3}, paging ${s.paging ? 'on' : 'off'}, ${s.running ? 'running' : 'paused'}; environment: ${env}`,
    warning: s.cpl === 0,
  };
}
