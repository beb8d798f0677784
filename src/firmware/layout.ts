// Where an installed ippbridge lives on a board: A/B slots under /opt/ippbridge, config in /etc, state in /var/lib.
// One table shared by the flash command, the tests and the updater (install.sh spells the same paths).
// SPDX-License-Identifier: Apache-2.0

/** Paths of an installed system, relative to its root ("/" on the board, the mount point of an image). */
export const LAYOUT = {
  /** holds the slots and the `current` symlink */
  installDir: '/opt/ippbridge',
  /** symlink to the active slot name ("a" or "b", relative); replaced atomically (rename) to switch */
  current: '/opt/ippbridge/current',
  /** marker written by `ippbridge update` before it switches (holds the previous slot); removed once the new version
   * reported READY=1 (the unit's ExecStartPost) or by the updater; ippbridge-rollback.service acts only while it exists */
  pending: '/opt/ippbridge/pending',
  /** the rollback script (outside the slots, so a broken slot cannot break it), run by ippbridge-rollback.service */
  rollbackScript: '/opt/ippbridge/rollback.sh',
  boardFile: '/etc/ippbridge/board.json',
  /** the Ed25519 public key updates must be signed with (installed by install.sh from the first signed bundle) */
  updateKey: '/etc/ippbridge/update.pub',
  unitFile: '/etc/systemd/system/ippbridge.service',
  rollbackUnit: '/etc/systemd/system/ippbridge-rollback.service',
  dropInFile: '/etc/systemd/system/ippbridge.service.d/10-board.conf',
  wantsLink: '/etc/systemd/system/multi-user.target.wants/ippbridge.service',
  udevRules: '/etc/udev/rules.d/60-ippbridge.rules',
  sysusers: '/etc/sysusers.d/ippbridge.conf',
  /** systemd StateDirectory=ippbridge */
  stateDir: '/var/lib/ippbridge',
  /** first-boot settings written by `ippbridge flash`, consumed and removed at the first start */
  firstBoot: '/var/lib/ippbridge/firstboot.json',
} as const;

/** The two install slots; the updater unpacks into the one `current` does not point at. */
export const SLOTS = ['a', 'b'] as const;
export type Slot = (typeof SLOTS)[number];

/** The slot that is not `active` (slot a when nothing is installed). */
export function inactiveSlot(active: string | undefined): Slot {
  return active === 'a' ? 'b' : 'a';
}
