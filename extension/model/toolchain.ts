// What to tell a student whose machine has no gcc that can target i386, for the system they
// are on: the install command where one exists, what to do instead where none does.

/** What tasks/toolchain.ts found out by compiling a probe with `cc -m32`. */
export type GccCheck =
  /** byteColumns: the compiler takes -fdiagnostics-column-unit=byte (gcc 11 and later). */
  | { ok: true; cc: string; version: string; byteColumns: boolean }
  | { ok: false; cc: string; problem: 'not-found' | 'cannot-link'; output: string };

export interface HostInfo {
  /** process.platform */
  platform: string;
  /** The contents of /etc/os-release (Linux), for the distribution's ID and ID_LIKE. */
  osRelease?: string;
}

export interface ToolchainAdvice {
  ok: boolean;
  /** One sentence for a notification. */
  message: string;
  /** The command that installs what is missing, when the system has one. */
  installCommand?: string;
  /** Lines for the task terminal: what failed and what to do. */
  detail: string[];
}

/** The distribution's ID and ID_LIKE words from /etc/os-release, lower case. */
export function distributionIds(osRelease: string | undefined): string[] {
  if (!osRelease) return [];
  const ids: string[] = [];
  for (const line of osRelease.split('\n')) {
    const m = /^(ID|ID_LIKE)=("?)([^"\n]*)\2\s*$/.exec(line.trim());
    if (m) ids.push(...m[3]!.toLowerCase().split(/\s+/).filter(Boolean));
  }
  return ids;
}

interface Install { command?: string; note: string }

function installFor(host: HostInfo, gccMissing: boolean): Install {
  if (host.platform === 'darwin') {
    return { note: 'macOS compilers cannot build 32-bit Linux (i386 ELF) programs. Build in a Linux virtual machine or container (e.g. Debian with `apt-get install gcc-multilib make`), or open the folder in a Dev Container.' };
  }
  if (host.platform === 'win32') {
    return { note: 'Build under WSL: install Ubuntu from the Microsoft Store, run `sudo apt-get install gcc-multilib make` there, and open this folder with the WSL extension.' };
  }
  if (host.platform !== 'linux') return { note: `Install gcc with 32-bit (multilib) support for ${host.platform}.` };
  const ids = distributionIds(host.osRelease);
  const has = (...names: string[]): boolean => names.some((n) => ids.includes(n));
  if (has('debian', 'ubuntu')) {
    return { command: `sudo apt-get install ${gccMissing ? 'gcc make ' : ''}gcc-multilib`, note: 'gcc-multilib brings the 32-bit C library and libgcc that `gcc -m32` needs.' };
  }
  if (has('fedora', 'rhel', 'centos')) {
    return { command: `sudo dnf install ${gccMissing ? 'gcc make ' : ''}glibc-devel.i686 libgcc.i686`, note: 'The .i686 packages are the 32-bit C library and libgcc.' };
  }
  if (has('arch')) {
    return { command: `sudo pacman -S ${gccMissing ? 'gcc make ' : ''}lib32-glibc lib32-gcc-libs`, note: 'The lib32 packages need the [multilib] repository enabled in /etc/pacman.conf.' };
  }
  if (has('suse', 'opensuse')) {
    return { command: `sudo zypper install ${gccMissing ? 'gcc make ' : ''}gcc-32bit glibc-devel-32bit`, note: 'The -32bit packages are the 32-bit C library and libgcc.' };
  }
  if (has('alpine')) return { note: 'Alpine (musl) has no 32-bit multilib: build in a Debian or Ubuntu container with `apt-get install gcc-multilib make`.' };
  return { note: 'Install your distribution\'s 32-bit (multilib) support for gcc: the i386 C library and libgcc.' };
}

export function toolchainAdvice(check: GccCheck, host: HostInfo): ToolchainAdvice {
  if (check.ok) return { ok: true, message: `${check.cc} ${check.version} builds i386 programs (gcc -m32).`, detail: [] };
  const missing = check.problem === 'not-found';
  const install = installFor(host, missing);
  const what = missing
    ? `${check.cc} was not found: the samples and your programs are built with gcc -m32.`
    : `${check.cc} cannot build 32-bit (i386) programs: \`${check.cc} -m32\` could not link a test program.`;
  const message = `Ringside: ${what}${install.command ? ` Install it with: ${install.command}` : ' ' + install.note}`;
  const detail = [what];
  if (!missing && check.output) detail.push('', `${check.cc} said:`, ...check.output.split('\n').slice(-12).map((l) => '  ' + l));
  detail.push('');
  if (install.command) detail.push(`To install it: ${install.command}`);
  detail.push(install.note);
  return { ok: false, message, installCommand: install.command, detail };
}
