import { spawnSync } from 'node:child_process';

/** Whether Chromium runs sandboxed, and why: `ponte doctor` and the start-up log say it. */
export interface SandboxDecision {
  sandbox: boolean;
  reason: string;
}

export type SandboxSetting = 'auto' | 'on' | 'off';

let probed: boolean | undefined;

/**
 * Chromium's sandbox for a user other than root is built on user namespaces (Debian ships no setuid
 * helper by default, and `chromium-sandbox`'s needs CAP_SYS_ADMIN, which containers drop). Docker's
 * default seccomp profile and some kernels (Ubuntu's AppArmor restriction) forbid them: asked once,
 * by creating one.
 */
export function userNamespacesUsable(): boolean {
  probed ??= spawnSync('unshare', ['--user', '--map-root-user', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  return probed;
}

export function sandboxDecision(
  setting: SandboxSetting,
  isRoot = process.getuid?.() === 0,
  usable: () => boolean = userNamespacesUsable,
): SandboxDecision {
  if (setting === 'off') return { sandbox: false, reason: 'browser.sandbox is off' };
  if (setting === 'on') return { sandbox: true, reason: 'browser.sandbox is on' };
  if (isRoot)
    return { sandbox: false, reason: 'running as root, where Chromium refuses its sandbox (run Ponte as another user to have it)' };
  if (!usable()) {
    return {
      sandbox: false,
      reason:
        'user namespaces are not available here (a container with the default seccomp profile, or a kernel that restricts them), and Chromium has no other sandbox for a non-root user',
    };
  }
  return { sandbox: true, reason: 'user namespaces are available' };
}
